using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Realtime;

/// <summary>Writes time-based snapshots of busy rooms and prunes the log now and then.</summary>
public sealed class RoomMaintenance(RoomManager rooms, ICanvasLog log, IOptions<LogOptions> options, ILogger<RoomMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _pruneEvery = TimeSpan.FromSeconds(options.Value.PruneEverySeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var lastPrune = DateTime.UtcNow;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Task.WhenAll(rooms.Rooms.Select(room => room.SnapshotIfDueAsync(force: false)));
                if (DateTime.UtcNow - lastPrune >= _pruneEvery)
                {
                    lastPrune = DateTime.UtcNow;
                    await log.PruneAsync(stoppingToken);
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "room maintenance failed; retrying on the next tick");
            }
        }
    }
}
