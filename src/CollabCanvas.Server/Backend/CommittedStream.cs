using System.Collections.Concurrent;
using System.Threading.Channels;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// The part of <see cref="ICanvasLog"/> that every implementation shares: the one stream of committed batches and lost
/// canvases of an instance, filtered by the canvases it watches (counted: two watches need two unwatches).
/// </summary>
public sealed class CommittedStream
{
    // Not SingleReader: that channel cannot count what it holds, and the reader needs to know when it caught up.
    private readonly Channel<LogEvent> _events = Channel.CreateUnbounded<LogEvent>();
    private readonly ConcurrentDictionary<string, int> _watched = new(StringComparer.Ordinal);

    public ChannelReader<LogEvent> Reader => _events.Reader;

    /// <summary>Counts one more watch; true when it is the canvas's first.</summary>
    public bool Watch(string canvasId) => _watched.AddOrUpdate(canvasId, 1, static (_, count) => count + 1) == 1;

    /// <summary>Undoes one watch; true when it was the canvas's last.</summary>
    public bool Unwatch(string canvasId)
    {
        while (_watched.TryGetValue(canvasId, out var count))
        {
            if (count == 1 ? _watched.TryRemove(KeyValuePair.Create(canvasId, 1)) : _watched.TryUpdate(canvasId, count - 1, count)) return count == 1;
        }
        return false;
    }

    public bool IsWatched(string canvasId) => _watched.ContainsKey(canvasId);

    /// <summary>Puts a committed batch on the stream if its canvas is watched. Callers publish in seq order per canvas.</summary>
    public void Publish(LogRecord record)
    {
        if (IsWatched(record.CanvasId)) _events.Writer.TryWrite(record);
    }

    public void PublishLost(string canvasId)
    {
        if (IsWatched(canvasId)) _events.Writer.TryWrite(new CanvasLost(canvasId));
    }

    /// <summary>The log stopped: the stream ends.</summary>
    public void Complete() => _events.Writer.TryComplete();
}
