using System.Collections.Concurrent;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// The rooms of this process: loads a canvas on first use, hands the committed batches from the log's stream to their
/// rooms (on a task of its own; what it finds waiting for one room as one delivery), unloads idle rooms. The log is told to watch a canvas for as long as a room of it is here.
/// </summary>
public sealed class RoomManager : BackgroundService
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly ICanvasLog _log;
    private readonly RealtimeOptions _options;
    private readonly LogOptions _logOptions;
    private readonly ILogger<Room> _roomLogger;
    private readonly IPresenceBus? _presence;
    /// <summary>Held while events are handed to rooms; <see cref="CaughtUpAsync"/> waits on it.</summary>
    private readonly object _handing = new();
    private readonly List<TaskCompletionSource> _caughtUpWaiters = [];
    /// <summary>
    /// Most batches gathered before they are handed to their rooms: a room applies one delivery under its lock, which
    /// joins and submits wait for, so a room far behind catches up in steps of at most this size, and a steady stream
    /// is handed on at least this often.
    /// </summary>
    private const int MaxBatchesPerDelivery = 256;
    /// <summary>Batches read from the stream and not yet handed to their rooms; the reader's own (under <see cref="_handing"/>).</summary>
    private readonly Dictionary<Room, List<LogRecord>> _gathered = [];
    private int _gatheredCount;

    public RoomManager(ICanvasLog log, IOptions<RealtimeOptions> options, IOptions<LogOptions> logOptions, ILogger<Room> roomLogger,
        IPresenceBus? presence = null)
    {
        _presence = presence;
        _log = log;
        _options = options.Value;
        _logOptions = logOptions.Value;
        _roomLogger = roomLogger;
    }

    public IEnumerable<Room> Rooms => _rooms.Values;

    public Room? Find(string canvasId) => _rooms.TryGetValue(canvasId, out var room) ? room : null;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(HandCommittedAsync(stoppingToken), HandRemotePresenceAsync(stoppingToken));

    private async Task HandCommittedAsync(CancellationToken stoppingToken)
    {
        var committed = _log.Committed;
        try
        {
            while (await committed.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                lock (_handing)
                {
                    while (committed.TryRead(out var logEvent)) Hand(logEvent);
                    HandGathered();
                    ReleaseCaughtUpWaiters();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_handing) ReleaseCaughtUpWaiters();
        }
    }

    /// <summary>Sessions of other instances (a shared backend only) reach the rooms of their canvas here.</summary>
    private async Task HandRemotePresenceAsync(CancellationToken stoppingToken)
    {
        if (_presence is null) return;
        try
        {
            await foreach (var presenceEvent in _presence.Remote.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (Find(presenceEvent.CanvasId) is not { } room) continue;
                switch (presenceEvent)
                {
                    case RemotePeer peer:
                        room.RemotePresence(peer.Peer);
                        break;
                    case RemoteLeft left:
                        room.RemoteLeave(left.SessionId);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Gathers a committed batch for its room (a canvas without a room here is skipped), or closes a lost canvas after
    /// handing over what was gathered before it. The gathered batches go to their rooms by <see cref="HandGathered"/>
    /// once the stream is drained: a commit group of many batches for one room becomes one delivery, not one each.
    /// </summary>
    private void Hand(LogEvent logEvent)
    {
        switch (logEvent)
        {
            case LogRecord record:
                if (!_rooms.TryGetValue(record.CanvasId, out var room)) return;
                if (!_gathered.TryGetValue(room, out var records)) _gathered.Add(room, records = []);
                records.Add(record);
                if (++_gatheredCount >= MaxBatchesPerDelivery) HandGathered();
                break;
            case CanvasLost lost:
                HandGathered();
                try
                {
                    CloseCanvas(lost.CanvasId, CloseCodes.Reload, "this instance fell behind; reconnect to get the current canvas");
                }
                catch (Exception e)
                {
                    _roomLogger.LogError(e, "closing lost canvas {Canvas} failed", lost.CanvasId);
                }
                break;
        }
    }

    /// <summary>Hands every room the batches gathered for it, in seq order; each list becomes the room's.</summary>
    private void HandGathered()
    {
        foreach (var (room, records) in _gathered)
        {
            try
            {
                room.Deliver(records);
            }
            catch (Exception e)
            {
                // A room's bug must not stop delivery to the others; the batches are durable and reach clients on their next load.
                _roomLogger.LogError(e, "delivering to canvas {Canvas} failed", room.CanvasId);
            }
        }
        _gathered.Clear();
        _gatheredCount = 0;
    }

    private void ReleaseCaughtUpWaiters()
    {
        foreach (var waiter in _caughtUpWaiters) waiter.TrySetResult();
        _caughtUpWaiters.Clear();
    }

    /// <summary>
    /// Completes once every event already in the log's stream has been handed to its room. After
    /// <see cref="ICanvasLog.FlushAsync"/>, that means every flushed batch has been delivered (and acknowledged).
    /// </summary>
    public Task CaughtUpAsync()
    {
        lock (_handing)
        {
            if (_log.Committed.Count == 0 || ExecuteTask is null or { IsCompleted: true }) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _caughtUpWaiters.Add(waiter);
            return waiter.Task;
        }
    }

    /// <summary>The room of a canvas, loaded. The log watches the canvas before the room loads, so no batch slips between.</summary>
    public async Task<Room> GetAsync(string canvasId)
    {
        if (!_rooms.TryGetValue(canvasId, out var room))
        {
            await _log.WatchAsync(canvasId).ConfigureAwait(false);
            var created = new Room(canvasId, _log, _options, _logOptions, _roomLogger, _presence);
            room = _rooms.GetOrAdd(canvasId, created);
            if (room != created) _log.Unwatch(canvasId); // another session's join added it first, watched already
        }
        if (room.IsClosed)
        {
            // Unloading: it leaves the map in a moment; take its place now with a fresh room.
            Forget(room);
            return await GetAsync(canvasId).ConfigureAwait(false);
        }
        try
        {
            await room.Ready.ConfigureAwait(false);
            return room;
        }
        catch
        {
            Forget(room);
            throw;
        }
    }

    /// <summary>Removes the room from the map (when it is still there) and stops watching its canvas.</summary>
    private bool Forget(Room room)
    {
        if (!_rooms.TryRemove(new KeyValuePair<string, Room>(room.CanvasId, room))) return false;
        _log.Unwatch(room.CanvasId);
        return true;
    }

    /// <summary>Unloads the room after <see cref="RealtimeOptions.IdleRoomSeconds"/> if nobody joined meanwhile.</summary>
    public async Task ReleaseAsync(Room room)
    {
        if (room.SessionCount > 0) return;
        await Task.Delay(TimeSpan.FromSeconds(_options.IdleRoomSeconds)).ConfigureAwait(false);
        if (!room.TryCloseIfEmpty()) return;
        Forget(room);
        await room.SnapshotIfDueAsync(force: true).ConfigureAwait(false);
    }

    /// <summary>Closes every session of a canvas (deleted, or to be reloaded) and forgets its room.</summary>
    public void CloseCanvas(string canvasId, int code, string reason)
    {
        if (_rooms.TryGetValue(canvasId, out var room) && Forget(room)) room.CloseAll(code, reason);
    }
}
