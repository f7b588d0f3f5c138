using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="ILoginAttemptStore"/> promises: exact counts within a window, locks until an exact moment.</summary>
public sealed class LoginAttemptStoreContractTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private static readonly FailureLimit ThreeIn15Minutes = new(3, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10));

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task The_failure_that_reaches_the_limit_locks_that_key_alone_until_then_plus_the_lockout(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var attempts = backend.Get<ILoginAttemptStore>();

        await attempts.CountFailureAsync("account:a@example.com", ThreeIn15Minutes, T0);
        await attempts.CountFailureAsync("account:a@example.com", ThreeIn15Minutes, T0.AddMinutes(1));
        await attempts.CountFailureAsync("address:10.0.0.1", ThreeIn15Minutes, T0.AddMinutes(1));
        Assert.Null(await attempts.LockedUntilAsync(["account:a@example.com", "address:10.0.0.1"]));

        await attempts.CountFailureAsync("account:a@example.com", ThreeIn15Minutes, T0.AddMinutes(2));

        Assert.Equal(T0.AddMinutes(12), await attempts.LockedUntilAsync(["account:a@example.com", "address:10.0.0.1"]));
        Assert.Null(await attempts.LockedUntilAsync(["address:10.0.0.1"]));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Failures_older_than_the_window_are_not_counted(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var attempts = backend.Get<ILoginAttemptStore>();

        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0);
        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(1));
        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(16)); // the window began at T0: a new one starts
        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(17));
        Assert.Null(await attempts.LockedUntilAsync(["k"]));

        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(18));
        Assert.Equal(T0.AddMinutes(28), await attempts.LockedUntilAsync(["k"]));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_lock_starts_the_count_afresh_and_the_next_lock_replaces_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var attempts = backend.Get<ILoginAttemptStore>();
        for (var minute = 0; minute < 3; minute++) await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(minute));

        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(3));
        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(4));
        Assert.Equal(T0.AddMinutes(12), await attempts.LockedUntilAsync(["k"]));

        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(5));
        Assert.Equal(T0.AddMinutes(15), await attempts.LockedUntilAsync(["k"]));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Forgetting_a_key_clears_its_failures_and_its_lock(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var attempts = backend.Get<ILoginAttemptStore>();
        for (var minute = 0; minute < 3; minute++) await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(minute));

        await attempts.ForgetAsync("k");
        Assert.Null(await attempts.LockedUntilAsync(["k"]));

        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(3));
        await attempts.CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(4));
        Assert.Null(await attempts.LockedUntilAsync(["k"]));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Concurrent_failures_count_exactly(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var attempts = backend.Get<ILoginAttemptStore>();
        var limit = new FailureLimit(41, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(10));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => attempts.CountFailureAsync("k", limit, T0))));
        Assert.Null(await attempts.LockedUntilAsync(["k"]));

        await attempts.CountFailureAsync("k", limit, T0);
        Assert.Equal(T0.AddMinutes(10), await attempts.LockedUntilAsync(["k"]));
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task Failures_counted_on_two_instances_add_up(string provider)
    {
        await using var first = await BackendUnderTest.StartAsync(provider);
        await using var second = await first.StartAnotherAsync();

        await first.Get<ILoginAttemptStore>().CountFailureAsync("k", ThreeIn15Minutes, T0);
        await second.Get<ILoginAttemptStore>().CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(1));
        await first.Get<ILoginAttemptStore>().CountFailureAsync("k", ThreeIn15Minutes, T0.AddMinutes(2));

        Assert.Equal(T0.AddMinutes(12), await second.Get<ILoginAttemptStore>().LockedUntilAsync(["k"]));
    }
}
