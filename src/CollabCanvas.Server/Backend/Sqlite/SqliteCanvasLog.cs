using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// The log on a SQLite file that one process owns, with one writer thread. Appends queue up (bounded) while a commit is
/// in flight and then share one transaction and one fsync (group commit), so durable throughput grows with
/// concurrency. After each commit the writer puts the committed batches on the stream, in seq order, and then completes
/// their appends. Idle, the writer sleeps until something is queued: nothing polls. <see cref="SharedSqliteCanvasLog"/>
/// adds what several processes sharing the file need.
/// </summary>
public class SqliteCanvasLog : ICanvasLog, IHostedService, IDisposable
{
    private readonly Channel<WorkItem> _work;
    private readonly CommittedStream _stream = new();
    private readonly Thread _writer;
    private volatile bool _disposed;

    public SqliteCanvasLog(SqliteDatabase database, IOptions<LogOptions> options, IOptions<HistoryOptions> history, ILogger<SqliteCanvasLog> logger)
        : this(database, options.Value, history.Value, logger)
    {
    }

    protected SqliteCanvasLog(SqliteDatabase database, LogOptions options, HistoryOptions history, ILogger logger)
    {
        Database = database;
        Options = options;
        History = history;
        Logger = logger;
        // Appends fail fast when the queue is full (busy); snapshots and the like wait for room instead.
        _work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.MaxQueuedAppends)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "canvas-log-writer" };
    }

    protected SqliteDatabase Database { get; }
    protected LogOptions Options { get; }
    protected HistoryOptions History { get; }
    protected ILogger Logger { get; }

    public ChannelReader<LogEvent> Committed => _stream.Reader;

    /// <summary>Starts the writer: with the host, once every subclass's constructor has run.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_writer.IsAlive) _writer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WatchAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _stream.Watch(canvasId);
        return Task.CompletedTask;
    }

    public void Unwatch(string canvasId) => _stream.Unwatch(canvasId);

    protected bool IsWatched(string canvasId) => _stream.IsWatched(canvasId);

    public Task<AppendResult> AppendAsync(NewBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new AppendWork(batch);
        if (!_work.Writer.TryWrite(item))
            return Task.FromException<AppendResult>(_disposed ? new ObjectDisposedException(nameof(SqliteCanvasLog)) : new CanvasLogBusyException());
        WorkQueued();
        return item.Task.WaitAsync(cancellationToken);
    }

    public Task SaveSnapshotAsync(string canvasId, Snapshot snapshot, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new SnapshotWork(canvasId, snapshot, History.CheckpointEveryBatches), cancellationToken);

    public Task DeleteCanvasAsync(string canvasId, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new DeleteWork(canvasId), cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => EnqueueAsync(new FlushWork(), cancellationToken);

    /// <summary>Thins history: removes log rows older than their canvas's retention that a snapshot and a checkpoint cover.</summary>
    public Task PruneAsync(CancellationToken cancellationToken = default) => EnqueueAsync(new PruneWork(this), cancellationToken);

    private async Task<T> EnqueueAsync<T>(Work<T> item, CancellationToken cancellationToken)
    {
        try
        {
            await _work.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteCanvasLog));
        }
        WorkQueued();
        return await item.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<StoredCanvas> LoadAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Database.Open();
        // One read transaction: another process may write a newer snapshot and prune between two separate reads.
        using var transaction = connection.BeginTransaction(deferred: true);
        Snapshot? snapshot = null;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT seq, objects FROM canvas_states WHERE canvas_id = $canvas";
            command.Parameters.AddWithValue("$canvas", canvasId);
            using var reader = command.ExecuteReader();
            if (reader.Read()) snapshot = new Snapshot(reader.GetInt64(0), (byte[])reader.GetValue(1));
        }
        return Task.FromResult(new StoredCanvas(snapshot, ReadBatches(connection, canvasId, snapshot?.Seq ?? 0, int.MaxValue)));
    }

    public Task<IReadOnlyList<LogRecord>?> ReadAfterAsync(string canvasId, long since, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT pruned_seq FROM canvas_states WHERE canvas_id = $canvas";
            command.Parameters.AddWithValue("$canvas", canvasId);
            if (command.ExecuteScalar() is long pruned && since < pruned) return Task.FromResult<IReadOnlyList<LogRecord>?>(null);
        }
        return Task.FromResult<IReadOnlyList<LogRecord>?>(ReadBatches(connection, canvasId, since, limit));
    }

    private static List<LogRecord> ReadBatches(SqliteConnection connection, string canvasId, long since, int limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, actor, client_id, ref, ops, created_at FROM message_queue
            WHERE canvas_id = $canvas AND seq > $since ORDER BY seq LIMIT $limit
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var records = new List<LogRecord>();
        while (reader.Read())
            records.Add(ReadRecord(canvasId, reader));
        return records;
    }
    /// <summary>A batch from <c>seq, actor, client_id, ref, ops, created_at</c>.</summary>
    internal static LogRecord ReadRecord(string canvasId, SqliteDataReader reader) =>
        new(canvasId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4),
            At: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));

    /// <summary>
    /// Set when something was queued for the writer (or the log stops, or, shared, another process committed); the
    /// idle writer blocks on it. Not the channel's <c>WaitToReadAsync</c>: that completes on a thread-pool work item,
    /// which then wakes the writer, one more thread wake-up per idle spell of the writer (docs/benchmarks.md). No
    /// spinning before blocking: on two cores a spinning writer takes the CPU from the threads that would give it work.
    /// </summary>
    protected ManualResetEventSlim Wake { get; } = new(false, spinCount: 0);

    private void WorkQueued()
    {
        if (!Wake.IsSet) Wake.Set();
    }

    /// <summary>Called on the writer thread before anything else.</summary>
    protected virtual void WriterStarting(Statements statements)
    {
    }

    /// <summary>
    /// Called on the writer thread when nothing is queued; returns once something is, or the log is stopping
    /// (<see cref="HasWorkOrStopping"/>). One process: it just waits for the queue.
    /// </summary>
    protected virtual void Idle(Statements statements)
    {
        // Reset before looking: work queued after the look sets the event again.
        while (!HasWorkOrStopping)
        {
            Wake.Wait();
            Wake.Reset();
        }
    }

    protected bool HasWorkOrStopping => _work.Reader.Count > 0 || _work.Reader.Completion.IsCompleted;

    /// <summary>Held around each write transaction (several processes queue for the file).</summary>
    protected virtual WriterLock.Held? HoldFile() => null;

    /// <summary>After a commit, before the appends complete: puts the committed batches on the stream in seq order.</summary>
    protected virtual void AfterCommit(Statements statements, List<LogRecord> committed)
    {
        foreach (var record in committed) Announce(record);
    }

    protected void Announce(LogRecord record) => _stream.Publish(record);

    protected void AnnounceLost(string canvasId) => _stream.PublishLost(canvasId);

    private void WriterLoop()
    {
        using var connection = Database.Open();
        using var statements = new Statements(connection);
        var group = new List<WorkItem>(Options.MaxGroupCommit);
        var committed = new List<LogRecord>(Options.MaxGroupCommit);
        var reader = _work.Reader;
        WriterStarting(statements);
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                if (reader.Completion.IsCompleted) break;
                Idle(statements);
                continue;
            }
            group.Add(first);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                // Shared: wait for the file first, then take everything queued meanwhile into this commit, so the
                // time spent waiting for the other processes turns into a larger group, not into more fsyncs.
                using (HoldFile())
                using (var transaction = connection.BeginTransaction())
                {
                    while (group.Count < Options.MaxGroupCommit && reader.TryRead(out var next)) group.Add(next);
                    statements.Enlist(transaction);
                    foreach (var item in group) item.Execute(statements, committed);
                    transaction.Commit();
                }
                statements.Enlist(null);
                CanvasMetrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                CanvasMetrics.BatchesAppended.Add(committed.Count);
                AfterCommit(statements, committed);
                CompleteOffWriter(group, error: null);
            }
            catch (Exception e)
            {
                statements.Enlist(null);
                Logger.LogError(e, "log commit of {Count} items failed", group.Count);
                CompleteOffWriter(group, e);
            }
            group.Clear();
            committed.Clear();
        }
        _stream.Complete();
    }

    /// <summary>
    /// Completes a group's tasks on one thread-pool work item, off the writer, where their continuations run one after
    /// the other: mostly a room's look at each append's outcome, which has nothing to do for a batch that was appended
    /// (its ack comes from the stream). One hop per group instead of one work item, and often a thread wake-up, per
    /// append (docs/benchmarks.md).
    /// </summary>
    private static void CompleteOffWriter(List<WorkItem> group, Exception? error) =>
        ThreadPool.UnsafeQueueUserWorkItem(static done =>
        {
            foreach (var item in done.Items)
            {
                if (done.Error is null) item.Complete();
                else item.Fail(done.Error);
            }
        }, (Items: group.ToArray(), Error: error), preferLocal: false);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        _disposed = true;
        _work.Writer.TryComplete();
        WorkQueued();
        if (_writer.IsAlive) _writer.Join();
        else _stream.Complete();
    }

    /// <summary>Prepared statements of the writer connection.</summary>
    protected sealed class Statements : IDisposable
    {
        public readonly SqliteCommand Insert, FindBatch, UpsertSnapshot, InsertCheckpoint, DeleteLog, DeleteSnapshot, DeleteCheckpoints, AnyRetention, PruneMark, Prune, ReadAfter, MaxSeq, DataVersion,
            Heartbeat, TakeLease, PrunedPast, ReadFloor, LivePeers;
        private readonly SqliteCommand[] _all;

        public Statements(SqliteConnection connection)
        {
            Insert = Create(connection, """
                INSERT INTO message_queue (canvas_id, client_id, ref, actor, ops, created_at)
                VALUES ($canvas, $client, $ref, $actor, $ops, $now)
                ON CONFLICT (canvas_id, client_id, ref) DO NOTHING
                RETURNING seq
                """, "$canvas", "$client", "$ref", "$actor", "$ops", "$now");
            FindBatch = Create(connection,
                "SELECT seq, ops FROM message_queue WHERE canvas_id = $canvas AND client_id = $client AND ref = $ref",
                "$canvas", "$client", "$ref");
            UpsertSnapshot = Create(connection, """
                INSERT INTO canvas_states (canvas_id, seq, objects, updated_at) VALUES ($canvas, $seq, $objects, $now)
                ON CONFLICT (canvas_id) DO UPDATE SET seq = excluded.seq, objects = excluded.objects, updated_at = excluded.updated_at
                WHERE excluded.seq > canvas_states.seq
                """, "$canvas", "$seq", "$objects", "$now");
            // A snapshot is also kept as a checkpoint once enough batches came since the last one (HistoryOptions).
            InsertCheckpoint = Create(connection, """
                INSERT INTO canvas_checkpoints (canvas_id, seq, objects, created_at)
                SELECT $canvas, $seq, $objects, $now
                WHERE (SELECT COUNT(*) FROM message_queue WHERE canvas_id = $canvas AND seq <= $seq
                       AND seq > COALESCE((SELECT MAX(seq) FROM canvas_checkpoints WHERE canvas_id = $canvas), 0)) >= $every
                ON CONFLICT DO NOTHING
                """, "$canvas", "$seq", "$objects", "$now", "$every");
            DeleteLog = Create(connection, "DELETE FROM message_queue WHERE canvas_id = $canvas", "$canvas");
            DeleteSnapshot = Create(connection, "DELETE FROM canvas_states WHERE canvas_id = $canvas", "$canvas");
            DeleteCheckpoints = Create(connection, "DELETE FROM canvas_checkpoints WHERE canvas_id = $canvas", "$canvas");
            // Older than the canvas's retention (days; 0 keeps everything), covered by a snapshot and by a checkpoint
            // (history is thinned to checkpoints, never lost before one), and read by every live instance.
            const string prunable = """
                m.seq <= $floor
                AND m.created_at < $now - 86400000.0 * (
                    SELECT COALESCE((SELECT h.retention_days FROM canvas_history_settings h WHERE h.canvas_id = m.canvas_id), $days))
                AND (SELECT COALESCE((SELECT h.retention_days FROM canvas_history_settings h WHERE h.canvas_id = m.canvas_id), $days)) > 0
                AND m.seq <= (SELECT s.seq FROM canvas_states s WHERE s.canvas_id = m.canvas_id)
                AND m.seq <= (SELECT MAX(c.seq) FROM canvas_checkpoints c WHERE c.canvas_id = m.canvas_id)
                """;
            AnyRetention = Create(connection, "SELECT EXISTS (SELECT 1 FROM canvas_history_settings WHERE retention_days > 0)");
            PruneMark = Create(connection, $"""
                UPDATE canvas_states SET pruned_seq = (
                    SELECT MAX(m.seq) FROM message_queue m WHERE m.canvas_id = canvas_states.canvas_id AND {prunable})
                WHERE EXISTS (SELECT 1 FROM message_queue m WHERE m.canvas_id = canvas_states.canvas_id AND {prunable})
                """, "$now", "$days", "$floor");
            Prune = Create(connection, $"DELETE FROM message_queue AS m WHERE {prunable}", "$now", "$days", "$floor");
            Heartbeat = Create(connection, """
                INSERT INTO instances (id, cursor, heartbeat_at) VALUES ($id, $cursor, $now)
                ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, heartbeat_at = excluded.heartbeat_at
                """, "$id", "$cursor", "$now");
            TakeLease = Create(connection, """
                INSERT INTO leases (name, holder, expires_at) VALUES ($name, $holder, $expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.expires_at < $now OR leases.holder = excluded.holder
                """, "$name", "$holder", "$expires", "$now");
            ReadAfter = Create(connection, $"""
                SELECT seq, canvas_id, actor, client_id, ref, ops FROM message_queue
                WHERE seq > $after ORDER BY seq LIMIT {SharedSqliteCanvasLog.CatchUpPage}
                """, "$after");
            MaxSeq = Create(connection, "SELECT MAX(seq) FROM message_queue");
            ReadFloor = Create(connection, "SELECT MIN(cursor) FROM instances WHERE heartbeat_at > $since", "$since");
            PrunedPast = Create(connection, "SELECT canvas_id, pruned_seq FROM canvas_states WHERE pruned_seq > $cursor", "$cursor");
            LivePeers = Create(connection, "SELECT id FROM instances WHERE heartbeat_at > $since AND id <> $id", "$since", "$id");
            DataVersion = Create(connection, "PRAGMA data_version");
            _all = [Insert, FindBatch, UpsertSnapshot, InsertCheckpoint, DeleteLog, DeleteSnapshot, DeleteCheckpoints, AnyRetention, PruneMark, Prune, ReadAfter, MaxSeq, DataVersion, Heartbeat, TakeLease, PrunedPast, ReadFloor, LivePeers];
            foreach (var command in _all) command.Prepare();
        }

        private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            return command;
        }

        public void Enlist(SqliteTransaction? transaction)
        {
            foreach (var command in _all) command.Transaction = transaction;
        }

        public void Dispose()
        {
            foreach (var command in _all) command.Dispose();
        }
    }

    private abstract class WorkItem
    {
        public abstract void Execute(Statements statements, List<LogRecord> committed);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private abstract class Work<T> : WorkItem
    {
        /// <summary>Continuations run inline where the task completes: on <see cref="CompleteOffWriter"/>'s work item, never the writer.</summary>
        private readonly TaskCompletionSource<T> _completion = new();
        protected T Result = default!;
        public Task<T> Task => _completion.Task;
        public override void Complete() => _completion.TrySetResult(Result);
        public override void Fail(Exception e) => _completion.TrySetException(e);
    }

    private sealed class AppendWork(NewBatch batch) : Work<AppendResult>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            var insert = s.Insert.Parameters;
            insert[0].Value = batch.CanvasId;
            insert[1].Value = batch.ClientId;
            insert[2].Value = batch.Ref;
            insert[3].Value = batch.Actor;
            insert[4].Value = batch.OpsJson;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            insert[5].Value = now;
            if (s.Insert.ExecuteScalar() is long seq)
            {
                Result = new AppendResult(AppendOutcome.Appended, seq);
                committed.Add(new LogRecord(batch.CanvasId, seq, batch.Actor, batch.ClientId, batch.Ref, batch.OpsJson, batch.Ops,
                    DateTimeOffset.FromUnixTimeMilliseconds(now)));
                return;
            }
            var find = s.FindBatch.Parameters;
            find[0].Value = batch.CanvasId;
            find[1].Value = batch.ClientId;
            find[2].Value = batch.Ref;
            using var reader = s.FindBatch.ExecuteReader();
            reader.Read();
            var original = (byte[])reader.GetValue(1);
            Result = new AppendResult(original.AsSpan().SequenceEqual(batch.OpsJson) ? AppendOutcome.Duplicate : AppendOutcome.RefConflict, reader.GetInt64(0));
        }
    }

    private sealed class SnapshotWork(string canvasId, Snapshot snapshot, int checkpointEvery) : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var p = s.UpsertSnapshot.Parameters;
            p[0].Value = canvasId;
            p[1].Value = snapshot.Seq;
            p[2].Value = snapshot.ObjectsJson;
            p[3].Value = now;
            s.UpsertSnapshot.ExecuteNonQuery();
            var c = s.InsertCheckpoint.Parameters;
            c[0].Value = canvasId;
            c[1].Value = snapshot.Seq;
            c[2].Value = snapshot.ObjectsJson;
            c[3].Value = now;
            c[4].Value = checkpointEvery;
            s.InsertCheckpoint.ExecuteNonQuery();
        }
    }

    private sealed class DeleteWork(string canvasId) : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            s.DeleteLog.Parameters[0].Value = canvasId;
            s.DeleteLog.ExecuteNonQuery();
            s.DeleteSnapshot.Parameters[0].Value = canvasId;
            s.DeleteSnapshot.ExecuteNonQuery();
            s.DeleteCheckpoints.Parameters[0].Value = canvasId;
            s.DeleteCheckpoints.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Deletes log rows that a snapshot and a checkpoint cover, that are older than their canvas's retention, and that
    /// every live instance has read; one instance at a time (the "prune" lease).
    /// </summary>
    private sealed class PruneWork(SqliteCanvasLog log) : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var lease = s.TakeLease.Parameters;
            lease[0].Value = "prune";
            lease[1].Value = log.Options.InstanceId;
            lease[2].Value = now + log.Options.PruneEverySeconds * 2000L;
            lease[3].Value = now;
            if (s.TakeLease.ExecuteNonQuery() == 0) return; // another instance holds it
            // Keeping every batch (the default) is the common case: no scan of the log for it.
            if (log.History.RetentionDays <= 0 && s.AnyRetention.ExecuteScalar() is 0L) return;
            // Rows above the slowest live instance's read position may still be on their way to its rooms.
            s.ReadFloor.Parameters[0].Value = now - log.Options.InstanceTimeoutSeconds * 1000L;
            var floor = s.ReadFloor.ExecuteScalar() is long min ? min : long.MaxValue;
            foreach (var command in new[] { s.PruneMark, s.Prune })
            {
                command.Parameters[0].Value = now;
                command.Parameters[1].Value = log.History.RetentionDays;
                command.Parameters[2].Value = floor;
                var rows = command.ExecuteNonQuery();
                if (command == s.Prune) CanvasMetrics.Pruned.Add(rows);
            }
        }
    }

    private sealed class FlushWork : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed) { }
    }
}
