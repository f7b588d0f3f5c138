using System.Collections.Concurrent;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Every open session of this process, from the socket's acceptance to its end (before and after <c>hello</c>): what
/// shutdown closes and what access changes and expiry sweeps walk over.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<Session, Session> _sessions = new();

    /// <summary>The open sessions at the moment of the call.</summary>
    public ICollection<Session> Open => _sessions.Keys;

    public bool IsEmpty => _sessions.IsEmpty;

    public void Add(Session session) => _sessions.TryAdd(session, session);

    public void Remove(Session session) => _sessions.TryRemove(session, out _);
}
