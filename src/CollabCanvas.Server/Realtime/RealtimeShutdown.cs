using System.Collections.Concurrent;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Graceful shutdown: runs before Kestrel stops (which would otherwise wait for every WebSocket request).
/// New sockets are turned away, the log is flushed so every queued batch is committed and acknowledged, rooms are
/// snapshotted, and then each socket is closed with 1001 after what is queued for it has been sent.
/// </summary>
public sealed class RealtimeShutdown(ICanvasLog log, RoomManager rooms, ILogger<RealtimeShutdown> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Session, Session> _sessions = new();
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    /// <summary>Every open session of this process.</summary>
    public ICollection<Session> OpenSessions => _sessions.Keys;

    public void Track(Session session) => _sessions.TryAdd(session, session);

    public void Untrack(Session session) => _sessions.TryRemove(session, out _);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await log.FlushAsync(cancellationToken);
        await rooms.CaughtUpAsync();
        // Every flushed batch is now with its room; wait until the rooms' lanes have queued the acks too.
        await Task.WhenAll(rooms.Rooms.Select(room => room.DeliveredAsync()));
        await Task.WhenAll(rooms.Rooms.Select(room => room.SnapshotIfDueAsync(force: true)));
        var open = _sessions.Keys.ToArray();
        foreach (var session in open) session.Close(CloseCodes.GoingAway, "the server is shutting down");
        var deadline = DateTime.UtcNow + DrainTimeout;
        while (!_sessions.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20, CancellationToken.None);
        logger.LogInformation("closed {Count} sessions for shutdown", open.Length);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
