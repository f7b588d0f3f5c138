using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Canvases;

/// <param name="Role">The caller's role on it, when the answer is for a caller.</param>
public sealed record Canvas(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Role = null);

/// <summary>The <c>canvases</c> table: which canvases exist and what they are called. Their content is in the log.</summary>
public sealed class CanvasStore(SqliteDatabase database, CanvasAccess access)
{
    /// <summary>Creates a canvas owned by <paramref name="ownerId"/>.</summary>
    public Canvas Create(string name, string ownerId)
    {
        var now = DateTimeOffset.UtcNow;
        var canvas = new Canvas(Ids.New(12), name, now, now, Role.Owner.ToWire());
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO canvases (id, name, created_at, updated_at) VALUES ($id, $name, $now, $now)";
            command.Parameters.AddWithValue("$id", canvas.Id);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        access.AddOwner(connection, canvas.Id, ownerId);
        transaction.Commit();
        return Truncated(canvas);
    }

    /// <summary>The canvases a user is a member of (and those open to every signed-in user), with their role.</summary>
    public IReadOnlyList<Canvas> List(string userId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.name, c.created_at, c.updated_at, COALESCE(m.role, 'editor')
            FROM canvases c LEFT JOIN canvas_members m ON m.canvas_id = c.id AND m.user_id = $user
            WHERE m.role IS NOT NULL OR c.open_to_signed_in = 1
            ORDER BY c.updated_at DESC, c.id
            """;
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        var canvases = new List<Canvas>();
        while (reader.Read()) canvases.Add(Read(reader) with { Role = reader.GetString(4) });
        return canvases;
    }

    public Canvas? Find(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at, updated_at FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public Canvas? Rename(string id, string name)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE canvases SET name = $name, updated_at = $now WHERE id = $id
            RETURNING id, name, created_at, updated_at
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>The canvas's default theme for generated components (null: the built-in default).</summary>
    public string? Theme(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT theme FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    }

    public void SetTheme(string id, string theme)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE canvases SET theme = $theme WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$theme", theme);
        command.ExecuteNonQuery();
    }

    public bool Delete(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    private static Canvas Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    /// <summary>The stored times have millisecond precision; so does what Create returns.</summary>
    private static Canvas Truncated(Canvas c) => c with
    {
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt.ToUnixTimeMilliseconds()),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(c.UpdatedAt.ToUnixTimeMilliseconds()),
    };
}
