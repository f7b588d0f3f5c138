using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// The log on a SQLite file that several processes on one host share. What it adds to <see cref="SqliteCanvasLog"/>:
/// <list type="bullet">
/// <item>Writers queue for the file in the kernel (<see cref="WriterLock"/>), not in SQLite's sleeping busy handler.</item>
/// <item>One order for everyone: after its own commits, and whenever another process committed, the writer reads every
/// row past the last one it announced, so its own batches and the others' come out together in seq order.</item>
/// <item>Woken on change, not polling: a process that commits nudges the others (<see cref="InstanceNudge"/>, a
/// datagram to each live instance); a nudged writer checks <c>PRAGMA data_version</c> and reads what is new. A slow
/// safety check (<see cref="LogOptions.SafetyPollMilliseconds"/>) covers a nudge that never came.</item>
/// <item>A heartbeat in the <c>instances</c> table with its read position (cleanup waits for the slowest live reader)
/// and the lost-canvas check for when it did not wait (this process paused for longer than the instance timeout).</item>
/// </list>
/// </summary>
public sealed class SharedSqliteCanvasLog : SqliteCanvasLog
{
    internal const int CatchUpPage = 1000;
    private const int HeartbeatMilliseconds = 1000;

    private readonly WriterLock _writerLock;
    private readonly InstanceNudge _nudge;
    /// <summary>Canvases reloaded because rows were cleaned up before this instance read them, and up to which seq.</summary>
    private readonly Dictionary<string, long> _reloadedAt = new(StringComparer.Ordinal);
    private volatile bool _peersJoined;
    // Writer thread only:
    private long _lastAnnounced;
    private long _dataVersion;
    private long _nextHeartbeat;
    private long _reportedPosition = -1;
    private long _reportedAt;
    private string[] _peers = [];

    public SharedSqliteCanvasLog(SqliteDatabase database, IOptions<LogOptions> options, IOptions<HistoryOptions> history,
        ILogger<SharedSqliteCanvasLog> logger)
        : base(database, options.Value, history.Value, logger)
    {
        _writerLock = new WriterLock(database.DatabasePath);
        _nudge = new InstanceNudge(database.DatabasePath, options.Value.InstanceId, joined =>
        {
            if (joined) _peersJoined = true;
            Wake.Set();
        }, logger);
    }

    protected override WriterLock.Held? HoldFile() => _writerLock.Acquire();

    protected override void WriterStarting(Statements statements)
    {
        // Start after what is in the file now; rooms load everything before it from storage.
        _lastAnnounced = statements.MaxSeq.ExecuteScalar() is long max ? max : 0;
        _dataVersion = (long)statements.DataVersion.ExecuteScalar()!;
        Heartbeat(statements);
        // The others learn of this instance from the instances table at their next heartbeat; the nudge tells them now.
        _nudge.Send(_peers, joined: true);
    }

    protected override void Idle(Statements statements)
    {
        while (!HasWorkOrStopping)
        {
            var untilHeartbeat = _nextHeartbeat - Environment.TickCount64;
            if (untilHeartbeat <= 0) Heartbeat(statements);
            if (Wake.Wait((int)Math.Clamp(untilHeartbeat, 0, Options.SafetyPollMilliseconds))) Wake.Reset();
            if (_peersJoined)
            {
                _peersJoined = false;
                RefreshPeers(statements);
            }
            var version = (long)statements.DataVersion.ExecuteScalar()!;
            if (version == _dataVersion) continue;
            _dataVersion = version;
            var polling = System.Diagnostics.Stopwatch.GetTimestamp();
            _lastAnnounced = CatchUp(statements, _lastAnnounced, []);
            CanvasMetrics.PollDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(polling).TotalMilliseconds);
        }
    }

    protected override void AfterCommit(Statements statements, List<LogRecord> committed)
    {
        _lastAnnounced = CatchUp(statements, _lastAnnounced, committed);
        if (committed.Count > 0) _nudge.Send(_peers, joined: false);
        if (Environment.TickCount64 >= _nextHeartbeat) Heartbeat(statements); // a busy writer may never be idle
    }

    /// <summary>
    /// Announces, in seq order, every row past <paramref name="after"/> of a watched canvas: other processes' rows and
    /// this one's (<paramref name="own"/>, whose ops need no parsing). Returns the last seq read.
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

    private void Heartbeat(Statements statements)
    {
        _nextHeartbeat = Environment.TickCount64 + HeartbeatMilliseconds;
        // A write (and an fsync) only when the position moved or the others would soon count this instance as gone.
        var refreshMilliseconds = Math.Min(5_000, Options.InstanceTimeoutSeconds * 1000 / 3);
        if (_lastAnnounced != _reportedPosition || Environment.TickCount64 - _reportedAt >= refreshMilliseconds)
        {
            using (_writerLock.Acquire())
            {
                if (ReportPosition(statements, _lastAnnounced)) (_reportedPosition, _reportedAt) = (_lastAnnounced, Environment.TickCount64);
            }
        }
        FindLostCanvases(statements, _lastAnnounced);
        RefreshPeers(statements);
        if (statements.MaxSeq.ExecuteScalar() is long head) Interlocked.Exchange(ref CanvasMetrics.QueueLag, head - _lastAnnounced);
    }

    /// <summary>The live instances to nudge after a commit.</summary>
    private void RefreshPeers(Statements statements)
    {
        var p = statements.LivePeers.Parameters;
        p[0].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Options.InstanceTimeoutSeconds * 1000L;
        p[1].Value = Options.InstanceId;
        var peers = new List<string>();
        using (var rows = statements.LivePeers.ExecuteReader())
            while (rows.Read()) peers.Add(rows.GetString(0));
        _peers = [.. peers];
    }

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
            Logger.LogWarning("rows of canvas {Canvas} were cleaned up before this instance read them; reloading it", canvasId);
            AnnounceLost(canvasId);
        }
    }

    /// <summary>Tells the other instances how far this one has read (cleanup waits for the slowest live reader).</summary>
    private bool ReportPosition(Statements statements, long cursor)
    {
        try
        {
            var p = statements.Heartbeat.Parameters;
            p[0].Value = Options.InstanceId;
            p[1].Value = cursor;
            p[2].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            statements.Heartbeat.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException e)
        {
            Logger.LogWarning(e, "could not report this instance's read position; retrying in a second");
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _nudge.Dispose();
        _writerLock.Dispose();
        Wake.Dispose();
    }
}
