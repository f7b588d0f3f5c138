using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Failed local sign-ins, counted where every instance sees them: per account (by the email typed, whether or not
/// the account exists, so the lock says nothing about existence) and per client address. Past the limit within the
/// window, the key is locked for the lockout period.
/// </summary>
public sealed class LoginThrottle(ILoginAttemptStore attempts, Microsoft.Extensions.Options.IOptions<AuthOptions> options)
{
    private readonly LoginThrottleOptions _options = options.Value.Throttle;

    /// <summary>How long the caller must wait before trying again, or zero.</summary>
    public async Task<TimeSpan> RetryAfterAsync(string email, string? address, CancellationToken cancellationToken = default)
    {
        var lockedUntil = await attempts.LockedUntilAsync([AccountKey(email), AddressKey(address)], cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return lockedUntil > now ? lockedUntil.Value - now : TimeSpan.Zero;
    }

    public async Task FailAsync(string email, string? address, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        await attempts.CountFailureAsync(AccountKey(email), Limit(_options.FailuresPerAccount), now, cancellationToken);
        await attempts.CountFailureAsync(AddressKey(address), Limit(_options.FailuresPerAddress), now, cancellationToken);
    }

    /// <summary>A successful sign-in forgets the account's failures (not the address's: one good password does not excuse a spray).</summary>
    public Task SucceedAsync(string email, CancellationToken cancellationToken = default) => attempts.ForgetAsync(AccountKey(email), cancellationToken);

    private FailureLimit Limit(int failures) =>
        new(failures, TimeSpan.FromMinutes(_options.WindowMinutes), TimeSpan.FromMinutes(_options.LockoutMinutes));

    private static string AccountKey(string email) => "account:" + Users.NormalizeEmail(email);

    private static string AddressKey(string? address) => "address:" + (address ?? "unknown");
}
