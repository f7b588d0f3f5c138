using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="IUserStore"/> promises: accounts found by id and by identity, an identity belongs to one account, deletion takes what is the account's own.</summary>
public sealed class UserStoreContractTests
{
    private static readonly User Ada = new("u-ada", "Ada", "Ada@Example.com", false, null);
    private static readonly UserIdentity AdaLocal = new("local", "ada@example.com", "Ada@Example.com", false);

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task An_account_is_found_by_its_id_and_by_each_of_its_identities(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var users = backend.Get<IUserStore>();
        var github = new UserIdentity("https://github.example", "gh-1", "ada@work.example", true);

        Assert.True(await users.TryCreateAsync(Ada, AdaLocal, "$argon2id$hash"));
        Assert.True(await users.LinkAsync(Ada.Id, github));

        Assert.Equal(Ada, await users.FindAsync(Ada.Id));
        Assert.Equal(Ada, await users.FindByIdentityAsync("local", "ada@example.com"));
        Assert.Equal(Ada, await users.FindByIdentityAsync("https://github.example", "gh-1"));
        Assert.Null(await users.FindByIdentityAsync("https://github.example", "ada@example.com"));
        Assert.Null(await users.FindAsync("u-nobody"));
        Assert.Equal([github, AdaLocal], (await users.IdentitiesAsync(Ada.Id)).OrderBy(i => i.Issuer, StringComparer.Ordinal));
        Assert.Empty(await users.IdentitiesAsync("u-nobody"));
        Assert.Equal(new LocalCredentials(Ada.Id, "$argon2id$hash", null), await users.FindCredentialsAsync("local", "ada@example.com"));
        Assert.Null(await users.FindCredentialsAsync("local", "grace@example.com"));

        await users.SetPasswordHashAsync(Ada.Id, "$argon2id$new");
        Assert.Equal(new LocalCredentials(Ada.Id, "$argon2id$new", null), await users.FindCredentialsAsync("local", "ada@example.com"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_taken_identity_is_refused_and_nothing_changes(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var users = backend.Get<IUserStore>();
        var grace = new User("u-grace", "Grace", null, false, null);
        Assert.True(await users.TryCreateAsync(Ada, AdaLocal, "$argon2id$hash"));

        Assert.False(await users.TryCreateAsync(grace, AdaLocal with { Email = "ADA@example.com" }, "$argon2id$other"));
        Assert.Null(await users.FindAsync(grace.Id));
        Assert.Equal(new LocalCredentials(Ada.Id, "$argon2id$hash", null), await users.FindCredentialsAsync("local", "ada@example.com"));

        Assert.True(await users.TryCreateAsync(grace, new UserIdentity("local", "grace@example.com", null, false), null));
        Assert.False(await users.LinkAsync(grace.Id, AdaLocal));
        Assert.False(await users.LinkAsync("u-nobody", new UserIdentity("https://github.example", "gh-9", null, false)));
        Assert.Null(await users.FindByIdentityAsync("https://github.example", "gh-9"));
        Assert.Equal(Ada, await users.FindByIdentityAsync("local", "ada@example.com"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Concurrent_creations_with_one_identity_make_one_account(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var users = backend.Get<IUserStore>();

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => users.TryCreateAsync(Ada with { Id = "u-" + i }, AdaLocal, null))));

        Assert.Single(created, c => c);
        var winner = "u-" + Array.IndexOf(created, true);
        Assert.Equal(winner, (await users.FindByIdentityAsync("local", "ada@example.com"))?.Id);
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_provider_identity_makes_its_account_once_then_refreshes_the_profile_it_gives(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var users = backend.Get<IUserStore>();
        var first = new ExternalIdentity("https://idp.example", "sub-1", "lin@idp.example", false, "Lin", "https://idp.example/lin.png");
        var lin = new User("u-lin", "Lin", "lin@idp.example", false, "https://idp.example/lin.png");

        Assert.Equal(lin, await users.SignInExternalAsync(first, lin));

        var renamed = await users.SignInExternalAsync(first with { Email = "lin@new.example", EmailVerified = true, Name = "Lin Q", AvatarUrl = null },
            lin with { Id = "u-other" });
        Assert.Equal(lin with { DisplayName = "Lin Q" }, renamed); // the account's own email stays what it was at creation
        Assert.Equal(renamed, await users.FindAsync(lin.Id));
        Assert.Null(await users.FindAsync("u-other"));
        Assert.Equal([new UserIdentity("https://idp.example", "sub-1", "lin@new.example", true)], await users.IdentitiesAsync(lin.Id));

        await users.SignInExternalAsync(first with { Email = null, EmailVerified = false, Name = null }, lin with { Id = "u-other" });
        Assert.Equal([new UserIdentity("https://idp.example", "sub-1", "lin@new.example", true)], await users.IdentitiesAsync(lin.Id));
        Assert.Equal("Lin Q", (await users.FindAsync(lin.Id))?.DisplayName);
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Deleting_an_account_takes_its_identities_sign_ins_and_tickets_with_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var users = backend.Get<IUserStore>();
        var signIns = backend.Get<ISignInStore>();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        await users.TryCreateAsync(Ada, AdaLocal, null);
        await users.LinkAsync(Ada.Id, new UserIdentity("https://idp.example", "sub-ada", null, false));
        await signIns.CreateSessionAsync(new SignInSession("s-1", Ada.Id, now, now.AddDays(1)));
        await signIns.AddTicketAsync(new WebSocketTicket("bearer-ticket", Ada.Id, null, now.AddHours(1), now.AddSeconds(30)), now);

        Assert.Equal(new AccountRemoval([], []), await users.DeleteAsync(Ada.Id), AccountRemovalComparer.Instance);

        Assert.Null(await users.FindAsync(Ada.Id));
        Assert.Null(await users.FindByIdentityAsync("https://idp.example", "sub-ada"));
        Assert.Null(await signIns.FindSessionAsync("s-1"));
        Assert.Null(await signIns.TakeTicketAsync("bearer-ticket"));
        Assert.Null(await users.DeleteAsync(Ada.Id));
        Assert.True(await users.TryCreateAsync(Ada with { Id = "u-ada-2" }, AdaLocal, null)); // the address is free again
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task An_account_created_on_one_instance_is_found_by_another_and_its_identity_stays_taken(string provider)
    {
        await using var first = await BackendUnderTest.StartAsync(provider);
        await using var second = await first.StartAnotherAsync();

        Assert.True(await first.Get<IUserStore>().TryCreateAsync(Ada, AdaLocal, "$argon2id$hash"));

        Assert.Equal(Ada, await second.Get<IUserStore>().FindByIdentityAsync("local", "ada@example.com"));
        Assert.False(await second.Get<IUserStore>().TryCreateAsync(Ada with { Id = "u-twin" }, AdaLocal, null));
    }

    /// <summary>Records holding lists compare their lists by reference; an account removal is equal when its lists hold the same items.</summary>
    private sealed class AccountRemovalComparer : IEqualityComparer<AccountRemoval?>
    {
        public static readonly AccountRemovalComparer Instance = new();

        public bool Equals(AccountRemoval? x, AccountRemoval? y) =>
            x is null || y is null ? x == y : x.SolelyOwnedCanvases.SequenceEqual(y.SolelyOwnedCanvases) && x.Links.SequenceEqual(y.Links);

        public int GetHashCode(AccountRemoval? obj) => 0;
    }
}
