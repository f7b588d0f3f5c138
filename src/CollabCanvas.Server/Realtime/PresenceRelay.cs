using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Presence across the instances that share one SQLite file. Local changes are coalesced (the latest per session)
/// and written together every <see cref="Tick"/>; the same loop reads what other instances wrote for the canvases
/// this one has rooms for. A session's row is refreshed every few seconds while it is here, so the row of a session
/// whose instance died expires and the others see it leave. Never durable: rows are gone a minute after.
/// </summary>
public sealed class PresenceRelay(SqliteDatabase database, IOptions<LogOptions> options, IServiceProvider services,
    ILogger<PresenceRelay> logger) : BackgroundService
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

    public void Publish(string canvasId, PeerInfo peer)
    {
        lock (_dirty)
        {
            _dirty[peer.Session] = (canvasId, peer, false);
            _local[peer.Session] = (canvasId, peer);
        }
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
        var rooms = services.GetRequiredService<RoomManager>();
        using var timer = new PeriodicTimer(Tick);
        using var writerLock = new WriterLock(database.DatabasePath);
        var lastRead = 0L;
        var nextRefresh = 0L;
        Microsoft.Data.Sqlite.SqliteConnection? connection = null; // one for the relay's life, reopened after a failure
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    connection ??= database.Open();
                    Write(connection, writerLock, now, refreshAll: now >= nextRefresh);
                    if (now >= nextRefresh) nextRefresh = now + RefreshMilliseconds;
                    lastRead = Read(connection, rooms, lastRead, now);
                    Expire(rooms, now);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "presence relay failed; retrying on the next tick");
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Write(Microsoft.Data.Sqlite.SqliteConnection connection, WriterLock writerLock, long now, bool refreshAll)
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
        var session = upsert.Parameters.Add("$session", Microsoft.Data.Sqlite.SqliteType.Text);
        var canvas = upsert.Parameters.Add("$canvas", Microsoft.Data.Sqlite.SqliteType.Text);
        upsert.Parameters.AddWithValue("$instance", _instance);
        var peer = upsert.Parameters.Add("$peer", Microsoft.Data.Sqlite.SqliteType.Blob);
        var left = upsert.Parameters.Add("$left", Microsoft.Data.Sqlite.SqliteType.Integer);
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

    private long Read(Microsoft.Data.Sqlite.SqliteConnection connection, RoomManager rooms, long lastRead, long now)
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
            if (rooms.Find(canvasId) is not { } room) continue;
            if (!rows.IsDBNull(3))
            {
                _remote.Remove(session);
                room.RemoteLeave(session);
                continue;
            }
            if (_remote.TryGetValue(session, out var seen) && seen.UpdatedAt >= updatedAt) continue;
            _remote[session] = (canvasId, updatedAt);
            var peer = JsonSerializer.Deserialize((byte[])rows.GetValue(2), ProtocolJsonContext.Default.PeerInfo);
            if (peer is not null && now - updatedAt < ExpiryMilliseconds) room.RemotePresence(peer);
        }
        return newest;
    }

    /// <summary>Remote sessions whose instance stopped refreshing them have left.</summary>
    private void Expire(RoomManager rooms, long now)
    {
        foreach (var (session, entry) in _remote.ToArray())
        {
            if (now - entry.UpdatedAt < ExpiryMilliseconds) continue;
            _remote.Remove(session);
            rooms.Find(entry.Canvas)?.RemoteLeave(session);
        }
    }
}
