using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="IAiQuotaStore"/> promises: a limit no instance can pass, and each command's row with its cost.</summary>
public class AiQuotaStoreContractTests
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_slot_is_taken_below_the_limit_only_and_keeps_what_its_command_cost(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var quota = backend.Get<IAiQuotaStore>();
        var since = Noon.AddHours(-1);

        var first = await quota.TryTakeAsync("ann", "c1", Noon, since, limit: 2);
        var second = await quota.TryTakeAsync("ann", "c2", Noon.AddSeconds(1), since, limit: 2);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(await quota.TryTakeAsync("ann", "c1", Noon.AddSeconds(2), since, limit: 2));
        Assert.NotNull(await quota.TryTakeAsync("bob", "c1", Noon.AddSeconds(2), since, limit: 2)); // another user's hour

        var cost = new AiCommandCost("claude->builtin", "claude-sonnet-4-5", 3512, 240, 0.014136m);
        await quota.RecordAsync(first.Value, cost);
        await quota.ReturnAsync(second.Value);
        var third = await quota.TryTakeAsync("ann", "c2", Noon.AddSeconds(3), since, limit: 2); // the returned slot is free again
        Assert.NotNull(third);
        Assert.Equal([new AiCommandRecord(first.Value, "ann", "c1", Noon, cost), new AiCommandRecord(third.Value, "ann", "c2", Noon.AddSeconds(3), AiCommandCost.Pending)],
            await quota.CommandsAsync("ann", since));

        // An hour on, the first command no longer counts.
        Assert.NotNull(await quota.TryTakeAsync("ann", "c1", Noon.AddHours(1), Noon, limit: 2));
        Assert.Equal([third.Value], (await quota.CommandsAsync("ann", Noon.AddSeconds(2))).Take(1).Select(c => c.Id));
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task The_limit_is_shared_by_every_instance(string provider)
    {
        await using var a = await BackendUnderTest.StartAsync(provider);
        await using var b = await a.StartAnotherAsync();
        var since = Noon.AddHours(-1);

        // Both instances at once, many times over: exactly the limit is taken.
        var slots = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Get<IAiQuotaStore>()
            .TryTakeAsync("ann", "c1", Noon.AddMilliseconds(i), since, limit: 3))));
        Assert.Equal(3, slots.Count(s => s is not null));
        Assert.Null(await a.Get<IAiQuotaStore>().TryTakeAsync("ann", "c1", Noon.AddSeconds(1), since, limit: 3));
        Assert.Null(await b.Get<IAiQuotaStore>().TryTakeAsync("ann", "c1", Noon.AddSeconds(1), since, limit: 3));
        Assert.Equal(3, (await b.Get<IAiQuotaStore>().CommandsAsync("ann", since)).Count);
    }
}
