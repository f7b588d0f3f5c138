namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>The <c>ai_previews</c> table: one row per preview waiting for its requester.</summary>
public sealed class PostgresAiPreviewStore(PostgresDatabase database) : IAiPreviewStore
{
    public async Task AddAsync(StoredAiPreview preview, int perUser, CancellationToken cancellationToken = default)
    {
        // One transaction; a user's additions take turns (advisory lock), so racing instances keep exactly the newest few.
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("SELECT pg_advisory_xact_lock($1, hashtext($2))", PostgresLocks.AiPreviews, preview.UserId),
            PostgresCommands.Statement("DELETE FROM ai_previews WHERE expires_at <= $1", preview.CreatedAt),
            PostgresCommands.Statement("INSERT INTO ai_previews (id, user_id, canvas_id, created_at, expires_at, command) VALUES ($1, $2, $3, $4, $5, $6)",
                preview.Id, preview.UserId, preview.CanvasId, preview.CreatedAt, preview.ExpiresAt, preview.Command),
            PostgresCommands.Statement("""
                DELETE FROM ai_previews WHERE user_id = $1 AND id NOT IN
                    (SELECT id FROM ai_previews WHERE user_id = $1 ORDER BY created_at DESC, added DESC LIMIT $2)
                """, preview.UserId, perUser));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredAiPreview?> TakeAsync(string id, string userId, string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "DELETE FROM ai_previews WHERE id = $1 AND user_id = $2 AND canvas_id = $3 RETURNING created_at, expires_at, command", id, userId, canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAiPreview(id, userId, canvasId, reader.GetString(2), reader.Time(0), reader.Time(1))
            : null;
    }
}
