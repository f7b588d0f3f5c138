using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;

namespace CollabCanvas.Server.Access;

/// <summary>
/// A change that open sockets must follow: a sign-in ended (<paramref name="SessionId"/>), a user's role on a
/// canvas changed or was removed (<paramref name="CanvasId"/> and <paramref name="UserId"/>), an account was
/// deleted (<paramref name="UserId"/> alone), a share link was revoked (<paramref name="LinkId"/>), or a canvas was
/// renamed (<paramref name="CanvasId"/> and <paramref name="CanvasName"/>: its open editors show the new name).
/// </summary>
public sealed record AccessChange(string? CanvasId = null, string? UserId = null, string? SessionId = null, string? LinkId = null,
    string? CanvasName = null);

/// <summary>
/// The <c>access_events</c> table: every instance appends the changes it makes and reads everyone's, so a socket is
/// closed or downgraded within a second wherever it is open. Rows are kept for a minute.
/// </summary>
public sealed class AccessEvents(SqliteDatabase database)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    public void Publish(AccessChange change)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO access_events (canvas_id, user_id, session_id, link_id, canvas_name, created_at)
            VALUES ($canvas, $user, $session, $link, $name, $now);
            DELETE FROM access_events WHERE created_at < $old;
            """;
        command.Parameters.AddWithValue("$canvas", (object?)change.CanvasId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)change.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$session", (object?)change.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$link", (object?)change.LinkId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)change.CanvasName ?? DBNull.Value);
        var now = DateTimeOffset.UtcNow;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$old", (now - Keep).ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>The newest event id: a reader starts after it.</summary>
    public long Newest()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM access_events";
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<(long Id, AccessChange Change)> ReadAfter(long id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, canvas_id, user_id, session_id, link_id, canvas_name FROM access_events WHERE id > $id ORDER BY id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var changes = new List<(long, AccessChange)>();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (reader.Read()) changes.Add((reader.GetInt64(0), new AccessChange(Text(1), Text(2), Text(3), Text(4), Text(5))));
        return changes;
    }
}
