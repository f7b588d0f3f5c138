using System.Threading.Channels;
using CollabCanvas.Core.Protocol;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// Presence (cursors, selections, who is here) between the instances that serve the same canvases. Coalesced (the
/// latest per session wins) and never durable. One process needs none: where the backend registers no bus, presence
/// stays in the room.
/// </summary>
public interface IPresenceBus
{
    /// <summary>A session of this instance joined or moved. Never blocks; sent on with the next tick, the latest only.</summary>
    void Publish(string canvasId, PeerInfo peer);

    /// <summary>A session of this instance left.</summary>
    void Left(string canvasId, string sessionId);

    /// <summary>
    /// What other instances' sessions do, for every canvas: <see cref="RemotePeer"/> when one appears or moves,
    /// <see cref="RemoteLeft"/> when it leaves or its instance stopped reporting it. Only while this instance has
    /// sessions of its own (published and not left): with none, there is no one here to tell, and an implementation may
    /// stop reading. One reader per instance.
    /// </summary>
    ChannelReader<PresenceEvent> Remote { get; }
}

public abstract record PresenceEvent(string CanvasId);

public sealed record RemotePeer(string CanvasId, PeerInfo Peer) : PresenceEvent(CanvasId);

public sealed record RemoteLeft(string CanvasId, string SessionId) : PresenceEvent(CanvasId);
