using System.Threading.Channels;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>
/// The canvas log in this process's memory (tests, demos): the same rules as the SQLite log (seq per canvas strictly
/// increasing, idempotent by client and ref, snapshots, retention, the committed stream) with nothing written anywhere.
/// Appends complete at once, under one lock that also puts them on the stream, so the stream is in seq order; there is
/// no queue waiting for storage, so an append is never refused as busy. It also holds what
/// <see cref="InMemoryCanvasHistory"/> keeps beside each canvas's log (checkpoints, versions, settings).
/// </summary>
public sealed class InMemoryCanvasLog(IOptions<HistoryOptions> history) : ICanvasLog, IDisposable
{
    private readonly HistoryOptions _history = history.Value;
    private readonly object _gate = new();
    private readonly Dictionary<string, CanvasLog> _canvases = new(StringComparer.Ordinal);
    private readonly CommittedStream _stream = new();
    private long _nextSeq;

    internal sealed class CanvasLog
    {
        public readonly List<LogRecord> Batches = [];
        public readonly Dictionary<(string Client, string Ref), LogRecord> ByRef = [];
        public Snapshot? Snapshot;
        public long PrunedSeq;
        public readonly SortedList<long, Snapshot> Checkpoints = [];
        public readonly List<CanvasVersion> Versions = [];
        public HistorySettings Settings = HistorySettings.Default;
    }

    /// <summary>Runs <paramref name="read"/> on the canvas's log (made when missing) under the log's lock.</summary>
    internal T Locked<T>(string canvasId, Func<CanvasLog, T> read)
    {
        lock (_gate) return read(Canvas(canvasId));
    }

    public ChannelReader<LogEvent> Committed => _stream.Reader;

    public Task WatchAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _stream.Watch(canvasId);
        return Task.CompletedTask;
    }

    public void Unwatch(string canvasId) => _stream.Unwatch(canvasId);

    public Task<AppendResult> AppendAsync(NewBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var log = Canvas(batch.CanvasId);
            if (log.ByRef.TryGetValue((batch.ClientId, batch.Ref), out var original))
            {
                var outcome = original.OpsJson.AsSpan().SequenceEqual(batch.OpsJson) ? AppendOutcome.Duplicate : AppendOutcome.RefConflict;
                return Task.FromResult(new AppendResult(outcome, original.Seq));
            }
            // One counter for every canvas, as SQLite's row id: per canvas increasing, not dense.
            var record = new LogRecord(batch.CanvasId, ++_nextSeq, batch.Actor, batch.ClientId, batch.Ref, batch.OpsJson, batch.Ops,
                DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            log.Batches.Add(record);
            log.ByRef[(batch.ClientId, batch.Ref)] = record;
            _stream.Publish(record);
            return Task.FromResult(new AppendResult(AppendOutcome.Appended, record.Seq));
        }
    }

    public Task<StoredCanvas> LoadAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_canvases.TryGetValue(canvasId, out var log)) return Task.FromResult(new StoredCanvas(null, []));
            var after = log.Snapshot?.Seq ?? 0;
            return Task.FromResult(new StoredCanvas(log.Snapshot, [.. log.Batches.Where(r => r.Seq > after)]));
        }
    }

    public Task<IReadOnlyList<LogRecord>?> ReadAfterAsync(string canvasId, long since, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_canvases.TryGetValue(canvasId, out var log)) return Task.FromResult<IReadOnlyList<LogRecord>?>([]);
            if (since < log.PrunedSeq) return Task.FromResult<IReadOnlyList<LogRecord>?>(null);
            return Task.FromResult<IReadOnlyList<LogRecord>?>([.. log.Batches.Where(r => r.Seq > since).Take(limit)]);
        }
    }

    public Task SaveSnapshotAsync(string canvasId, Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var log = Canvas(canvasId);
            if (log.Snapshot is null || snapshot.Seq > log.Snapshot.Seq) log.Snapshot = snapshot;
            var lastCheckpoint = log.Checkpoints.Count > 0 ? log.Checkpoints.Keys[^1] : 0;
            if (log.Batches.Count(r => r.Seq > lastCheckpoint && r.Seq <= snapshot.Seq) >= _history.CheckpointEveryBatches)
                log.Checkpoints.TryAdd(snapshot.Seq, snapshot);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Thins history: removes batches older than the canvas's retention that a snapshot and a checkpoint cover (and so
    /// forgets their refs).
    /// </summary>
    public Task PruneAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            foreach (var log in _canvases.Values)
            {
                var days = log.Settings.RetentionDays ?? _history.RetentionDays;
                if (days <= 0 || log.Checkpoints.Count == 0) continue;
                var cutoff = now - TimeSpan.FromDays(days);
                var covered = Math.Min(log.Snapshot?.Seq ?? 0, log.Checkpoints.Keys[^1]);
                var prunable = log.Batches.TakeWhile(r => r.Seq <= covered && r.At < cutoff).ToList();
                if (prunable.Count == 0) continue;
                foreach (var record in prunable) log.ByRef.Remove((record.ClientId, record.Ref));
                log.Batches.RemoveRange(0, prunable.Count);
                log.PrunedSeq = prunable[^1].Seq;
            }
        }
        return Task.CompletedTask;
    }

    public Task DeleteCanvasAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate) _canvases.Remove(canvasId);
        return Task.CompletedTask;
    }

    /// <summary>Nothing waits: every append completed when it was made.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private CanvasLog Canvas(string canvasId)
    {
        if (!_canvases.TryGetValue(canvasId, out var log)) _canvases[canvasId] = log = new CanvasLog();
        return log;
    }

    public void Dispose() => _stream.Complete();
}
