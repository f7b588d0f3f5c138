namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The <c>login_failures</c> table: one row per key with a failure in its window or a lock.</summary>
public sealed class SqliteLoginAttemptStore(SqliteDatabase database) : ILoginAttemptStore
{
    public async Task<DateTimeOffset?> LockedUntilAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT MAX(locked_until) FROM login_failures WHERE locked_until > 0 AND key IN ({string.Join(", ", keys.Select((_, i) => "$key" + i))})";
        foreach (var (key, i) in keys.Select((key, i) => (key, i))) command.Parameters.AddWithValue("$key" + i, key);
        return await command.ExecuteScalarAsync(cancellationToken) is long lockedUntil ? DateTimeOffset.FromUnixTimeMilliseconds(lockedUntil) : null;
    }

    public async Task CountFailureAsync(string key, FailureLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // One statement: concurrent failures on several instances count exactly.
        command.CommandText = """
            INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES ($key, 1, $now, 0)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN window_start < $now - $window THEN 1 ELSE failures + 1 END,
                window_start = CASE WHEN window_start < $now - $window THEN $now ELSE window_start END;
            UPDATE login_failures SET locked_until = $now + $lockout, failures = 0, window_start = $now
            WHERE key = $key AND failures >= $limit;
            DELETE FROM login_failures WHERE window_start < $now - $window AND locked_until < $now;
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$window", (long)limit.Window.TotalMilliseconds);
        command.Parameters.AddWithValue("$lockout", (long)limit.Lockout.TotalMilliseconds);
        command.Parameters.AddWithValue("$limit", limit.Failures);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM login_failures WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
