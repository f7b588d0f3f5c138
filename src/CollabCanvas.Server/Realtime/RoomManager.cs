using System.Collections.Concurrent;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Realtime;

/// <summary>The rooms of this process: loads a canvas on first use, routes committed batches, unloads idle rooms.</summary>
public sealed class RoomManager
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly ICanvasLog _log;
    private readonly RealtimeOptions _options;
    private readonly LogOptions _logOptions;
    private readonly ILogger<Room> _roomLogger;
    private readonly PresenceRelay? _relay;

    public RoomManager(ICanvasLog log, IOptions<RealtimeOptions> options, IOptions<LogOptions> logOptions, ILogger<Room> roomLogger,
        PresenceRelay? relay = null)
    {
        _relay = relay;
        _log = log;
        _options = options.Value;
        _logOptions = logOptions.Value;
        _roomLogger = roomLogger;
        log.Subscribe(
            record =>
            {
                if (_rooms.TryGetValue(record.CanvasId, out var room)) room.Deliver(record);
            },
            canvasId => _rooms.ContainsKey(canvasId),
            canvasId => CloseCanvas(canvasId, CloseCodes.Reload, "this instance fell behind; reconnect to get the current canvas"));
    }

    public IEnumerable<Room> Rooms => _rooms.Values;

    public Room? Find(string canvasId) => _rooms.TryGetValue(canvasId, out var room) ? room : null;

    /// <summary>The room of a canvas, loaded. The room is registered before it loads, so no batch slips between.</summary>
    public async Task<Room> GetAsync(string canvasId)
    {
        var room = _rooms.GetOrAdd(canvasId, id => new Room(id, _log, _options, _logOptions, _roomLogger, _relay));
        if (room.IsClosed)
        {
            // Unloading: it leaves the map in a moment; take its place now with a fresh room.
            _rooms.TryRemove(new KeyValuePair<string, Room>(canvasId, room));
            return await GetAsync(canvasId).ConfigureAwait(false);
        }
        try
        {
            await room.Ready.ConfigureAwait(false);
            return room;
        }
        catch
        {
            _rooms.TryRemove(new KeyValuePair<string, Room>(canvasId, room));
            throw;
        }
    }

    /// <summary>Unloads the room after <see cref="RealtimeOptions.IdleRoomSeconds"/> if nobody joined meanwhile.</summary>
    public async Task ReleaseAsync(Room room)
    {
        if (room.SessionCount > 0) return;
        await Task.Delay(TimeSpan.FromSeconds(_options.IdleRoomSeconds)).ConfigureAwait(false);
        if (!room.TryCloseIfEmpty()) return;
        _rooms.TryRemove(new KeyValuePair<string, Room>(room.CanvasId, room));
        await room.SnapshotIfDueAsync(force: true).ConfigureAwait(false);
    }

    /// <summary>Closes every session of a canvas (deleted, or to be reloaded) and forgets its room.</summary>
    public void CloseCanvas(string canvasId, int code, string reason)
    {
        if (_rooms.TryRemove(canvasId, out var room)) room.CloseAll(code, reason);
    }
}
