using System.Collections.Concurrent;
using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Features;

/// <summary>
/// The backend's presence bus behind the flag <see cref="Feature.CrossInstancePresence"/>: while it is off for this
/// instance, presence stays within the instance (as with one process). Switching off takes this instance's sessions
/// off the other instances and the other instances' sessions out of this one's rooms; switching on publishes this
/// instance's sessions again (the others' come back with their next refresh). It is an instance's switch, not a
/// user's: the flag is read without a user, once a second, so that the hot path reads a field.
/// </summary>
public sealed class SwitchedPresenceBus : IPresenceBus, IDisposable
{
    private readonly IPresenceBus _inner;
    private readonly FeatureFlags _flags;
    private readonly Channel<PresenceEvent> _remote = Channel.CreateUnbounded<PresenceEvent>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>This instance's sessions as last published, to take back or publish again when the switch flips.</summary>
    private readonly ConcurrentDictionary<(string Canvas, string Session), PeerInfo> _local = new();
    /// <summary>Other instances' sessions handed to this instance's rooms, to take out of them when the switch goes off.</summary>
    private readonly ConcurrentDictionary<(string Canvas, string Session), bool> _others = new();
    private readonly Timer _refresh;
    private volatile bool _on = true;

    private SwitchedPresenceBus(IPresenceBus inner, FeatureFlags flags)
    {
        _inner = inner;
        _flags = flags;
        _refresh = new Timer(_ => _ = RefreshAsync(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        _ = ForwardAsync();
    }

    /// <summary>Wraps the presence bus the backend registered, if it registered one (one process registers none).</summary>
    public static void Decorate(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(IPresenceBus)) is not { ImplementationFactory: { } inner } registered) return;
        services.Remove(registered);
        services.AddSingleton<IPresenceBus>(sp => new SwitchedPresenceBus((IPresenceBus)inner(sp), sp.GetRequiredService<FeatureFlags>()));
    }

    public void Publish(string canvasId, PeerInfo peer)
    {
        _local[(canvasId, peer.Session)] = peer;
        if (_on) _inner.Publish(canvasId, peer);
    }

    /// <summary>Always passed on: a session that leaves must not linger anywhere, whatever the switch says.</summary>
    public void Left(string canvasId, string sessionId)
    {
        _local.TryRemove((canvasId, sessionId), out _);
        _inner.Left(canvasId, sessionId);
    }

    public ChannelReader<PresenceEvent> Remote => _remote.Reader;

    private async Task ForwardAsync()
    {
        await foreach (var presence in _inner.Remote.ReadAllAsync().ConfigureAwait(false))
        {
            if (presence is RemoteLeft left) _others.TryRemove((left.CanvasId, left.SessionId), out _);
            else if (!_on) continue;
            else if (presence is RemotePeer peer) _others[(peer.CanvasId, peer.Peer.Session)] = true;
            _remote.Writer.TryWrite(presence);
        }
    }

    private async Task RefreshAsync()
    {
        var on = await _flags.IsOnAsync(Feature.CrossInstancePresence, userId: null);
        if (on == _on) return;
        _on = on;
        if (on)
        {
            foreach (var ((canvas, _), peer) in _local) _inner.Publish(canvas, peer);
            return;
        }
        foreach (var (canvas, session) in _local.Keys) _inner.Left(canvas, session);
        foreach (var (canvas, session) in _others.Keys)
            if (_others.TryRemove((canvas, session), out _)) _remote.Writer.TryWrite(new RemoteLeft(canvas, session));
    }

    public void Dispose() => _refresh.Dispose();
}
