using System.Data;
using System.Diagnostics;
using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The log in PostgreSQL, shared by every instance on any host.
/// <list type="bullet">
/// <item>Seq is per canvas and dense: an appending transaction locks the canvas's row in <c>canvas_heads</c> until
/// it commits, so seq order is commit order per canvas.</item>
/// <item>Group commit: appends queue (bounded by <see cref="LogOptions.MaxQueuedAppends"/>, counted until they commit)
/// on one of <see cref="LogOptions.WriterLanes"/> writers chosen by canvas; each writer commits everything queued on it
/// meanwhile in one transaction of two set-based statements sent in one round trip, so different canvases
/// commit in parallel and one canvas's appends keep their order. An append completes after the commit.</item>
/// <item>Between instances: each commit is published on the <see cref="ICommitFeed"/>; the <see cref="CommitSequencer"/>
/// merges this instance's commits and the others' notices into the committed stream and repairs gaps from here.</item>
/// </list>
/// </summary>
public sealed class PostgresCanvasLog : ICanvasLog, IHostedService, IAsyncDisposable, IDisposable, IPostgresLogReader
{
    private readonly PostgresDatabase _database;
    private readonly ICommitFeed _feed;
    private readonly LogOptions _options;
    private readonly HistoryOptions _history;
    private readonly ILogger<PostgresCanvasLog> _logger;
    private readonly CommittedStream _stream = new();
    private readonly CommitSequencer _sequencer;
    private readonly WriterLane[] _lanes;
    private int _queuedAppends;
    private volatile bool _disposed;

    public PostgresCanvasLog(PostgresDatabase database, ICommitFeed feed, IOptions<LogOptions> options, IOptions<HistoryOptions> history,
        ILogger<PostgresCanvasLog> logger)
    {
        _database = database;
        _feed = feed;
        _options = options.Value;
        _history = history.Value;
        _logger = logger;
        _sequencer = new CommitSequencer(_stream, feed, this, TimeSpan.FromMilliseconds(_options.FeedSafetyCheckMilliseconds), logger);
        _lanes = [.. Enumerable.Range(0, _options.WriterLanes).Select(_ => new WriterLane(this))];
    }

    public ChannelReader<LogEvent> Committed => _stream.Reader;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sequencer.Start();
        foreach (var lane in _lanes) lane.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WatchAsync(string canvasId, CancellationToken cancellationToken = default) => _sequencer.WatchAsync(canvasId, cancellationToken);

    public void Unwatch(string canvasId) => _sequencer.Unwatch(canvasId);

    public Task<AppendResult> AppendAsync(NewBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref _queuedAppends) > _options.MaxQueuedAppends)
        {
            Interlocked.Decrement(ref _queuedAppends);
            return Task.FromException<AppendResult>(new CanvasLogBusyException());
        }
        var work = new AppendWork(batch);
        if (_disposed || !LaneOf(batch.CanvasId).Queue.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _queuedAppends);
            return Task.FromException<AppendResult>(new ObjectDisposedException(nameof(PostgresCanvasLog)));
        }
        return work.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// On the canvas's writer, so that it is ordered with the canvas's appends and deletion. Also kept as a checkpoint
    /// once <see cref="HistoryOptions.CheckpointEveryBatches"/> batches came since the last one (seqs are dense).
    /// </summary>
    public Task SaveSnapshotAsync(string canvasId, Snapshot snapshot, CancellationToken cancellationToken = default) =>
        LaneOf(canvasId).RunAsync(async (connection, token) =>
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Command("""
                        INSERT INTO canvas_snapshots (canvas_id, seq, objects) VALUES ($1, $2, $3)
                        ON CONFLICT (canvas_id) DO UPDATE SET seq = excluded.seq, objects = excluded.objects, updated_at = now()
                        WHERE excluded.seq > canvas_snapshots.seq
                        """, canvasId, snapshot.Seq, snapshot.ObjectsJson),
                    Command("""
                        INSERT INTO canvas_checkpoints (canvas_id, seq, objects)
                        SELECT $1, $2, $3
                        WHERE $2 - coalesce((SELECT max(seq) FROM canvas_checkpoints WHERE canvas_id = $1), 0) >= $4
                        ON CONFLICT DO NOTHING
                        """, canvasId, snapshot.Seq, snapshot.ObjectsJson, (long)_history.CheckpointEveryBatches),
                },
            };
            await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Removes the rows and snapshot; the head stays (seqs are never reused) and marks everything as cleaned up.</summary>
    public Task DeleteCanvasAsync(string canvasId, CancellationToken cancellationToken = default) =>
        LaneOf(canvasId).RunAsync(async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Command("UPDATE canvas_heads SET pruned_seq = seq WHERE canvas_id = $1", canvasId),
                    Command("DELETE FROM canvas_log WHERE canvas_id = $1", canvasId),
                    Command("DELETE FROM canvas_snapshots WHERE canvas_id = $1", canvasId),
                    Command("DELETE FROM canvas_checkpoints WHERE canvas_id = $1", canvasId),
                },
            };
            await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            await transaction.CommitAsync(token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Every writer commits what was queued before, then the stream catches up with any repair under way.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_lanes.Select(lane => lane.RunAsync((_, _) => Task.CompletedTask, cancellationToken))).ConfigureAwait(false);
        await _sequencer.SettledAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Thins history: removes rows older than their canvas's retention that a snapshot and a checkpoint cover, one
    /// canvas per statement: each locks only its canvas's head (so it cannot deadlock with a group commit that locks
    /// several), marks the cleanup there and deletes. Several instances may prune at once; the second finds nothing left.
    /// Keeping everything (the default, and a canvas's retention of 0) costs no scan.
    /// </summary>
    public async Task PruneAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var prunable = new List<(string CanvasId, long UpTo)>();
        await using (var find = new NpgsqlCommand("""
            SELECT s.canvas_id, covered.up_to FROM canvas_snapshots s
            JOIN canvas_heads h ON h.canvas_id = s.canvas_id
            LEFT JOIN canvas_history_settings hs ON hs.canvas_id = s.canvas_id
            CROSS JOIN LATERAL (SELECT coalesce(hs.retention_days, $1) AS days,
                (SELECT max(c.seq) FROM canvas_checkpoints c WHERE c.canvas_id = s.canvas_id) AS checkpoint) r
            CROSS JOIN LATERAL (
                SELECT max(l.seq) AS up_to FROM canvas_log l
                WHERE l.canvas_id = s.canvas_id AND l.seq > h.pruned_seq AND l.seq <= s.seq AND l.seq <= r.checkpoint
                  AND l.created_at < now() - r.days * interval '1 day'
            ) covered
            WHERE r.days > 0 AND covered.up_to IS NOT NULL
            """, connection) { Parameters = { new() { Value = _history.RetentionDays } } })
        await using (var rows = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) prunable.Add((rows.GetString(0), rows.GetInt64(1)));
        }
        foreach (var (canvasId, upTo) in prunable)
        {
            await using var prune = new NpgsqlCommand("""
                WITH marked AS (UPDATE canvas_heads SET pruned_seq = $2 WHERE canvas_id = $1 AND pruned_seq < $2)
                DELETE FROM canvas_log WHERE canvas_id = $1 AND seq <= $2
                """, connection) { Parameters = { new() { Value = canvasId }, new() { Value = upTo } } };
            CanvasMetrics.Pruned.Add(await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The snapshot and the batches after it, read in one snapshot of the database (a prune may run meanwhile).</summary>
    public async Task<StoredCanvas> LoadAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT seq, objects FROM canvas_snapshots WHERE canvas_id = $1", canvasId),
                Command("""
                    SELECT seq, actor, client_id, ref, ops, created_at FROM canvas_log
                    WHERE canvas_id = $1 AND seq > coalesce((SELECT seq FROM canvas_snapshots WHERE canvas_id = $1), 0)
                    ORDER BY seq
                    """, canvasId),
            },
        };
        Snapshot? snapshot = null;
        var batches = new List<LogRecord>();
        await using (var rows = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) snapshot = new Snapshot(rows.GetInt64(0), (byte[])rows.GetValue(1));
            await rows.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) batches.Add(ReadRecord(canvasId, rows));
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredCanvas(snapshot, batches);
    }

    /// <summary>
    /// The rows first, then the cleanup mark: a prune before the read shows in the mark, one after it took nothing that
    /// was read. Null when rows after <paramref name="since"/> may be gone.
    /// </summary>
    public async Task<IReadOnlyList<LogRecord>?> ReadAfterAsync(string canvasId, long since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("SELECT seq, actor, client_id, ref, ops, created_at FROM canvas_log WHERE canvas_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", canvasId, since, limit),
                Command("SELECT pruned_seq FROM canvas_heads WHERE canvas_id = $1", canvasId),
            },
        };
        var records = new List<LogRecord>();
        await using var rows = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) records.Add(ReadRecord(canvasId, rows));
        await rows.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var pruned = await rows.ReadAsync(cancellationToken).ConfigureAwait(false) ? rows.GetInt64(0) : 0;
        return since < pruned ? null : records;
    }

    async Task<long> IPostgresLogReader.ReadHeadAsync(string canvasId, CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand("SELECT seq FROM canvas_heads WHERE canvas_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = canvasId });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq ? seq : 0;
    }

    async Task<IReadOnlyDictionary<string, long>> IPostgresLogReader.ReadHeadsAsync(IReadOnlyList<string> canvasIds, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT canvas_id, seq FROM canvas_heads WHERE canvas_id = ANY($1)", connection)
        {
            Parameters = { new() { Value = canvasIds.ToArray() } },
        };
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) heads[rows.GetString(0)] = rows.GetInt64(1);
        return heads;
    }

    /// <summary>Every canvas's missing batches in one query; the cleanup marks after the rows, as in <see cref="ReadAfterAsync"/>.</summary>
    async Task<IReadOnlyList<StoredTail>> IPostgresLogReader.ReadTailsAsync(IReadOnlyList<(string CanvasId, long After)> from, int limitPerCanvas, CancellationToken cancellationToken)
    {
        var canvasIds = from.Select(f => f.CanvasId).ToArray();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("""
                    SELECT w.canvas_id, l.seq, l.actor, l.client_id, l.ref, l.ops
                    FROM unnest($1::text[], $2::bigint[]) AS w(canvas_id, after)
                    CROSS JOIN LATERAL (
                        SELECT seq, actor, client_id, ref, ops FROM canvas_log
                        WHERE canvas_id = w.canvas_id AND seq > w.after ORDER BY seq LIMIT $3
                    ) l
                    ORDER BY w.canvas_id, l.seq
                    """, canvasIds, from.Select(f => f.After).ToArray(), limitPerCanvas),
                Command("SELECT canvas_id, pruned_seq FROM canvas_heads WHERE canvas_id = ANY($1)", canvasIds),
            },
        };
        var records = canvasIds.ToDictionary(id => id, _ => new List<LogRecord>(), StringComparer.Ordinal);
        var pruned = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var rows = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var canvasId = rows.GetString(0);
                records[canvasId].Add(new LogRecord(canvasId, rows.GetInt64(1), rows.GetString(2), rows.GetString(3), rows.GetString(4), (byte[])rows.GetValue(5)));
            }
            await rows.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) pruned[rows.GetString(0)] = rows.GetInt64(1);
        }
        return [.. records.Select(r => new StoredTail(r.Key, pruned.GetValueOrDefault(r.Key), r.Value))];
    }

    /// <summary>A batch from <c>seq, actor, client_id, ref, ops, created_at</c>.</summary>
    internal static LogRecord ReadRecord(string canvasId, NpgsqlDataReader rows) =>
        new(canvasId, rows.GetInt64(0), rows.GetString(1), rows.GetString(2), rows.GetString(3), (byte[])rows.GetValue(4),
            At: rows.GetFieldValue<DateTimeOffset>(5));

    /// <summary>A statement with positional parameters. The first is apart so that a lone array is one parameter, not the list.</summary>
    private static NpgsqlBatchCommand Command(string sql, object first, params object[] rest)
    {
        var command = new NpgsqlBatchCommand(sql) { Parameters = { new NpgsqlParameter { Value = first } } };
        foreach (var value in rest) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private WriterLane LaneOf(string canvasId) => _lanes[(uint)StringComparer.Ordinal.GetHashCode(canvasId) % (uint)_lanes.Length];

    /// <summary>
    /// Locks the heads of a group's canvases, in the order of the array it is given (sorted: two writers never deadlock),
    /// creating the missing ones. A statement of its own so that the next one starts after the locks are held and sees
    /// everything their previous holders committed.
    /// </summary>
    private const string LockHeadsSql = """
        INSERT INTO canvas_heads AS h (canvas_id, seq) SELECT id, 0 FROM unnest($1::text[]) AS id
        ON CONFLICT (canvas_id) DO UPDATE SET seq = h.seq
        """;

    /// <summary>
    /// Appends a group in one statement and answers, for each batch by its position <c>n</c> (1-based), its seq, whether
    /// this statement logged it, and whether its ops equal those logged under its ref. A batch logged already (a resend)
    /// or twice in the group (the second is a resend of the first) is not logged again; the new ones take the next seqs
    /// of their canvas in group order, and the heads (<c>$6</c>: the group's canvases) move to the last.
    /// Written so that its one generic plan is right at any table size (see <see cref="OpenWriterAsync"/>): every read
    /// of a table is a lookup by key that cannot become a join over the table (a <c>LATERAL ... LIMIT 1</c> is not
    /// flattened, so it stays a probe per row; the unique keys make the limit a no-op), and the heads' update is bounded
    /// by <c>$6</c> through the key.
    /// </summary>
    private const string AppendGroupSql = """
        WITH batch AS (
            SELECT b.*, l.seq AS logged_seq, l.ops AS logged_ops
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) WITH ORDINALITY AS b(canvas_id, client_id, ref, actor, ops, n)
            LEFT JOIN LATERAL (
                SELECT seq, ops FROM canvas_log WHERE canvas_id = b.canvas_id AND client_id = b.client_id AND ref = b.ref LIMIT 1
            ) l ON true
        ), numbered AS (
            SELECT f.*, h.seq + row_number() OVER (PARTITION BY f.canvas_id ORDER BY f.n) AS seq
            FROM (SELECT DISTINCT ON (canvas_id, client_id, ref) * FROM batch WHERE logged_seq IS NULL ORDER BY canvas_id, client_id, ref, n) f
            CROSS JOIN LATERAL (SELECT seq FROM canvas_heads WHERE canvas_id = f.canvas_id LIMIT 1) h
        ), inserted AS (
            INSERT INTO canvas_log (canvas_id, seq, client_id, ref, actor, ops)
            SELECT canvas_id, seq, client_id, ref, actor, ops FROM numbered
        ), moved AS (
            UPDATE canvas_heads h SET seq = last.seq
            FROM (SELECT canvas_id, max(seq) AS seq FROM numbered GROUP BY canvas_id) last
            WHERE h.canvas_id = ANY($6::text[]) AND h.canvas_id = last.canvas_id
        )
        SELECT b.n, coalesce(f.seq, b.logged_seq), f.n IS NOT DISTINCT FROM b.n, coalesce(f.ops, b.logged_ops) = b.ops
        FROM batch b LEFT JOIN numbered f ON f.canvas_id = b.canvas_id AND f.client_id = b.client_id AND f.ref = b.ref
        """;

    /// <summary>
    /// A writer's connection, set up for the two statements of every group commit, which it prepares once and runs
    /// with one generic plan each (<c>plan_cache_mode</c>): parsing and planning them per group was about a third of
    /// PostgreSQL's CPU per commit. A generic plan is made once, possibly while the tables are empty, and kept; so that
    /// it cannot be a scan of a whole table, the statements read tables by key only and this connection does not
    /// scan sequentially where an index serves (<c>enable_seqscan</c>; the writer's other statements, snapshots and
    /// deletion, go by key too). Npgsql resets both settings when the connection goes back to the pool.
    /// </summary>
    private async Task<NpgsqlConnection> OpenWriterAsync()
    {
        var connection = await _database.OpenAsync().ConfigureAwait(false);
        try
        {
            await using var settings = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off", connection);
            await settings.ExecuteNonQueryAsync().ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One group commit of appends in one round trip: both statements go in one <see cref="NpgsqlBatch"/> without a
    /// transaction of ours, so PostgreSQL runs them in one implicit transaction and commits it at the batch's end, before
    /// it says it is ready; the reader is read to that point (disposing it waits for it and throws if the commit failed),
    /// so nothing completes before the commit. Prepared (once per connection: Npgsql keeps them by their text).
    /// </summary>
    private async Task CommitAppendsAsync(NpgsqlConnection connection, List<AppendWork> group, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var append in group) CanvasMetrics.AppendWait.Record(Stopwatch.GetElapsedTime(append.QueuedAt, started).TotalMilliseconds);
        var canvasIds = group.Select(a => a.Batch.CanvasId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using (var commit = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(LockHeadsSql, canvasIds),
                Command(AppendGroupSql, group.Select(a => a.Batch.CanvasId).ToArray(), group.Select(a => a.Batch.ClientId).ToArray(),
                    group.Select(a => a.Batch.Ref).ToArray(), group.Select(a => a.Batch.Actor).ToArray(), group.Select(a => a.Batch.OpsJson).ToArray(),
                    canvasIds),
            },
        })
        {
            await commit.PrepareAsync(cancellationToken).ConfigureAwait(false);
            var rows = await commit.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (rows.ConfigureAwait(false))
            {
                // The lock statement returns no rows, so the reader starts at the append's.
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var append = group[(int)rows.GetInt64(0) - 1];
                    var seq = rows.GetInt64(1);
                    append.Result = rows.GetBoolean(2) ? new AppendResult(AppendOutcome.Appended, seq)
                        : new AppendResult(rows.GetBoolean(3) ? AppendOutcome.Duplicate : AppendOutcome.RefConflict, seq);
                }
                while (await rows.NextResultAsync(cancellationToken).ConfigureAwait(false)) { }
            }
        }
        CanvasMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        var committed = new List<LogRecord>(group.Count);
        foreach (var append in group)
        {
            var batch = append.Batch;
            if (append.Result.Outcome == AppendOutcome.Appended)
                committed.Add(new LogRecord(batch.CanvasId, append.Result.Seq, batch.Actor, batch.ClientId, batch.Ref, batch.OpsJson, batch.Ops));
        }
        CanvasMetrics.BatchesAppended.Add(committed.Count);
        _sequencer.Committed(committed);
        foreach (var record in committed) _feed.Publish(record);
    }

    /// <summary>Lets the writers commit what is queued, then stops the loops and ends the stream.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var lane in _lanes) lane.Queue.Writer.TryComplete();
        await Task.WhenAll(_lanes.Select(lane => lane.Loop)).ConfigureAwait(false);
        await _sequencer.DisposeAsync().ConfigureAwait(false);
        _stream.Complete();
    }

    private abstract class WorkItem;

    private sealed class AppendWork(NewBatch batch) : WorkItem
    {
        public NewBatch Batch { get; } = batch;
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();
        public AppendResult Result;
        public readonly TaskCompletionSource<AppendResult> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Anything else a writer does on its connection in queue order (snapshot, delete, flush).</summary>
    private sealed class StorageWork(Func<NpgsqlConnection, CancellationToken, Task> action) : WorkItem
    {
        public Func<NpgsqlConnection, CancellationToken, Task> Action { get; } = action;
        public readonly TaskCompletionSource Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// One writer: its queue, its connection (opened again after a failure), and its loop, which commits the appends
    /// queued in a row as one group and runs anything else on its own.
    /// </summary>
    private sealed class WriterLane(PostgresCanvasLog log)
    {
        public Channel<WorkItem> Queue { get; } = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
        public Task Loop { get; private set; } = Task.CompletedTask;

        public void Start() => Loop = Task.Run(RunLoopAsync);

        public async Task RunAsync(Func<NpgsqlConnection, CancellationToken, Task> action, CancellationToken cancellationToken)
        {
            var work = new StorageWork(action);
            if (!Queue.Writer.TryWrite(work)) throw new ObjectDisposedException(nameof(PostgresCanvasLog));
            await work.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task RunLoopAsync()
        {
            var reader = Queue.Reader;
            var group = new List<AppendWork>(log._options.MaxGroupCommit);
            NpgsqlConnection? connection = null;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (group.Count < log._options.MaxGroupCommit && reader.TryPeek(out var next) && next is AppendWork append && reader.TryRead(out _))
                    group.Add(append);
                var other = group.Count == 0 && reader.TryRead(out var item) ? (StorageWork)item : null;
                try
                {
                    // Writes must not be cut off halfway by shutdown: they run to the end, bounded by the command timeout.
                    connection ??= await log.OpenWriterAsync().ConfigureAwait(false);
                    if (other is not null) await other.Action(connection, CancellationToken.None).ConfigureAwait(false);
                    else await log.CommitAppendsAsync(connection, group, CancellationToken.None).ConfigureAwait(false);
                    other?.Completion.TrySetResult();
                    foreach (var done in group) done.Completion.TrySetResult(done.Result);
                }
                catch (Exception e)
                {
                    log._logger.LogError(e, "log commit of {Count} items failed", Math.Max(group.Count, 1));
                    other?.Completion.TrySetException(e);
                    foreach (var failed in group) failed.Completion.TrySetException(e);
                    // The connection may be broken (the server restarted): take a fresh one from the pool next time.
                    if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
                Interlocked.Add(ref log._queuedAppends, -group.Count);
                group.Clear();
            }
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
