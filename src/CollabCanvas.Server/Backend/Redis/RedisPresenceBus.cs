using System.Text.Json;
using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// One tick's presence of an instance's sessions on one canvas. <paramref name="Ask"/>: the instance has just
/// subscribed to the canvas and asks the others to send theirs now rather than at their next refresh.
/// </summary>
internal sealed record PresenceMessage(string Instance, bool Ask, PeerInfo[] Peers, string[] Left);

/// <summary>
/// Presence between instances over Redis pub/sub, one channel per canvas (<c>collabcanvas:presence:{canvasId}</c>),
/// subscribed while this instance has sessions on it. Local changes are coalesced (the latest per session) and
/// published every <see cref="Tick"/>, one message per canvas; nothing is stored. Every local session is sent again
/// every few seconds, so a remote session that stops being refreshed (its instance died or lost Redis) expires and
/// leaves; an instance that subscribes asks the others to send theirs at once. With no session here at all the bus
/// sleeps until one comes.
/// </summary>
public sealed class RedisPresenceBus : BackgroundService, IPresenceBus
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private const long RefreshMilliseconds = 3_000;
    private const long ExpiryMilliseconds = 10_000;
    private const string Prefix = "collabcanvas:presence:";

    private readonly string _instance;
    private readonly CanvasChannels _channels;
    private readonly ILogger<RedisPresenceBus> _logger;
    private readonly RedisConnection _redis;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer, bool Left)> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer)> _local = new(StringComparer.Ordinal);
    /// <summary>Canvases whose local sessions are all sent with the next tick; true: ask the others to do the same.</summary>
    private readonly Dictionary<string, bool> _resend = new(StringComparer.Ordinal);
    /// <summary>Remote sessions and when they were last heard of (this instance's clock).</summary>
    private readonly Dictionary<string, (string Canvas, long HeardAt)> _remote = new(StringComparer.Ordinal);
    private readonly Channel<PresenceEvent> _events = Channel.CreateUnbounded<PresenceEvent>(new() { SingleReader = true });
    /// <summary>Released when a session of this instance publishes, so that the bus wakes from sleeping.</summary>
    private readonly SemaphoreSlim _someoneHere = new(0, 1);

    public RedisPresenceBus(RedisConnection redis, IOptions<LogOptions> options, ILogger<RedisPresenceBus> logger)
    {
        _redis = redis;
        _logger = logger;
        _instance = options.Value.InstanceId;
        _channels = new CanvasChannels(redis, Prefix, Receive, logger, onSubscribed: canvasId => Resend(canvasId, ask: true));
        // Others may have expired this instance's sessions while Redis was away, and it theirs.
        redis.Restored += () =>
        {
            lock (_gate)
                foreach (var canvasId in _local.Values.Select(l => l.Canvas).Distinct().ToList()) Resend(canvasId, ask: true);
        };
    }

    public ChannelReader<PresenceEvent> Remote => _events.Reader;

    public void Publish(string canvasId, PeerInfo peer)
    {
        lock (_gate)
        {
            // One watch per session (a session that left and came back before the tick is still counted).
            var counted = _local.ContainsKey(peer.Session) || _dirty.TryGetValue(peer.Session, out var pending) && pending.Left;
            if (!counted) _channels.Watch(canvasId);
            _dirty[peer.Session] = (canvasId, peer, false);
            _local[peer.Session] = (canvasId, peer);
            if (_someoneHere.CurrentCount == 0) _someoneHere.Release();
        }
    }

    public void Left(string canvasId, string sessionId)
    {
        lock (_gate)
        {
            if (!_local.Remove(sessionId, out var was)) return;
            _dirty[sessionId] = (canvasId, was.Peer, true);
            // Unwatched after the tick that tells the others.
        }
    }

    /// <summary>Sends every local session on the canvas with the next tick; <paramref name="ask"/>: and asks the others to do the same.</summary>
    private void Resend(string canvasId, bool ask)
    {
        lock (_gate) _resend[canvasId] = ask || _resend.GetValueOrDefault(canvasId);
    }

    private bool NobodyHere
    {
        get { lock (_gate) return _local.Count == 0 && _dirty.Count == 0; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRefresh = 0L;
        try
        {
            while (true)
            {
                if (NobodyHere) await _someoneHere.WaitAsync(stoppingToken);
                // Not a PeriodicTimer: its timer would keep firing while the bus sleeps.
                await Task.Delay(Tick, stoppingToken);
                var now = Environment.TickCount64;
                var refreshAll = now >= nextRefresh;
                if (refreshAll) nextRefresh = now + RefreshMilliseconds;
                try
                {
                    Send(refreshAll);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "publishing presence failed; sent again with the next refresh");
                }
                Expire(now);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Publishes what changed (everything on a refresh), one message per canvas; unwatches canvases nobody here is on any more.</summary>
    private void Send(bool refreshAll)
    {
        var messages = new Dictionary<string, (bool Ask, List<PeerInfo> Peers, List<string> Left)>(StringComparer.Ordinal);
        (bool Ask, List<PeerInfo> Peers, List<string> Left) For(string canvas) =>
            messages.TryGetValue(canvas, out var m) ? m : messages[canvas] = (false, [], []);
        var left = new List<string>();
        lock (_gate)
        {
            foreach (var (session, entry) in _local)
                if (refreshAll || _resend.ContainsKey(entry.Canvas))
                    _dirty.TryAdd(session, (entry.Canvas, entry.Peer, false));
            foreach (var (session, entry) in _dirty)
            {
                var message = For(entry.Canvas);
                if (entry.Left)
                {
                    message.Left.Add(session);
                    left.Add(entry.Canvas);
                }
                else message.Peers.Add(entry.Peer);
            }
            foreach (var (canvas, ask) in _resend)
                if (ask) messages[canvas] = For(canvas) with { Ask = true };
            _dirty.Clear();
            _resend.Clear();
        }
        var subscriber = _redis.Subscriber;
        foreach (var (canvas, message) in messages)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new PresenceMessage(_instance, message.Ask, [.. message.Peers], [.. message.Left]),
                RedisJsonContext.Default.PresenceMessage);
            subscriber.Publish(_channels.ChannelOf(canvas), payload, CommandFlags.FireAndForget);
        }
        lock (_gate)
            foreach (var canvasId in left)
                if (_channels.Unwatch(canvasId)) Forget(canvasId);
    }

    /// <summary>No session here on the canvas any more: the rooms forget the others there (and nothing more comes).</summary>
    private void Forget(string canvasId)
    {
        foreach (var (session, entry) in _remote.Where(r => r.Value.Canvas == canvasId).ToList())
        {
            _remote.Remove(session);
            _events.Writer.TryWrite(new RemoteLeft(canvasId, session));
        }
    }

    private void Receive(string canvasId, RedisValue payload)
    {
        PresenceMessage? message;
        try
        {
            message = JsonSerializer.Deserialize((byte[])payload!, RedisJsonContext.Default.PresenceMessage);
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "a presence message on canvas {Canvas} could not be read; ignored", canvasId);
            return;
        }
        if (message is null || message.Instance == _instance) return;
        var now = Environment.TickCount64;
        lock (_gate)
        {
            if (!_channels.IsWatched(canvasId)) return;
            if (message.Ask) _resend.TryAdd(canvasId, false);
            foreach (var peer in message.Peers)
            {
                _remote[peer.Session] = (canvasId, now);
                _events.Writer.TryWrite(new RemotePeer(canvasId, peer));
            }
            foreach (var session in message.Left)
                if (_remote.Remove(session)) _events.Writer.TryWrite(new RemoteLeft(canvasId, session));
        }
    }

    /// <summary>Remote sessions that their instance stopped refreshing have left.</summary>
    private void Expire(long now)
    {
        lock (_gate)
            foreach (var (session, entry) in _remote.Where(r => now - r.Value.HeardAt >= ExpiryMilliseconds).ToList())
            {
                _remote.Remove(session);
                _events.Writer.TryWrite(new RemoteLeft(entry.Canvas, session));
            }
    }
}
