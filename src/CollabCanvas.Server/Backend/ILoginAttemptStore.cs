namespace CollabCanvas.Server.Backend;

/// <summary>How many failures within a window lock a key, and for how long.</summary>
public sealed record FailureLimit(int Failures, TimeSpan Window, TimeSpan Lockout);

/// <summary>
/// Failed sign-in attempts per key (an account's or a client address's), seen by every instance. What the keys are
/// and what a lock means for the caller is <c>Auth/LoginThrottle</c>'s business.
/// </summary>
public interface ILoginAttemptStore
{
    /// <summary>The latest moment any of these keys is locked until, or null when none has been locked (or its lock was forgotten).</summary>
    Task<DateTimeOffset?> LockedUntilAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failure of <paramref name="key"/> at <paramref name="now"/>: failures older than the limit's window are
    /// forgotten; the one that reaches the limit locks the key until <paramref name="now"/> plus the lockout and
    /// starts the count afresh. Concurrent failures, on any instance, count exactly.
    /// </summary>
    Task CountFailureAsync(string key, FailureLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Forgets a key's failures and its lock.</summary>
    Task ForgetAsync(string key, CancellationToken cancellationToken = default);
}
