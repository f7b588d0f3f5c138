using CollabCanvas.Server.Features;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.History;

/// <summary>
/// Saves an automatic version of a canvas after a burst of edits, once it has been quiet for
/// <see cref="HistoryOptions.AutoVersionQuietSeconds"/>. It watches this instance's rooms once a second and remembers
/// the last seq each showed after an edit, also when the room unloads before the quiet period ends. Several instances
/// with the same canvas save the same version once (the store keeps one automatic version per seq, and none where a
/// version at or after that seq exists). What a process had noticed is forgotten when it stops.
/// </summary>
public sealed class AutoVersions(RoomManager rooms, CanvasHistoryService history, FeatureFlags flags, IOptions<HistoryOptions> options,
    ILogger<AutoVersions> logger) : BackgroundService
{
    private readonly long _quietMilliseconds = options.Value.AutoVersionQuietSeconds * 1000L;
    /// <summary>Per canvas: the seq after its last edit, and when that edit was applied here.</summary>
    private readonly Dictionary<string, (long Seq, long At)> _edited = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Min(1000, _quietMilliseconds / 2)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var room in rooms.Rooms)
            {
                var (seq, at) = room.Activity;
                if (at != 0 && (!_edited.TryGetValue(room.CanvasId, out var known) || known.Seq < seq)) _edited[room.CanvasId] = (seq, at);
            }
            var now = Environment.TickCount64;
            foreach (var (canvasId, (seq, at)) in _edited.Where(e => now - e.Value.At >= _quietMilliseconds).ToList())
            {
                _edited.Remove(canvasId);
                try
                {
                    if (await flags.IsOnAsync(Feature.VersionHistory, null, stoppingToken))
                        await history.SaveAutomaticVersionAsync(canvasId, seq, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "automatic version of canvas {Canvas} at seq {Seq} failed", canvasId, seq);
                }
            }
        }
    }
}
