using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="IAccessEventBus"/> promises: each change reaches every subscriber on every instance, once, in order.</summary>
public class AccessEventBusContractTests
{
    private static readonly AccessChange Renamed = new(CanvasId: "c1", CanvasName: "Plans, v2");
    private static readonly AccessChange Revoked = new(CanvasId: "c1", LinkId: "l1");
    private static readonly AccessChange SignedOut = new(SessionId: "s1");

    /// <summary>The next change of a stream; the ceiling is generous (a loaded machine), the promise (a second) holds by design.</summary>
    private static async Task<AccessChange> NextAsync(IAsyncEnumerator<AccessChange> changes)
    {
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Eventually.Ceiling));
        return changes.Current;
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Every_subscriber_receives_every_change_once_in_order(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var bus = backend.Get<IAccessEventBus>();
        using var stop = new CancellationTokenSource();
        await using var first = bus.Subscribe(stop.Token).GetAsyncEnumerator();
        await using var second = bus.Subscribe(stop.Token).GetAsyncEnumerator();

        await bus.PublishAsync(Renamed);
        await bus.PublishAsync(Revoked);
        await bus.PublishAsync(SignedOut);

        foreach (var changes in new[] { first, second })
            Assert.Equal([Renamed, Revoked, SignedOut], [await NextAsync(changes), await NextAsync(changes), await NextAsync(changes)]);
        // Nothing more: the next change is the one published next, not a second copy.
        await bus.PublishAsync(Renamed with { CanvasName = "v3" });
        Assert.Equal(Renamed with { CanvasName = "v3" }, await NextAsync(first));
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task A_change_published_on_one_instance_reaches_the_other(string provider)
    {
        await using var a = await BackendUnderTest.StartAsync(provider);
        await using var b = await a.StartAnotherAsync();
        using var stop = new CancellationTokenSource();
        await using var onA = a.Get<IAccessEventBus>().Subscribe(stop.Token).GetAsyncEnumerator();
        await using var onB = b.Get<IAccessEventBus>().Subscribe(stop.Token).GetAsyncEnumerator();

        await a.Get<IAccessEventBus>().PublishAsync(Revoked);
        Assert.Equal(Revoked, await NextAsync(onB));
        Assert.Equal(Revoked, await NextAsync(onA));

        await b.Get<IAccessEventBus>().PublishAsync(SignedOut);
        Assert.Equal(SignedOut, await NextAsync(onA));
        Assert.Equal(SignedOut, await NextAsync(onB));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_cancelled_subscription_ends(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var stop = new CancellationTokenSource();
        await using var changes = backend.Get<IAccessEventBus>().Subscribe(stop.Token).GetAsyncEnumerator();
        var next = changes.MoveNextAsync().AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Eventually.Ceiling));
    }
}
