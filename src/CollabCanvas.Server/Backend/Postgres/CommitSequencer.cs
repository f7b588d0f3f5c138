using System.Collections.Concurrent;
using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// Turns this instance's own commits and the <see cref="ICommitFeed"/>'s notices into the instance's
/// <see cref="CommittedStream"/>: in seq order per canvas, exactly once. It keeps the last delivered seq of each watched
/// canvas; a batch with the next seq goes out at once, an older one is dropped, and anything else (a skipped seq, a
/// notice without its batch, a reconnected feed) marks the canvas for repair: one background loop reads what is missing
/// from storage, for every marked canvas in one query. Since seq is dense per canvas and committed in order, "the next
/// seq" is exact and the read finds everything before any seq that was announced. A slow safety check of the watched
/// canvases' heads covers a last notice that never came.
/// </summary>
internal sealed class CommitSequencer : IAsyncDisposable
{
    /// <summary>Batches read per canvas and repair query; a canvas further behind is read again at once.</summary>
    internal const int RepairPage = 1000;

    private readonly CommittedStream _stream;
    private readonly ICommitFeed _feed;
    private readonly IPostgresLogReader _reader;
    private readonly TimeSpan _safetyCheck;
    private readonly ILogger _logger;
    private readonly object _watchGate = new();
    private readonly ConcurrentDictionary<string, WatchedCanvas> _canvases = new(StringComparer.Ordinal);
    /// <summary>
    /// Canvases to read from storage, and why (the first reason wins; it only labels the metric): "start" (a new watch),
    /// "notice" (a feed without batches announced one: its normal path, counted apart from repairs), or a repair's reason.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _marked = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<TaskCompletionSource> _settledWaiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _repairLoop = Task.CompletedTask;
    private Task _noticeLoop = Task.CompletedTask;

    public CommitSequencer(CommittedStream stream, ICommitFeed feed, IPostgresLogReader reader, TimeSpan safetyCheck, ILogger logger)
    {
        _stream = stream;
        _feed = feed;
        _reader = reader;
        _safetyCheck = safetyCheck;
        _logger = logger;
    }

    public void Start()
    {
        _repairLoop = Task.Run(RepairLoopAsync);
        _noticeLoop = Task.Run(NoticeLoopAsync);
    }

    /// <summary>
    /// Delivery of a newly watched canvas starts after its head in storage, read before this completes: whatever
    /// commits after that comes out on the stream. A watch of a canvas whose head is still being read waits for it too.
    /// A batch committed while the head was being read may have been offered before the canvas had its starting point;
    /// a read after it, in the background, delivers that one.
    /// </summary>
    public async Task WatchAsync(string canvasId, CancellationToken cancellationToken)
    {
        // Checked first: waiting on a head read that has already completed would not look at the token.
        cancellationToken.ThrowIfCancellationRequested();
        WatchedCanvas canvas;
        var first = false;
        lock (_watchGate)
        {
            if (_stream.Watch(canvasId))
            {
                _canvases[canvasId] = canvas = new WatchedCanvas();
                first = true;
            }
            else canvas = _canvases[canvasId];
        }
        _feed.Subscribe(canvasId);
        if (first) _ = StartAsync(canvasId, canvas);
        try
        {
            await canvas.Started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Unwatch(canvasId);
            throw;
        }
    }

    /// <summary>
    /// Reads the head of a newly watched canvas, its starting point, for every watch waiting on it. Not cancelled by
    /// the first watch's caller: the others wait for it too.
    /// </summary>
    private async Task StartAsync(string canvasId, WatchedCanvas canvas)
    {
        try
        {
            var head = await _reader.ReadHeadAsync(canvasId, _stopping.Token).ConfigureAwait(false);
            lock (canvas) canvas.Delivered = head;
            Mark(canvasId, "start");
            canvas.Started.TrySetResult();
        }
        catch (Exception e)
        {
            // Every watch waiting on it fails and unwatches; the next watch once none is left reads again.
            canvas.Started.TrySetException(e);
        }
    }

    public void Unwatch(string canvasId)
    {
        _feed.Unsubscribe(canvasId);
        lock (_watchGate)
        {
            if (_stream.Unwatch(canvasId)) _canvases.TryRemove(canvasId, out _);
        }
    }

    /// <summary>Batches this instance committed, in seq order per canvas.</summary>
    public void Committed(List<LogRecord> records)
    {
        foreach (var record in records) Offer(record, "gap");
    }

    /// <summary>Completes when no canvas waits for a repair (after the next repair pass if one does).</summary>
    public Task SettledAsync(CancellationToken cancellationToken)
    {
        if (_marked.IsEmpty) return Task.CompletedTask;
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_settledWaiters) _settledWaiters.Add(waiter);
        _wake.Writer.TryWrite(true);
        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Delivers the record if it is the canvas's next; marks the canvas for repair if one is missing before it.</summary>
    private void Offer(LogRecord record, string reasonIfAhead)
    {
        if (!_canvases.TryGetValue(record.CanvasId, out var canvas)) return;
        lock (canvas)
        {
            // Not started: the head being read covers this record, or the read after it delivers it.
            if (canvas.Delivered < 0 || record.Seq <= canvas.Delivered) return;
            if (record.Seq == canvas.Delivered + 1)
            {
                canvas.Delivered = record.Seq;
                _stream.Publish(record);
                return;
            }
        }
        Mark(record.CanvasId, reasonIfAhead);
    }

    private void Mark(string canvasId, string reason)
    {
        _marked.TryAdd(canvasId, reason);
        _wake.Writer.TryWrite(true);
    }

    private async Task NoticeLoopAsync()
    {
        try
        {
            await foreach (var notice in _feed.Notices.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (notice.PublishedAtUnixMilliseconds > 0)
                    CanvasMetrics.FeedLag.Record(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - notice.PublishedAtUnixMilliseconds));
                if (notice.IsResubscribed)
                {
                    foreach (var canvasId in _canvases.Keys) Mark(canvasId, "resubscribed");
                }
                else if (notice.Record is not null) Offer(notice.Record, "gap");
                else if (_canvases.TryGetValue(notice.CanvasId, out var canvas) && notice.Seq > Volatile.Read(ref canvas.Delivered))
                    Mark(notice.CanvasId, "notice");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RepairLoopAsync()
    {
        var token = _stopping.Token;
        var nextSafetyCheck = Environment.TickCount64 + (long)_safetyCheck.TotalMilliseconds;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var untilCheck = TimeSpan.FromMilliseconds(Math.Max(0, nextSafetyCheck - Environment.TickCount64));
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    wait.CancelAfter(untilCheck);
                    try
                    {
                        await _wake.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                    }
                }
                if (Environment.TickCount64 >= nextSafetyCheck)
                {
                    nextSafetyCheck = Environment.TickCount64 + (long)_safetyCheck.TotalMilliseconds;
                    await CheckHeadsAsync(token).ConfigureAwait(false);
                }
                await RepairMarkedAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Storage is unreachable: the marks stay, and the next pass tries again.
                _logger.LogWarning(e, "reading missing batches from the database failed; retrying in a second");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Marks every started canvas whose head in storage is past what was delivered here (a lost last notice).</summary>
    private async Task CheckHeadsAsync(CancellationToken cancellationToken)
    {
        var started = _canvases.Where(c => Volatile.Read(ref c.Value.Delivered) >= 0).Select(c => c.Key).ToList();
        if (started.Count == 0) return;
        var heads = await _reader.ReadHeadsAsync(started, cancellationToken).ConfigureAwait(false);
        foreach (var (canvasId, head) in heads)
        {
            if (_canvases.TryGetValue(canvasId, out var canvas) && head > Volatile.Read(ref canvas.Delivered)) Mark(canvasId, "safety");
        }
    }

    private async Task RepairMarkedAsync(CancellationToken cancellationToken)
    {
        while (!_marked.IsEmpty)
        {
            var marked = _marked.ToArray();
            // Only these marks: one set meanwhile (a canvas watched again) stays for the next pass.
            foreach (var mark in marked) _marked.TryRemove(mark);
            try
            {
                await ReadMissingAsync(marked, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                foreach (var (canvasId, reason) in marked) _marked.TryAdd(canvasId, reason);
                throw;
            }
        }
        lock (_settledWaiters)
        {
            foreach (var waiter in _settledWaiters) waiter.TrySetResult();
            _settledWaiters.Clear();
        }
    }

    private async Task ReadMissingAsync(KeyValuePair<string, string>[] marked, CancellationToken cancellationToken)
    {
        var from = new List<(string CanvasId, long After)>(marked.Length);
        foreach (var (canvasId, reason) in marked)
        {
            if (!_canvases.TryGetValue(canvasId, out var canvas)) continue;
            var delivered = Volatile.Read(ref canvas.Delivered);
            if (delivered < 0) continue;
            from.Add((canvasId, delivered));
            switch (reason)
            {
                case "start": break;
                case "notice": CanvasMetrics.FeedReads.Add(1); break;
                default: CanvasMetrics.GapRepairs.Add(1, new KeyValuePair<string, object?>("reason", reason)); break;
            }
        }
        if (from.Count == 0) return;
        var tails = await _reader.ReadTailsAsync(from, RepairPage, cancellationToken).ConfigureAwait(false);
        foreach (var tail in tails)
        {
            if (!_canvases.TryGetValue(tail.CanvasId, out var canvas)) continue;
            Deliver(canvas, tail);
            if (tail.Records.Count == RepairPage) Mark(tail.CanvasId, "gap");
        }
    }

    /// <summary>
    /// Delivers what storage holds past the canvas's last delivered seq. Rows that were cleaned up before this instance
    /// read them cannot be delivered: the canvas is lost (its room reloads it) and delivery goes on after them.
    /// </summary>
    private void Deliver(WatchedCanvas canvas, StoredTail tail)
    {
        lock (canvas)
        {
            foreach (var record in tail.Records)
            {
                if (record.Seq <= canvas.Delivered) continue;
                if (record.Seq > canvas.Delivered + 1) Lost(tail.CanvasId);
                canvas.Delivered = record.Seq;
                _stream.Publish(record);
            }
            if (tail.PrunedSeq > canvas.Delivered)
            {
                Lost(tail.CanvasId);
                canvas.Delivered = tail.PrunedSeq;
            }
        }
    }

    private void Lost(string canvasId)
    {
        _logger.LogWarning("batches of canvas {Canvas} were cleaned up before this instance read them; reloading it", canvasId);
        _stream.PublishLost(canvasId);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_repairLoop, _noticeLoop).ConfigureAwait(false);
        lock (_settledWaiters)
        {
            foreach (var waiter in _settledWaiters) waiter.TrySetResult();
            _settledWaiters.Clear();
        }
        _stopping.Dispose();
    }

    private sealed class WatchedCanvas
    {
        /// <summary>The last seq put on the stream; -1 until the starting head is read.</summary>
        public long Delivered = -1;

        /// <summary>Completes once <see cref="Delivered"/> has its starting point (fails if it could not be read).</summary>
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the sequencer reads from storage.</summary>
internal interface IPostgresLogReader
{
    /// <summary>The canvas's last seq handed out (0 if none).</summary>
    Task<long> ReadHeadAsync(string canvasId, CancellationToken cancellationToken);

    /// <summary>The head (last seq handed out) of each canvas that has one.</summary>
    Task<IReadOnlyDictionary<string, long>> ReadHeadsAsync(IReadOnlyList<string> canvasIds, CancellationToken cancellationToken);

    /// <summary>For each canvas, at most <paramref name="limitPerCanvas"/> batches after the given seq, in seq order.</summary>
    Task<IReadOnlyList<StoredTail>> ReadTailsAsync(IReadOnlyList<(string CanvasId, long After)> from, int limitPerCanvas, CancellationToken cancellationToken);
}

/// <summary>Batches of one canvas read from storage, and up to which seq its rows may have been cleaned up.</summary>
internal sealed record StoredTail(string CanvasId, long PrunedSeq, List<LogRecord> Records);
