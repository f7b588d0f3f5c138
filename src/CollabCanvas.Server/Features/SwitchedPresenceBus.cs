using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Features;

/// <summary>
/// The backend's presence bus behind the flag <see cref="Feature.CrossInstancePresence"/>: while it is off for this
/// instance, nothing is published and what other instances publish is dropped, so presence stays within the instance
/// (as with one process). It is an instance's switch, not a user's: the flag is read without a user, once a second,
/// so that the hot path reads a field.
/// </summary>
public sealed class SwitchedPresenceBus : IPresenceBus, IDisposable
{
    private readonly IPresenceBus _inner;
    private readonly FeatureFlags _flags;
    private readonly Channel<PresenceEvent> _remote = Channel.CreateUnbounded<PresenceEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
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

    /// <summary>Dropped while off: a cursor that moves is not a request, so it is not counted as refused.</summary>
    public void Publish(string canvasId, PeerInfo peer)
    {
        if (_on) _inner.Publish(canvasId, peer);
    }

    /// <summary>Always passed on: a leaving session must not linger on the other instances after the switch flips.</summary>
    public void Left(string canvasId, string sessionId) => _inner.Left(canvasId, sessionId);

    public ChannelReader<PresenceEvent> Remote => _remote.Reader;

    private async Task ForwardAsync()
    {
        await foreach (var presence in _inner.Remote.ReadAllAsync().ConfigureAwait(false))
            if (_on || presence is RemoteLeft) _remote.Writer.TryWrite(presence);
    }

    private async Task RefreshAsync() => _on = await _flags.IsOnAsync(Feature.CrossInstancePresence, userId: null);

    public void Dispose() => _refresh.Dispose();
}
