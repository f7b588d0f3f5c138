using System.Threading.Channels;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// Presence and access changes over a real Redis, on instances that share nothing else: what Redis itself adds to the
/// contract (instances that vanish, canvases nobody here is on, Redis going away and coming back).
/// </summary>
public class RedisFanOutTests
{
    private static readonly PeerInfo Ada = new("session-a", new UserInfo("user-a", "Ada", "#123456"), new Cursor(10, 20), ["o1"]);
    private static readonly PeerInfo Bob = new("session-b", new UserInfo("user-b", "Bob", "#654321"), null, []);

    private static async Task<PresenceEvent> NextAsync(ChannelReader<PresenceEvent> events)
    {
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        return await events.ReadAsync(ceiling.Token);
    }

    /// <summary>The next event that is not a refresh of a peer already seen.</summary>
    private static async Task<PresenceEvent> NextNotAboutAsync(ChannelReader<PresenceEvent> events, string session)
    {
        PresenceEvent next;
        do next = await NextAsync(events); while (next is RemotePeer peer && peer.Peer.Session == session);
        return next;
    }

    private static async Task<AccessChange> NextAsync(IAsyncEnumerator<AccessChange> changes)
    {
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Eventually.Ceiling));
        return changes.Current;
    }

    [Fact]
    public async Task Presence_reaches_instances_with_sessions_on_that_canvas_only()
    {
        var redis = await RedisServer.SharedAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        var canvas = "c-" + Guid.NewGuid().ToString("N");
        var elsewhere = "c-" + Guid.NewGuid().ToString("N");

        b.Presence.Publish(canvas, Bob); // someone on b to tell
        a.Presence.Publish(elsewhere, Ada with { Session = "session-elsewhere" });
        a.Presence.Publish(canvas, Ada);

        var arrived = Assert.IsType<RemotePeer>(await NextAsync(b.Presence.Remote));
        Assert.Equal((canvas, "session-a", "Ada", 10.0, 20.0, "o1"),
            (arrived.CanvasId, arrived.Peer.Session, arrived.Peer.User.Name, arrived.Peer.Cursor!.X, arrived.Peer.Cursor.Y, arrived.Peer.Selection.Single()));
        Assert.Equal(("session-b", canvas), Assert.IsType<RemotePeer>(await NextAsync(a.Presence.Remote)) is var bob ? (bob.Peer.Session, bob.CanvasId) : default);

        a.Presence.Left(canvas, "session-a");
        var seenByB = new List<PresenceEvent>();
        do seenByB.Add(await NextAsync(b.Presence.Remote)); while (seenByB[^1] is not RemoteLeft);
        Assert.Equal(new RemoteLeft(canvas, "session-a"), seenByB[^1]);
        // a's session on a canvas where b has none was published in the same ticks, yet never reached b.
        Assert.All(seenByB, e => Assert.Equal(canvas, e.CanvasId));
    }

    [Fact]
    public async Task The_sessions_of_an_instance_that_vanished_leave()
    {
        var redis = await RedisServer.SharedAsync();
        await using var b = await RedisInstance.StartAsync(redis);
        var canvas = "c-" + Guid.NewGuid().ToString("N");
        b.Presence.Publish(canvas, Bob);
        var a = await b.StartAnotherAsync();
        a.Presence.Publish(canvas, Ada);
        Assert.Equal("session-a", Assert.IsType<RemotePeer>(await NextAsync(b.Presence.Remote)).Peer.Session);

        await a.DisposeAsync(); // stopped without saying that its session left: it just stops refreshing it

        Assert.Equal(new RemoteLeft(canvas, "session-a"), await NextNotAboutAsync(b.Presence.Remote, "session-a"));
    }

    [Fact]
    public async Task Access_changes_reach_every_instance_in_the_order_each_published_them()
    {
        var redis = await RedisServer.SharedAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        using var stop = new CancellationTokenSource();
        await using var onA = a.Access.Subscribe(stop.Token).GetAsyncEnumerator();
        await using var onB = b.Access.Subscribe(stop.Token).GetAsyncEnumerator();
        var fromA = Enumerable.Range(0, 50).Select(i => new AccessChange(CanvasId: "c", LinkId: $"a{i}")).ToList();
        var fromB = Enumerable.Range(0, 50).Select(i => new AccessChange(SessionId: $"b{i}")).ToList();

        await Task.WhenAll(Task.Run(async () =>
        {
            foreach (var change in fromA) await a.Access.PublishAsync(change);
        }), Task.Run(async () =>
        {
            foreach (var change in fromB) await b.Access.PublishAsync(change);
        }));

        foreach (var changes in new[] { onA, onB })
        {
            var received = new List<AccessChange>();
            for (var i = 0; i < 100; i++) received.Add(await NextAsync(changes));
            Assert.Equal(fromA, received.Where(c => c.LinkId is not null));
            Assert.Equal(fromB, received.Where(c => c.SessionId is not null));
        }
    }

    [Fact]
    public async Task An_access_change_published_while_an_instance_was_cut_off_reaches_it_once_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        using var stop = new CancellationTokenSource();
        await using var onB = b.Access.Subscribe(stop.Token).GetAsyncEnumerator();
        var revoked = new AccessChange(CanvasId: "c", LinkId: "l1");

        await using (await redis.LockOutAsync(b.ClientName))
            await a.Access.PublishAsync(revoked); // b cannot hear of it now

        Assert.Equal(revoked, await NextAsync(onB));
        // Once: the next change is the next one published.
        await a.Access.PublishAsync(new AccessChange(SessionId: "s1"));
        Assert.Equal(new AccessChange(SessionId: "s1"), await NextAsync(onB));
    }

    [Fact]
    public async Task An_instance_does_not_start_while_Redis_is_unreachable_so_that_it_misses_no_revocation()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => RedisInstance.StartAsync(redis));

        await redis.RestartAsync();
        await using var started = await RedisInstance.StartAsync(redis);
    }

    [Fact]
    public async Task After_Redis_restarts_access_changes_and_presence_travel_again()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        using var stop = new CancellationTokenSource();
        await using var onB = b.Access.Subscribe(stop.Token).GetAsyncEnumerator();
        b.Presence.Publish("c", Bob);
        a.Presence.Publish("c", Ada);
        Assert.Equal("session-a", Assert.IsType<RemotePeer>(await NextAsync(b.Presence.Remote)).Peer.Session);

        await redis.RestartAsync();

        // A change published before both instances are back is lost (nothing is stored); one published after arrives.
        // So the test publishes until one arrives: what it proves is that b is subscribed again.
        var revoked = new AccessChange(CanvasId: "c", LinkId: "l1");
        var next = onB.MoveNextAsync().AsTask();
        await Eventually.Until(async () =>
        {
            try
            {
                await a.Access.PublishAsync(revoked);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // a not connected again yet
            }
            return await Task.WhenAny(next, Task.Delay(200)) == next;
        }, "an access change published after Redis restarted reaches the other instance");
        Assert.Equal(revoked, onB.Current);

        // Presence: a moves its cursor; b hears of it again.
        a.Presence.Publish("c", Ada with { Cursor = new Cursor(99, 99) });
        PresenceEvent moved;
        do moved = await NextAsync(b.Presence.Remote); while (moved is not RemotePeer { Peer.Cursor.X: 99 });
    }
}
