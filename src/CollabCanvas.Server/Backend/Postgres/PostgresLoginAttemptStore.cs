namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>The <c>login_failures</c> table: one row per key with a failure in its window or a lock.</summary>
public sealed class PostgresLoginAttemptStore(PostgresDatabase database) : ILoginAttemptStore
{
    public async Task<DateTimeOffset?> LockedUntilAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT max(locked_until) FROM login_failures WHERE key = ANY($1)", keys.ToList());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? null : reader.Time(0);
    }

    public async Task CountFailureAsync(string key, FailureLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // One transaction: the upsert locks the key's row, so concurrent failures on any instance count one after the other.
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("""
                INSERT INTO login_failures AS f (key, failures, window_start) VALUES ($1, 1, $2)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN f.window_start < $2 - $3 THEN 1 ELSE f.failures + 1 END,
                    window_start = CASE WHEN f.window_start < $2 - $3 THEN $2 ELSE f.window_start END
                """, key, now, limit.Window),
            PostgresCommands.Statement(
                "UPDATE login_failures SET locked_until = $2 + $3, failures = 0, window_start = $2 WHERE key = $1 AND failures >= $4",
                key, now, limit.Lockout, limit.Failures),
            // Others' forgotten rows, skipping those another transaction holds (waiting for them could deadlock).
            PostgresCommands.Statement("""
                DELETE FROM login_failures WHERE key IN (
                    SELECT key FROM login_failures WHERE window_start < $1 - $2 AND (locked_until IS NULL OR locked_until < $1)
                    FOR UPDATE SKIP LOCKED)
                """, now, limit.Window));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("DELETE FROM login_failures WHERE key = $1", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
