using System.Text.Json;
using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// Presence across the instances that share one SQLite file (SharedSqlite). Local changes are coalesced (the latest
/// per session) and written together every <see cref="Tick"/>; the same loop reads what other instances wrote, but
/// only when one of them committed since (<c>PRAGMA data_version</c>, no I/O), so an idle instance costs a timer and
/// a shared-memory read per tick; with no session here at all it sleeps until one comes. A session's row is refreshed every few seconds while it is here, so the row of a
/// session whose instance died expires and the others see it leave. Never durable: rows are gone a minute after.
/// </summary>
public sealed class SqlitePresenceBus(SqliteDatabase database, IOptions<LogOptions> options, ILogger<SqlitePresenceBus> logger)
    : BackgroundService, IPresenceBus
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private const long RefreshMilliseconds = 3_000;
    private const long ExpiryMilliseconds = 10_000;
    private const long ForgetMilliseconds = 60_000;

    private readonly string _instance = options.Value.InstanceId;
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer, bool Left)> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer)> _local = new(StringComparer.Ordinal);
    /// <summary>Remote sessions and when their row was last written.</summary>
    private readonly Dictionary<string, (string Canvas, long UpdatedAt)> _remote = new(StringComparer.Ordinal);
    private readonly Channel<PresenceEvent> _events = Channel.CreateUnbounded<PresenceEvent>(new() { SingleWriter = true, SingleReader = true });

    /// <summary>Released when a session of this instance publishes, so that the bus wakes from sleeping.</summary>
    private readonly SemaphoreSlim _someoneHere = new(0, 1);

    public ChannelReader<PresenceEvent> Remote => _events.Reader;

    public void Publish(string canvasId, PeerInfo peer)
    {
        lock (_dirty)
        {
            _dirty[peer.Session] = (canvasId, peer, false);
            _local[peer.Session] = (canvasId, peer);
            if (_someoneHere.CurrentCount == 0) _someoneHere.Release();
        }
    }

    private bool NobodyHere
    {
        get { lock (_dirty) return _local.Count == 0 && _dirty.Count == 0; }
    }

    public void Left(string canvasId, string session)
    {
        lock (_dirty)
        {
            if (_local.Remove(session, out var was)) _dirty[session] = (canvasId, was.Peer, true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var writerLock = new WriterLock(database.DatabasePath);
        var lastRead = 0L;
        var nextRefresh = 0L;
        SqliteConnection? connection = null; // one for the bus's life, reopened after a failure
        long? dataVersion = null;
        try
        {
            while (true)
            {
                if (NobodyHere)
                {
                    // No session here: nothing to write, and no room here to tell of the others. The rooms forget
                    // the others now; once someone comes, what is in the table is read again from the recent past.
                    foreach (var (session, entry) in _remote) _events.Writer.TryWrite(new RemoteLeft(entry.Canvas, session));
                    _remote.Clear();
                    await _someoneHere.WaitAsync(stoppingToken);
                    lastRead = 0;
                    dataVersion = null;
                }
                // Not a PeriodicTimer: its timer would keep firing while the bus sleeps.
                await Task.Delay(Tick, stoppingToken);
                try
                {
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    connection ??= database.Open();
                    Write(connection, writerLock, now, refreshAll: now >= nextRefresh);
                    if (now >= nextRefresh) nextRefresh = now + RefreshMilliseconds;
                    // Changes only when another connection committed (this one's own writes do not count).
                    var version = SqliteDatabase.DataVersion(connection);
                    if (version != dataVersion) lastRead = Read(connection, lastRead, now);
                    dataVersion = version;
                    Expire(now);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "presence bus failed; retrying on the next tick");
                    connection?.Dispose();
                    connection = null;
                    dataVersion = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
            _events.Writer.TryComplete();
        }
    }

    private void Write(SqliteConnection connection, WriterLock writerLock, long now, bool refreshAll)
    {
        List<(string Session, string Canvas, PeerInfo Peer, bool Left)> batch;
        lock (_dirty)
        {
            if (refreshAll)
                foreach (var (id, entry) in _local)
                    _dirty.TryAdd(id, (entry.Canvas, entry.Peer, false));
            if (_dirty.Count == 0) return;
            batch = _dirty.Select(d => (d.Key, d.Value.Canvas, d.Value.Peer, d.Value.Left)).ToList();
            _dirty.Clear();
        }
        using var held = writerLock.Acquire();
        using var transaction = connection.BeginTransaction();
        using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO presence (session, canvas_id, instance, peer, left_at, updated_at)
            VALUES ($session, $canvas, $instance, $peer, $left, $now)
            ON CONFLICT (session) DO UPDATE SET peer = excluded.peer, left_at = excluded.left_at, updated_at = excluded.updated_at
            """;
        var session = upsert.Parameters.Add("$session", SqliteType.Text);
        var canvas = upsert.Parameters.Add("$canvas", SqliteType.Text);
        upsert.Parameters.AddWithValue("$instance", _instance);
        var peer = upsert.Parameters.Add("$peer", SqliteType.Blob);
        var left = upsert.Parameters.Add("$left", SqliteType.Integer);
        upsert.Parameters.AddWithValue("$now", now);
        foreach (var entry in batch)
        {
            session.Value = entry.Session;
            canvas.Value = entry.Canvas;
            peer.Value = JsonSerializer.SerializeToUtf8Bytes(entry.Peer, ProtocolJsonContext.Default.PeerInfo);
            left.Value = entry.Left ? now : DBNull.Value;
            upsert.ExecuteNonQuery();
        }
        using var forget = connection.CreateCommand();
        forget.CommandText = "DELETE FROM presence WHERE updated_at < $before";
        forget.Parameters.AddWithValue("$before", now - ForgetMilliseconds);
        forget.ExecuteNonQuery();
        transaction.Commit();
    }

    private long Read(SqliteConnection connection, long lastRead, long now)
    {
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT session, canvas_id, peer, left_at, updated_at FROM presence
            WHERE updated_at >= $since AND instance <> $instance ORDER BY updated_at
            """;
        // A little overlap: a row written in the same millisecond as the last read is not missed.
        select.Parameters.AddWithValue("$since", lastRead == 0 ? now - ExpiryMilliseconds : lastRead - 1);
        select.Parameters.AddWithValue("$instance", _instance);
        using var rows = select.ExecuteReader();
        var newest = lastRead;
        while (rows.Read())
        {
            var session = rows.GetString(0);
            var canvasId = rows.GetString(1);
            var updatedAt = rows.GetInt64(4);
            newest = Math.Max(newest, updatedAt);
            if (!rows.IsDBNull(3))
            {
                if (_remote.Remove(session)) _events.Writer.TryWrite(new RemoteLeft(canvasId, session));
                continue;
            }
            if (_remote.TryGetValue(session, out var seen) && seen.UpdatedAt >= updatedAt) continue;
            _remote[session] = (canvasId, updatedAt);
            var peer = JsonSerializer.Deserialize((byte[])rows.GetValue(2), ProtocolJsonContext.Default.PeerInfo);
            if (peer is not null && now - updatedAt < ExpiryMilliseconds) _events.Writer.TryWrite(new RemotePeer(canvasId, peer));
        }
        return newest;
    }

    /// <summary>Remote sessions whose instance stopped refreshing them have left.</summary>
    private void Expire(long now)
    {
        foreach (var (session, entry) in _remote.ToArray())
        {
            if (now - entry.UpdatedAt < ExpiryMilliseconds) continue;
            _remote.Remove(session);
            _events.Writer.TryWrite(new RemoteLeft(entry.Canvas, session));
        }
    }
}
