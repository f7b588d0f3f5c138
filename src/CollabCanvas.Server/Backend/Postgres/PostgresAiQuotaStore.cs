namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The <c>ai_commands</c> table. Taking a slot counts and inserts under a transaction-scoped advisory lock on the user,
/// so instances racing for a user's last slot take turns and exactly one gets it.
/// </summary>
public sealed class PostgresAiQuotaStore(PostgresDatabase database) : IAiQuotaStore
{
    public async Task<long?> TryTakeAsync(string userId, string canvasId, DateTimeOffset at, DateTimeOffset since, int limit,
        CancellationToken cancellationToken = default)
    {
        // The count runs after the lock is held (each statement of the batch sees what committed before it began).
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("SELECT pg_advisory_xact_lock($1, hashtext($2))", PostgresLocks.AiQuota, userId),
            PostgresCommands.Statement("""
                INSERT INTO ai_commands (user_id, canvas_id, created_at)
                SELECT $1, $2, $3
                WHERE (SELECT count(*) FROM ai_commands WHERE user_id = $1 AND created_at > $4) < $5
                RETURNING id
                """, userId, canvasId, at, since, limit));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
    }

    public async Task<IReadOnlyList<AiCommandRecord>> CommandsAsync(string userId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT id, canvas_id, created_at, interpreter, model, input_tokens, output_tokens, cost_usd FROM ai_commands
            WHERE user_id = $1 AND created_at > $2 ORDER BY created_at, id
            """, userId, since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var commands = new List<AiCommandRecord>();
        while (await reader.ReadAsync(cancellationToken))
            commands.Add(new AiCommandRecord(reader.GetInt64(0), userId, reader.GetString(1), reader.Time(2),
                new AiCommandCost(reader.GetString(3), reader.StringOrNull(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDecimal(7))));
        return commands;
    }

    public async Task ReturnAsync(long slotId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("DELETE FROM ai_commands WHERE id = $1", slotId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(long slotId, AiCommandCost cost, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            UPDATE ai_commands SET interpreter = $2, model = $3, input_tokens = $4, output_tokens = $5, cost_usd = $6 WHERE id = $1
            """, slotId, cost.Interpreter, cost.Model, cost.InputTokens, cost.OutputTokens, cost.CostUsd);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
