using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Graceful shutdown: runs before Kestrel stops (which would otherwise wait for every WebSocket request).
/// New sockets are turned away, the log is flushed so every queued batch is committed and acknowledged, rooms are
/// snapshotted, and then each socket is closed with 1001 after what is queued for it has been sent.
/// </summary>
public sealed class RealtimeShutdown(ICanvasLog log, RoomManager rooms, SessionRegistry sessions, ILogger<RealtimeShutdown> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await log.FlushAsync(cancellationToken);
        await rooms.CaughtUpAsync();
        // Every flushed batch is now with its room; wait until the rooms' lanes have queued the acks too.
        await Task.WhenAll(rooms.Rooms.Select(room => room.DeliveredAsync()));
        await Task.WhenAll(rooms.Rooms.Select(room => room.SnapshotIfDueAsync(force: true)));
        var open = sessions.Open.ToArray();
        foreach (var session in open) session.Close(CloseCodes.GoingAway, "the server is shutting down");
        var deadline = DateTime.UtcNow + DrainTimeout;
        while (!sessions.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20, CancellationToken.None);
        logger.LogInformation("closed {Count} sessions for shutdown", open.Length);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>/readyz</c> turns red as soon as shutdown begins, so a load balancer stops sending new sockets here.</summary>
    public sealed class ReadinessCheck(RealtimeShutdown shutdown) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(shutdown.IsStopping ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy());
    }
}
