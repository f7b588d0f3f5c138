using System.Collections.Concurrent;
using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// The log on one SQLite file, with one writer thread per process. Appends queue up while a commit is in flight and
/// then share one transaction and one fsync (group commit), so durable throughput grows with concurrency.
/// Shared by several processes (<see cref="BackendProvider.SharedSqlite"/>), the same thread also polls: every
/// <see cref="LogOptions.PollIntervalMilliseconds"/> it asks SQLite whether another connection committed
/// (<c>PRAGMA data_version</c>, no I/O) and if so reads the new rows. After its own commits it reads every row past
/// the last one it announced, so its own batches and the others' are announced together in seq order: a batch is
/// never announced before an earlier one from another process. The writer announces before it completes appends.
/// </summary>
public sealed class SqliteCanvasLog : ICanvasLog, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly LogOptions _options;
    private readonly ILogger<SqliteCanvasLog> _logger;
    private readonly Channel<WorkItem> _work;
    // Not SingleReader: that channel cannot count what it holds, and the reader needs to know when it caught up.
    private readonly Channel<LogEvent> _events = Channel.CreateUnbounded<LogEvent>(new() { SingleWriter = true });
    /// <summary>Watched canvases and how many watches each has.</summary>
    private readonly ConcurrentDictionary<string, int> _watched = new(StringComparer.Ordinal);
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly bool _shared;
    private volatile bool _disposed;
    /// <summary>Canvases reloaded because rows were cleaned up before this instance read them, and up to which seq.</summary>
    private readonly Dictionary<string, long> _reloadedAt = new(StringComparer.Ordinal);

    public SqliteCanvasLog(SqliteDatabase database, IOptions<LogOptions> options, IOptions<BackendOptions> backend, ILogger<SqliteCanvasLog> logger)
    {
        _database = database;
        _options = options.Value;
        _logger = logger;
        _shared = backend.Value.Provider == BackendProvider.SharedSqlite;
        // Appends fail fast when the queue is full (busy); snapshots and the like wait for room instead.
        _work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.MaxQueuedAppends)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "canvas-log-writer" };
        _writer.Start();
    }

    public ChannelReader<LogEvent> Committed => _events.Reader;

    public void Watch(string canvasId) => _watched.AddOrUpdate(canvasId, 1, static (_, count) => count + 1);

    public void Unwatch(string canvasId)
    {
        while (_watched.TryGetValue(canvasId, out var count))
        {
            if (count == 1 ? _watched.TryRemove(KeyValuePair.Create(canvasId, 1)) : _watched.TryUpdate(canvasId, count - 1, count)) return;
        }
    }

    private bool IsWatched(string canvasId) => _watched.ContainsKey(canvasId);

    public Task<AppendResult> AppendAsync(NewBatch batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new AppendWork(batch);
        if (!_work.Writer.TryWrite(item))
            return Task.FromException<AppendResult>(_disposed ? new ObjectDisposedException(nameof(SqliteCanvasLog)) : new CanvasLogBusyException());
        _wake.Set();
        return item.Task.WaitAsync(cancellationToken);
    }

    public Task SaveSnapshotAsync(string canvasId, Snapshot snapshot, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new SnapshotWork(canvasId, snapshot), cancellationToken);

    public Task DeleteCanvasAsync(string canvasId, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new DeleteWork(canvasId), cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) => EnqueueAsync(new FlushWork(), cancellationToken);

    /// <summary>Removes log rows older than the retention that a snapshot covers.</summary>
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
        _wake.Set();
        return await item.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<StoredCanvas> LoadAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
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
        using var connection = _database.Open();
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
            SELECT seq, actor, client_id, ref, ops FROM message_queue
            WHERE canvas_id = $canvas AND seq > $since ORDER BY seq LIMIT $limit
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var records = new List<LogRecord>();
        while (reader.Read())
            records.Add(new LogRecord(canvasId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), (byte[])reader.GetValue(4)));
        return records;
    }

    private void WriterLoop()
    {
        using var connection = _database.Open();
        // Shared: processes queue for the file in the kernel instead of in SQLite's sleeping busy handler.
        using var writerLock = _shared ? new WriterLock(_database.DatabasePath) : null;
        using var statements = new Statements(connection);
        var group = new List<WorkItem>(_options.MaxGroupCommit);
        var committed = new List<LogRecord>(_options.MaxGroupCommit);
        var reader = _work.Reader;
        // Shared: start after what is in the file now; rooms load everything before it from storage.
        var lastAnnounced = _shared && statements.MaxSeq.ExecuteScalar() is long max ? max : 0;
        var dataVersion = _shared ? (long)statements.DataVersion.ExecuteScalar()! : 0;
        var nextHeartbeat = 0L;
        while (true)
        {
            if (Environment.TickCount64 >= nextHeartbeat)
            {
                nextHeartbeat = Environment.TickCount64 + HeartbeatMilliseconds;
                using (writerLock?.Acquire()) ReportPosition(statements, _shared ? lastAnnounced : long.MaxValue / 2);
                if (_shared) FindLostCanvases(statements, lastAnnounced);
                if (_shared && statements.MaxSeq.ExecuteScalar() is long head) Interlocked.Exchange(ref CanvasMetrics.QueueLag, head - lastAnnounced);
            }
            if (!reader.TryRead(out var first))
            {
                if (reader.Completion.IsCompleted) break;
                if (!_shared)
                {
                    if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                    continue;
                }
                _wake.Wait(_options.PollIntervalMilliseconds);
                _wake.Reset();
                if (!reader.TryRead(out first))
                {
                    var version = (long)statements.DataVersion.ExecuteScalar()!;
                    if (version != dataVersion)
                    {
                        dataVersion = version;
                        var polling = System.Diagnostics.Stopwatch.GetTimestamp();
                        lastAnnounced = CatchUp(statements, lastAnnounced, committed);
                        CanvasMetrics.PollDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(polling).TotalMilliseconds);
                    }
                    continue;
                }
            }
            group.Add(first);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                // Shared: wait for the file first, then take everything queued meanwhile into this commit, so the
                // time spent waiting for the other processes turns into a larger group, not into more fsyncs.
                using (writerLock?.Acquire())
                using (var transaction = connection.BeginTransaction())
                {
                    while (group.Count < _options.MaxGroupCommit && reader.TryRead(out var next)) group.Add(next);
                    statements.Enlist(transaction);
                    foreach (var item in group) item.Execute(statements, committed);
                    transaction.Commit();
                }
                statements.Enlist(null);
                CanvasMetrics.CommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                CanvasMetrics.BatchesAppended.Add(committed.Count);
                if (_shared) lastAnnounced = CatchUp(statements, lastAnnounced, committed);
                else foreach (var record in committed) Announce(record);
                foreach (var item in group) item.Complete();
            }
            catch (Exception e)
            {
                statements.Enlist(null);
                _logger.LogError(e, "log commit of {Count} items failed", group.Count);
                foreach (var item in group) item.Fail(e);
            }
            group.Clear();
            committed.Clear();
        }
        _events.Writer.TryComplete();
    }

    /// <summary>
    /// Announces, in seq order, every row past <paramref name="after"/> of a canvas someone here wants: other
    /// processes' rows and this one's (<paramref name="own"/>, whose ops need no parsing). Returns the last seq read.
    /// </summary>
    private long CatchUp(Statements statements, long after, List<LogRecord> own)
    {
        var ownBySeq = own.Count == 0 ? null : own.ToDictionary(r => r.Seq);
        while (true)
        {
            statements.ReadAfter.Parameters[0].Value = after;
            var read = 0;
            using (var rows = statements.ReadAfter.ExecuteReader())
            {
                while (rows.Read())
                {
                    read++;
                    after = rows.GetInt64(0);
                    var canvasId = rows.GetString(1);
                    if (!IsWatched(canvasId)) continue;
                    Announce(ownBySeq is not null && ownBySeq.TryGetValue(after, out var mine) ? mine
                        : new LogRecord(canvasId, after, rows.GetString(2), rows.GetString(3), rows.GetString(4), (byte[])rows.GetValue(5)));
                }
            }
            if (read < CatchUpPage) return after;
        }
    }

    private const int CatchUpPage = 1000;
    private const int HeartbeatMilliseconds = 1000;

    /// <summary>
    /// Cleanup waits for every live instance, but an instance silent for longer than the timeout (paused, swapped
    /// out) is not waited for: rows it had not read may be gone. Its rooms of those canvases are then stale.
    /// </summary>
    private void FindLostCanvases(Statements statements, long cursor)
    {
        statements.PrunedPast.Parameters[0].Value = cursor;
        using var rows = statements.PrunedPast.ExecuteReader();
        while (rows.Read())
        {
            var canvasId = rows.GetString(0);
            var prunedSeq = rows.GetInt64(1);
            // Once per cleanup: the reloaded room starts from storage, which already reflects it.
            if (!IsWatched(canvasId) || (_reloadedAt.TryGetValue(canvasId, out var handled) && handled >= prunedSeq)) continue;
            _reloadedAt[canvasId] = prunedSeq;
            _logger.LogWarning("rows of canvas {Canvas} were cleaned up before this instance read them; reloading it", canvasId);
            _events.Writer.TryWrite(new CanvasLost(canvasId));
        }
    }

    /// <summary>Tells the other instances how far this one has read (cleanup waits for the slowest live reader).</summary>
    private void ReportPosition(Statements statements, long cursor)
    {
        try
        {
            var p = statements.Heartbeat.Parameters;
            p[0].Value = _options.InstanceId;
            p[1].Value = cursor;
            p[2].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            statements.Heartbeat.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            _logger.LogWarning(e, "could not report this instance's read position; retrying in a second");
        }
    }

    private void Announce(LogRecord record)
    {
        if (IsWatched(record.CanvasId)) _events.Writer.TryWrite(record);
    }

    public void Dispose()
    {
        _disposed = true;
        _work.Writer.TryComplete();
        _wake.Set();
        _writer.Join();
        _wake.Dispose();
    }

    /// <summary>Prepared statements of the writer connection.</summary>
    private sealed class Statements : IDisposable
    {
        public readonly SqliteCommand Insert, FindBatch, UpsertSnapshot, DeleteLog, DeleteSnapshot, PruneMark, Prune, ReadAfter, MaxSeq, DataVersion,
            Heartbeat, TakeLease, PrunedPast, ReadFloor;
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
            DeleteLog = Create(connection, "DELETE FROM message_queue WHERE canvas_id = $canvas", "$canvas");
            DeleteSnapshot = Create(connection, "DELETE FROM canvas_states WHERE canvas_id = $canvas", "$canvas");
            // Covered by a snapshot, older than the retention, and read by every live instance.
            const string prunable = """
                m.created_at < $cutoff AND m.seq <= $floor
                AND m.seq <= (SELECT s.seq FROM canvas_states s WHERE s.canvas_id = m.canvas_id)
                """;
            PruneMark = Create(connection, $"""
                UPDATE canvas_states SET pruned_seq = (
                    SELECT MAX(m.seq) FROM message_queue m WHERE m.canvas_id = canvas_states.canvas_id AND {prunable})
                WHERE EXISTS (SELECT 1 FROM message_queue m WHERE m.canvas_id = canvas_states.canvas_id AND {prunable})
                """, "$cutoff", "$floor");
            Prune = Create(connection, $"DELETE FROM message_queue AS m WHERE {prunable}", "$cutoff", "$floor");
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
                WHERE seq > $after ORDER BY seq LIMIT {CatchUpPage}
                """, "$after");
            MaxSeq = Create(connection, "SELECT MAX(seq) FROM message_queue");
            ReadFloor = Create(connection, "SELECT MIN(cursor) FROM instances WHERE heartbeat_at > $since", "$since");
            PrunedPast = Create(connection, "SELECT canvas_id, pruned_seq FROM canvas_states WHERE pruned_seq > $cursor", "$cursor");
            DataVersion = Create(connection, "PRAGMA data_version");
            _all = [Insert, FindBatch, UpsertSnapshot, DeleteLog, DeleteSnapshot, PruneMark, Prune, ReadAfter, MaxSeq, DataVersion, Heartbeat, TakeLease, PrunedPast, ReadFloor];
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
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        protected T Result = default!;
        public Task<T> Task => _completion.Task;
        public void SetException(Exception e) => _completion.TrySetException(e);
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
            insert[5].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (s.Insert.ExecuteScalar() is long seq)
            {
                Result = new AppendResult(AppendOutcome.Appended, seq);
                committed.Add(new LogRecord(batch.CanvasId, seq, batch.Actor, batch.ClientId, batch.Ref, batch.OpsJson, batch.Ops));
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

    private sealed class SnapshotWork(string canvasId, Snapshot snapshot) : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            var p = s.UpsertSnapshot.Parameters;
            p[0].Value = canvasId;
            p[1].Value = snapshot.Seq;
            p[2].Value = snapshot.ObjectsJson;
            p[3].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            s.UpsertSnapshot.ExecuteNonQuery();
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
        }
    }

    /// <summary>
    /// Deletes log rows that a snapshot covers, that are older than the retention, and that every live instance has
    /// read; one instance at a time (the "prune" lease).
    /// </summary>
    private sealed class PruneWork(SqliteCanvasLog log) : Work<bool>
    {
        public override void Execute(Statements s, List<LogRecord> committed)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var lease = s.TakeLease.Parameters;
            lease[0].Value = "prune";
            lease[1].Value = log._options.InstanceId;
            lease[2].Value = now + log._options.PruneEverySeconds * 2000L;
            lease[3].Value = now;
            if (s.TakeLease.ExecuteNonQuery() == 0) return; // another instance holds it
            // Rows above the slowest live instance's read position may still be on their way to its rooms.
            s.ReadFloor.Parameters[0].Value = now - log._options.InstanceTimeoutSeconds * 1000L;
            var floor = s.ReadFloor.ExecuteScalar() is long min ? min : long.MaxValue;
            foreach (var command in new[] { s.PruneMark, s.Prune })
            {
                command.Parameters[0].Value = now - log._options.RetentionSeconds * 1000L;
                command.Parameters[1].Value = floor;
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
