using System.Collections.Concurrent;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Every open session of this process, from the socket's acceptance to its end (before and after <c>hello</c>): what
/// shutdown closes and what access changes and expiry sweeps walk over.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<Session, Session> _sessions = new();
    private readonly Lock _gate = new();
    /// <summary>Completed by the next <see cref="Add"/>; replaced once a waiter has seen it completed.</summary>
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The open sessions at the moment of the call.</summary>
    public ICollection<Session> Open => _sessions.Keys;

    public bool IsEmpty => _sessions.IsEmpty;

    public void Add(Session session)
    {
        _sessions.TryAdd(session, session);
        lock (_gate) _added.TrySetResult();
    }

    /// <summary>Returns once at least one session is open: periodic work over the sessions sleeps while there is none.</summary>
    public async Task WaitUntilAnyOpenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            lock (_gate)
            {
                // Checked under the lock that Add completes under, so an Add after this check wakes the wait below.
                if (!_sessions.IsEmpty) return;
                if (_added.Task.IsCompleted) _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
                added = _added.Task;
            }
            await added.WaitAsync(cancellationToken);
        }
    }

    public void Remove(Session session) => _sessions.TryRemove(session, out _);
}
