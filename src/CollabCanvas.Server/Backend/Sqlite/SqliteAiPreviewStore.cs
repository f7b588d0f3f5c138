namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The <c>ai_previews</c> table: one row per preview waiting for its requester.</summary>
public sealed class SqliteAiPreviewStore(SqliteDatabase database) : IAiPreviewStore
{
    public async Task AddAsync(StoredAiPreview preview, int perUser, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM ai_previews WHERE expires_at <= $now;
            INSERT INTO ai_previews (id, user_id, canvas_id, created_at, expires_at, command) VALUES ($id, $user, $canvas, $now, $expires, $command);
            DELETE FROM ai_previews WHERE user_id = $user AND id NOT IN
                (SELECT id FROM ai_previews WHERE user_id = $user ORDER BY created_at DESC, rowid DESC LIMIT $keep);
            """;
        command.Parameters.AddWithValue("$id", preview.Id);
        command.Parameters.AddWithValue("$user", preview.UserId);
        command.Parameters.AddWithValue("$canvas", preview.CanvasId);
        command.Parameters.AddWithValue("$now", preview.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", preview.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$command", preview.Command);
        command.Parameters.AddWithValue("$keep", perUser);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<StoredAiPreview?> TakeAsync(string id, string userId, string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM ai_previews WHERE id = $id AND user_id = $user AND canvas_id = $canvas
            RETURNING created_at, expires_at, command
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new StoredAiPreview(id, userId, canvasId, reader.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }
}
