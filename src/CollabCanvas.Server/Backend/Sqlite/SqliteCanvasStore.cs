using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The <c>canvases</c> table (a canvas's owner goes into <c>canvas_members</c> in the same transaction).</summary>
public sealed class SqliteCanvasStore(SqliteDatabase database) : ICanvasStore
{
    public async Task CreateAsync(Canvas canvas, string ownerId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvases (id, name, created_at, updated_at) VALUES ($id, $name, $created, $updated);
            INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($id, $owner, 'owner', $created);
            """;
        command.Parameters.AddWithValue("$id", canvas.Id);
        command.Parameters.AddWithValue("$name", canvas.Name);
        command.Parameters.AddWithValue("$created", canvas.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$updated", canvas.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$owner", ownerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Canvas>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.name, c.created_at, c.updated_at, COALESCE(m.role, 'editor')
            FROM canvases c LEFT JOIN canvas_members m ON m.canvas_id = c.id AND m.user_id = $user
            WHERE m.role IS NOT NULL OR c.open_to_signed_in = 1
            ORDER BY c.updated_at DESC, c.id
            """;
        command.Parameters.AddWithValue("$user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var canvases = new List<Canvas>();
        while (await reader.ReadAsync(cancellationToken)) canvases.Add(Read(reader) with { Role = reader.GetString(4) });
        return canvases;
    }

    public async Task<Canvas?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at, updated_at FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<Canvas?> RenameAsync(string id, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE canvases SET name = $name, updated_at = $at WHERE id = $id
            RETURNING id, name, created_at, updated_at
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<string?> ThemeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT theme FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetThemeAsync(string id, string theme, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE canvases SET theme = $theme WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$theme", theme);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // Members, invitations and links go with it (ON DELETE CASCADE).
        command.CommandText = "DELETE FROM canvases WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static Canvas Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
}
