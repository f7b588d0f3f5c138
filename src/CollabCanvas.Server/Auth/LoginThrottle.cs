using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Failed local sign-ins, counted in the database so that every instance sees them: per account (by the email typed,
/// whether or not the account exists, so the lock says nothing about existence) and per client address. Past the
/// limit within the window, the key is locked for the lockout period.
/// </summary>
public sealed class LoginThrottle(SqliteDatabase database, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
{
    private readonly AuthOptions _options = options.Value;

    /// <summary>How long the caller must wait before trying again, or zero.</summary>
    public TimeSpan RetryAfter(string email, string? address)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(locked_until) FROM login_failures WHERE key IN ($account, $address)";
        command.Parameters.AddWithValue("$account", AccountKey(email));
        command.Parameters.AddWithValue("$address", AddressKey(address));
        var lockedUntil = command.ExecuteScalar() is long value ? value : 0;
        return lockedUntil > now ? TimeSpan.FromMilliseconds(lockedUntil - now) : TimeSpan.Zero;
    }

    public void Fail(string email, string? address)
    {
        Count(AccountKey(email), _options.Throttle.FailuresPerAccount);
        Count(AddressKey(address), _options.Throttle.FailuresPerAddress);
    }

    /// <summary>A successful sign-in forgets the account's failures (not the address's: one good password does not excuse a spray).</summary>
    public void Succeed(string email)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM login_failures WHERE key = $key";
        command.Parameters.AddWithValue("$key", AccountKey(email));
        command.ExecuteNonQuery();
    }

    private void Count(string key, int limit)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var window = (long)TimeSpan.FromMinutes(_options.Throttle.WindowMinutes).TotalMilliseconds;
        var lockout = (long)TimeSpan.FromMinutes(_options.Throttle.LockoutMinutes).TotalMilliseconds;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
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
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$window", window);
        command.Parameters.AddWithValue("$lockout", lockout);
        command.Parameters.AddWithValue("$limit", limit);
        command.ExecuteNonQuery();
    }

    private static string AccountKey(string email) => "account:" + Users.NormalizeEmail(email);

    private static string AddressKey(string? address) => "address:" + (address ?? "unknown");
}
