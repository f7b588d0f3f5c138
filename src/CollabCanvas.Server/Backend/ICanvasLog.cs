using System.Threading.Channels;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// The canvas log: the sequencer and the durable store of every batch. Appending assigns the seq (per canvas,
/// strictly increasing). Committed batches come out of <see cref="Committed"/>, one stream per instance, in
/// seq order per canvas and once each, whoever appended them (this instance or, with a shared log, another), for the
/// canvases this instance watches (<see cref="WatchAsync"/>); so a room never sees a batch before an earlier one.
/// </summary>
public interface ICanvasLog
{
    /// <summary>
    /// Starts (or, counted, keeps) delivering this canvas's committed batches on the stream. Await it before loading
    /// the canvas: what commits between its completion and the load comes out on the stream (and may also be in the
    /// load). Asynchronous because a shared log may have to read where delivery starts; when it throws (or is
    /// cancelled), the canvas is not watched.
    /// </summary>
    Task WatchAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>Undoes one completed <see cref="WatchAsync"/>; when none is left, the canvas's batches no longer come out.</summary>
    void Unwatch(string canvasId);

    /// <summary>
    /// The instance's one stream of committed batches (<see cref="LogRecord"/>) and lost canvases
    /// (<see cref="CanvasLost"/>: reload it from storage) of watched canvases. One reader per instance; it must keep
    /// up (hand each event on, never wait on the log). A channel rather than an <c>IAsyncEnumerable</c> so that the
    /// reader can tell when it has caught up (<see cref="ChannelReader{T}.Count"/> is supported): shutdown waits for
    /// that after <see cref="FlushAsync"/>, so every flushed batch is acknowledged before sockets close.
    /// </summary>
    ChannelReader<LogEvent> Committed { get; }

    /// <summary>
    /// Completes once the batch is durable (or was found already logged; <see cref="AppendOutcome"/>), after it came
    /// out on the stream of this instance if its canvas is watched. Throws <see cref="CanvasLogBusyException"/> at once
    /// when <see cref="LogOptions.MaxQueuedAppends"/> appends already wait (the storage cannot keep up): nothing was
    /// appended. Cancelling stops the wait, not the append: a batch already queued may still commit.
    /// </summary>
    Task<AppendResult> AppendAsync(NewBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The snapshot and every batch after it.</summary>
    Task<StoredCanvas> LoadAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>Batches with seq after <paramref name="since"/>, at most <paramref name="limit"/>; null when some were cleaned up.</summary>
    Task<IReadOnlyList<LogRecord>?> ReadAfterAsync(string canvasId, long since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Stores a snapshot (ignored when an as recent one exists). Waits for room in the queue rather than failing.</summary>
    Task SaveSnapshotAsync(string canvasId, Snapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Removes log rows that a snapshot covers and that are older than the retention.</summary>
    Task PruneAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a canvas's log and snapshot.</summary>
    Task DeleteCanvasAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>Completes when every append queued so far is committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The log's append queue is full: the storage is not keeping up. Nothing was appended; the realtime layer answers
/// the batch with <c>rate_limited</c> (send it again later).
/// </summary>
public sealed class CanvasLogBusyException() : Exception("the canvas log is busy: too many appends are waiting for storage");
