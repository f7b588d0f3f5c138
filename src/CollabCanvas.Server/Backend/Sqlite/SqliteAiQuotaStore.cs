namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// The <c>ai_commands</c> table. A slot is one conditional INSERT, atomic across the processes sharing the file
/// (SQLite runs one writer at a time).
/// </summary>
public sealed class SqliteAiQuotaStore(SqliteDatabase database) : IAiQuotaStore
{
    public async Task<long?> TryTakeAsync(string userId, string canvasId, DateTimeOffset at, DateTimeOffset since, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO ai_commands (user_id, canvas_id, created_at)
            SELECT $user, $canvas, $at
            WHERE (SELECT COUNT(*) FROM ai_commands WHERE user_id = $user AND created_at > $since) < $limit
            RETURNING id
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    public async Task<IReadOnlyList<AiCommandRecord>> CommandsAsync(string userId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, canvas_id, created_at, interpreter, model, input_tokens, output_tokens, cost_usd FROM ai_commands
            WHERE user_id = $user AND created_at > $since ORDER BY created_at, id
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var commands = new List<AiCommandRecord>();
        while (await reader.ReadAsync(cancellationToken))
            commands.Add(new AiCommandRecord(reader.GetInt64(0), userId, reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                new AiCommandCost(reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6),
                    (decimal)reader.GetDouble(7))));
        return commands;
    }

    public async Task ReturnAsync(long slotId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ai_commands WHERE id = $id";
        command.Parameters.AddWithValue("$id", slotId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(long slotId, AiCommandCost cost, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE ai_commands SET interpreter = $interpreter, model = $model, input_tokens = $in, output_tokens = $out, cost_usd = $cost
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", slotId);
        command.Parameters.AddWithValue("$interpreter", cost.Interpreter);
        command.Parameters.AddWithValue("$model", (object?)cost.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$in", cost.InputTokens);
        command.Parameters.AddWithValue("$out", cost.OutputTokens);
        command.Parameters.AddWithValue("$cost", (double)cost.CostUsd);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
