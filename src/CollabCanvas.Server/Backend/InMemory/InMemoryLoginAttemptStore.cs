namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>Failed sign-in attempts in a dictionary: the same rules as <c>login_failures</c>, under one lock.</summary>
public sealed class InMemoryLoginAttemptStore : ILoginAttemptStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Failures> _failures = [];

    private sealed record Failures(int Count, DateTimeOffset WindowStart, DateTimeOffset? LockedUntil);

    public Task<DateTimeOffset?> LockedUntilAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(keys.Select(key => _failures.GetValueOrDefault(key)?.LockedUntil).Max());
        }
    }

    public Task CountFailureAsync(string key, FailureLimit limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key) is { } known && known.WindowStart >= now - limit.Window
                ? known with { Count = known.Count + 1 }
                : new Failures(1, now, _failures.GetValueOrDefault(key)?.LockedUntil);
            if (failures.Count >= limit.Failures) failures = new Failures(0, now, now + limit.Lockout);
            _failures[key] = failures;
            foreach (var stale in _failures.Where(f => f.Value.WindowStart < now - limit.Window && !(f.Value.LockedUntil >= now)).Select(f => f.Key).ToList())
                _failures.Remove(stale);
        }
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate) _failures.Remove(key);
        return Task.CompletedTask;
    }
}
