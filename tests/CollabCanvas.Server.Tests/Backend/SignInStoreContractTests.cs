using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="ISignInStore"/> promises: sign-ins kept until ended, tickets taken once, both gone with their account or sign-in.</summary>
public sealed class SignInStoreContractTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_sign_in_is_kept_until_it_is_ended_and_its_tickets_end_with_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var signIns = backend.Get<ISignInStore>();
        await CreateAccountAsync(backend, "u-1");
        var session = new SignInSession("s-1", "u-1", T0, T0.AddDays(30));
        await signIns.CreateSessionAsync(session);
        await signIns.CreateSessionAsync(new SignInSession("s-2", "u-1", T0, T0.AddDays(30)));
        Assert.True(await signIns.AddTicketAsync(new WebSocketTicket("t-1", "u-1", "s-1", session.ExpiresAt, T0.AddSeconds(30)), T0));
        Assert.True(await signIns.AddTicketAsync(new WebSocketTicket("t-2", "u-1", "s-2", session.ExpiresAt, T0.AddSeconds(30)), T0));

        Assert.Equal(session, await signIns.FindSessionAsync("s-1"));
        await signIns.EndSessionAsync("s-1");

        Assert.Null(await signIns.FindSessionAsync("s-1"));
        Assert.Null(await signIns.TakeTicketAsync("t-1"));
        Assert.NotNull(await signIns.FindSessionAsync("s-2"));
        Assert.NotNull(await signIns.TakeTicketAsync("t-2"));
        Assert.False(await signIns.AddTicketAsync(new WebSocketTicket("t-3", "u-1", "s-1", session.ExpiresAt, T0.AddSeconds(30)), T0));
        Assert.Null(await signIns.TakeTicketAsync("t-3"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_new_sign_in_forgets_those_that_expired_before_it_began(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var signIns = backend.Get<ISignInStore>();
        await CreateAccountAsync(backend, "u-1");
        await signIns.CreateSessionAsync(new SignInSession("s-short", "u-1", T0, T0.AddMinutes(1)));
        await signIns.CreateSessionAsync(new SignInSession("s-long", "u-1", T0, T0.AddMinutes(10)));
        Assert.True(await signIns.AddTicketAsync(new WebSocketTicket("t-short", "u-1", "s-short", T0.AddMinutes(1), T0.AddSeconds(30)), T0));

        await signIns.CreateSessionAsync(new SignInSession("s-new", "u-1", T0.AddMinutes(2), T0.AddMinutes(20)));

        Assert.Null(await signIns.FindSessionAsync("s-short"));
        Assert.Null(await signIns.TakeTicketAsync("t-short"));
        Assert.Equal(new SignInSession("s-long", "u-1", T0, T0.AddMinutes(10)), await signIns.FindSessionAsync("s-long"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_ticket_is_taken_once_however_many_ask_at_the_same_time(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var signIns = backend.Get<ISignInStore>();
        await CreateAccountAsync(backend, "u-1");
        var ticket = new WebSocketTicket("t-1", "u-1", null, T0.AddHours(1), T0.AddSeconds(30)); // minted on a bearer token
        Assert.True(await signIns.AddTicketAsync(ticket, T0));

        var taken = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => signIns.TakeTicketAsync("t-1"))));

        Assert.Equal([ticket], taken.OfType<WebSocketTicket>());
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_ticket_for_a_missing_account_or_sign_in_is_not_kept_and_adding_one_forgets_the_expired(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var signIns = backend.Get<ISignInStore>();
        await CreateAccountAsync(backend, "u-1");
        Assert.True(await signIns.AddTicketAsync(new WebSocketTicket("t-old", "u-1", null, T0.AddHours(1), T0.AddSeconds(30)), T0));

        Assert.False(await signIns.AddTicketAsync(new WebSocketTicket("t-nobody", "u-nobody", null, T0.AddHours(1), T0.AddSeconds(90)), T0.AddMinutes(1)));
        Assert.False(await signIns.AddTicketAsync(new WebSocketTicket("t-no-sign-in", "u-1", "s-none", T0.AddHours(1), T0.AddSeconds(90)), T0.AddMinutes(1)));
        Assert.True(await signIns.AddTicketAsync(new WebSocketTicket("t-new", "u-1", null, T0.AddHours(1), T0.AddSeconds(90)), T0.AddMinutes(1)));

        Assert.Null(await signIns.TakeTicketAsync("t-nobody"));
        Assert.Null(await signIns.TakeTicketAsync("t-no-sign-in"));
        Assert.Null(await signIns.TakeTicketAsync("t-old"));
        Assert.Equal(new WebSocketTicket("t-new", "u-1", null, T0.AddHours(1), T0.AddSeconds(90)), await signIns.TakeTicketAsync("t-new"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task A_ticket_minted_on_one_instance_is_taken_on_another_and_a_sign_out_there_ends_the_sign_in_here(string provider)
    {
        await using var first = await BackendUnderTest.StartAsync(provider);
        await using var second = await first.StartAnotherAsync();
        await CreateAccountAsync(first, "u-1");
        await first.Get<ISignInStore>().CreateSessionAsync(new SignInSession("s-1", "u-1", T0, T0.AddDays(1)));
        var ticket = new WebSocketTicket("t-1", "u-1", "s-1", T0.AddDays(1), T0.AddSeconds(30));
        Assert.True(await first.Get<ISignInStore>().AddTicketAsync(ticket, T0));

        Assert.Equal(ticket, await second.Get<ISignInStore>().TakeTicketAsync("t-1"));
        Assert.Null(await first.Get<ISignInStore>().TakeTicketAsync("t-1"));

        await second.Get<ISignInStore>().EndSessionAsync("s-1");
        Assert.Null(await first.Get<ISignInStore>().FindSessionAsync("s-1"));
    }

    private static Task CreateAccountAsync(BackendUnderTest backend, string userId) =>
        backend.Get<IUserStore>().TryCreateAsync(new User(userId, userId, null, false, null), new UserIdentity("local", userId + "@example.com", null, false), null);
}
