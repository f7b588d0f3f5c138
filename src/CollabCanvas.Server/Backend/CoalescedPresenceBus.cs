using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// One tick's presence of an instance's sessions on one canvas. <paramref name="Ask"/>: the instance has just started
/// to receive the canvas and asks the others to send theirs now rather than at their next refresh.
/// </summary>
public sealed record InstancePresence(string Instance, bool Ask, PeerInfo[] Peers, string[] Left);

/// <summary>
/// Presence between instances over a message transport that stores nothing (Redis pub/sub, PostgreSQL NOTIFY): the
/// part that does not depend on the transport. Local changes are coalesced (the latest per session) and sent every
/// <see cref="Tick"/>, one message per canvas. Every local session is sent again every few seconds, so a remote session
/// that stops being refreshed (its instance died or lost the transport) expires and leaves; an instance that starts
/// receiving a canvas asks the others to send theirs at once. A canvas is received while a session of this instance is
/// on it. With no session here at all the bus sleeps until one comes.
/// </summary>
public abstract class CoalescedPresenceBus : BackgroundService, IPresenceBus
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private const long RefreshMilliseconds = 3_000;
    private const long ExpiryMilliseconds = 10_000;

    private readonly string _instance;
    private readonly ILogger _logger;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer, bool Left)> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Canvas, PeerInfo Peer)> _local = new(StringComparer.Ordinal);
    /// <summary>How many local sessions are on each canvas received (counted from publish until the tick that sent their leaving).</summary>
    private readonly Dictionary<string, int> _received = new(StringComparer.Ordinal);
    /// <summary>Canvases whose local sessions are all sent with the next tick; true: ask the others to do the same.</summary>
    private readonly Dictionary<string, bool> _resend = new(StringComparer.Ordinal);
    /// <summary>Remote sessions and when they were last heard of (this instance's clock).</summary>
    private readonly Dictionary<string, (string Canvas, long HeardAt)> _remote = new(StringComparer.Ordinal);
    private readonly Channel<PresenceEvent> _events = Channel.CreateUnbounded<PresenceEvent>(new() { SingleReader = true });
    /// <summary>Released when a session of this instance publishes, so that the bus wakes from sleeping.</summary>
    private readonly SemaphoreSlim _someoneHere = new(0, 1);

    protected CoalescedPresenceBus(IOptions<LogOptions> options, ILogger logger)
    {
        _instance = options.Value.InstanceId;
        _logger = logger;
    }

    public ChannelReader<PresenceEvent> Remote => _events.Reader;

    /// <summary>The first local session came to the canvas: receive what others send about it from now on.</summary>
    protected abstract void StartReceiving(string canvasId);

    /// <summary>The last local session on the canvas has left (and the others were told): stop receiving it.</summary>
    protected abstract void StopReceiving(string canvasId);

    /// <summary>Sends one tick's messages, one per canvas. Best effort: what is lost is sent again with the next refresh.</summary>
    protected abstract Task SendAsync(IReadOnlyList<(string CanvasId, InstancePresence Message)> messages, CancellationToken cancellationToken);

    public void Publish(string canvasId, PeerInfo peer)
    {
        lock (_gate)
        {
            // Counted once per session (a session that left and came back before the tick is still counted).
            var counted = _local.ContainsKey(peer.Session) || _dirty.TryGetValue(peer.Session, out var pending) && pending.Left;
            if (!counted)
            {
                _received[canvasId] = _received.GetValueOrDefault(canvasId) + 1;
                if (_received[canvasId] == 1) StartReceiving(canvasId);
            }
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
            // No longer counted after the tick that tells the others.
        }
    }

    /// <summary>
    /// The transport now delivers the canvas (its subscription was confirmed): the local sessions there are sent with
    /// the next tick, and the others are asked to send theirs.
    /// </summary>
    protected void Receiving(string canvasId)
    {
        lock (_gate) _resend[canvasId] = true;
    }

    /// <summary>
    /// The transport was away and is back: others may have expired this instance's sessions meanwhile, and it theirs,
    /// so every canvas with a local session is sent again, asking the others to do the same.
    /// </summary>
    protected void ReceivingAgain()
    {
        lock (_gate)
            foreach (var canvasId in _local.Values.Select(l => l.Canvas).Distinct()) _resend[canvasId] = true;
    }

    /// <summary>A message that came for <paramref name="canvasId"/>; this instance's own and those of canvases it no longer receives are ignored.</summary>
    protected void Receive(string canvasId, InstancePresence message)
    {
        if (message.Instance == _instance) return;
        var now = Environment.TickCount64;
        lock (_gate)
        {
            if (!_received.ContainsKey(canvasId)) return;
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

    protected static byte[] Serialize(InstancePresence message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, PresenceJsonContext.Default.InstancePresence);

    /// <summary>The message, or null (logged) when it cannot be read.</summary>
    protected InstancePresence? Deserialize(string canvasId, ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, PresenceJsonContext.Default.InstancePresence);
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "a presence message on canvas {Canvas} could not be read; ignored", canvasId);
            return null;
        }
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
                var (messages, left) = Collect(refreshAll);
                try
                {
                    if (messages.Count > 0) await SendAsync(messages, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "sending presence failed; sent again with the next refresh");
                }
                StopCounting(left);
                Expire(now);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>What changed (everything on a refresh), one message per canvas, and the canvases that sessions left.</summary>
    private (List<(string CanvasId, InstancePresence Message)> Messages, List<string> Left) Collect(bool refreshAll)
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
        return ([.. messages.Select(m => (m.Key, new InstancePresence(_instance, m.Value.Ask, [.. m.Value.Peers], [.. m.Value.Left])))], left);
    }

    /// <summary>Counts off the sessions whose leaving was sent; a canvas nobody here is on any more is no longer received.</summary>
    private void StopCounting(List<string> left)
    {
        lock (_gate)
            foreach (var canvasId in left)
            {
                if (--_received[canvasId] > 0) continue;
                _received.Remove(canvasId);
                StopReceiving(canvasId);
                Forget(canvasId);
            }
    }

    /// <summary>No session here on the canvas any more: the rooms forget the others there (and nothing more comes).</summary>
    private void Forget(string canvasId)
    {
        foreach (var (session, _) in _remote.Where(r => r.Value.Canvas == canvasId).ToList())
        {
            _remote.Remove(session);
            _events.Writer.TryWrite(new RemoteLeft(canvasId, session));
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

/// <summary>The JSON of the presence messages between instances.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InstancePresence))]
internal sealed partial class PresenceJsonContext : JsonSerializerContext;
