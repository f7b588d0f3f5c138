using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="IAccessStore"/> promises: members and the last owner, invitations, share links.</summary>
public class AccessStoreContractTests
{
    private static readonly DateTimeOffset Monday = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static async Task<(BackendUnderTest Backend, IAccessStore Access)> StartWithCanvasAsync(string provider)
    {
        var backend = await BackendUnderTest.StartAsync(provider);
        await BackendUsers.AddAsync(backend, "olga", "sam", "ann");
        await backend.Get<ICanvasStore>().CreateAsync(new Canvas("c1", "Plans", Monday, Monday), "olga");
        await backend.Get<ICanvasStore>().CreateAsync(new Canvas("c2", "Other", Monday, Monday), "olga");
        return (backend, backend.Get<IAccessStore>());
    }

    /// <summary>The members as the store orders them (owners, editors, viewers; each by name).</summary>
    private static async Task<string[]> MembersOf(IAccessStore access, string canvas) =>
        (await access.MembersAsync(canvas)).Select(m => $"{m.UserId}:{m.Role}").ToArray();

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_canvas_always_keeps_an_owner(string provider)
    {
        var (backend, access) = await StartWithCanvasAsync(provider);
        await using var _ = backend;

        Assert.Equal(MemberChange.Done, await access.SetRoleAsync("c1", "sam", Role.Editor, Monday));
        Assert.Equal(new AccessFacts(true, Role.Editor, Role.None, false), await access.FactsAsync("c1", "sam", null));
        Assert.Equal(MemberChange.WouldLeaveNoOwner, await access.SetRoleAsync("c1", "olga", Role.Editor, Monday));
        Assert.Equal(MemberChange.WouldLeaveNoOwner, await access.RemoveAsync("c1", "olga"));
        Assert.Equal(["olga:owner", "sam:editor"], await MembersOf(access, "c1"));

        Assert.Equal(MemberChange.Done, await access.SetRoleAsync("c1", "sam", Role.Owner, Monday));
        Assert.Equal(MemberChange.Done, await access.RemoveAsync("c1", "olga"));
        Assert.Equal(MemberChange.NotMember, await access.RemoveAsync("c1", "olga"));
        Assert.Equal(["sam:owner"], await MembersOf(access, "c1"));
        Assert.Equal(["olga:owner"], await MembersOf(access, "c2"));
        Assert.Equal(new AccessFacts(true, Role.None, Role.None, false), await access.FactsAsync("c1", "olga", null));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Invitations_are_renewed_revoked_and_accepted_with_the_highest_role_offered(string provider)
    {
        var (backend, access) = await StartWithCanvasAsync(provider);
        await using var _ = backend;

        var first = await access.InviteAsync("c1", new Invitation("i1", "ann@example.com", "viewer", Monday), "olga");
        Assert.Equal(new Invitation("i1", "ann@example.com", "viewer", Monday), first);
        // Again: the first invitation's id, the new role and time.
        Assert.Equal(new Invitation("i1", "ann@example.com", "editor", Monday.AddMinutes(2)),
            await access.InviteAsync("c1", new Invitation("i2", "ann@example.com", "editor", Monday.AddMinutes(2)), "olga"));
        await access.InviteAsync("c1", new Invitation("i3", "ann@work.example", "owner", Monday.AddMinutes(1)), "olga");
        await access.InviteAsync("c1", new Invitation("i4", "bea@example.com", "viewer", Monday.AddMinutes(1)), "olga");
        await access.InviteAsync("c2", new Invitation("i5", "ann@example.com", "viewer", Monday), "olga");
        Assert.Equal(["i3", "i4", "i1"], (await access.InvitationsAsync("c1")).Select(i => i.Id));

        Assert.True(await access.RevokeInvitationAsync("c1", "i4"));
        Assert.False(await access.RevokeInvitationAsync("c1", "i4"));
        Assert.False(await access.RevokeInvitationAsync("c2", "i1")); // not that canvas's

        // Only the canvas asked for; both of Ann's addresses; the owner role wins over editor.
        Assert.Equal(["c1"], await access.AcceptInvitationsAsync("ann", ["ann@example.com", "ann@work.example"], "c1", Monday));
        Assert.Equal(["ann:owner", "olga:owner"], await MembersOf(access, "c1"));
        Assert.Empty(await access.InvitationsAsync("c1"));
        Assert.Single(await access.InvitationsAsync("c2"));

        // A member keeps their role; the invitation is used up all the same.
        await access.SetRoleAsync("c2", "ann", Role.Editor, Monday);
        Assert.Empty(await access.AcceptInvitationsAsync("ann", ["ann@example.com"], null, Monday));
        Assert.Equal(["olga:owner", "ann:editor"], await MembersOf(access, "c2"));
        Assert.Empty(await access.InvitationsAsync("c2"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_share_link_gives_its_role_until_it_is_revoked(string provider)
    {
        var (backend, access) = await StartWithCanvasAsync(provider);
        await using var _ = backend;
        await access.CreateLinkAsync("c1", new ShareLink("l1", "editor", Monday), "hash-1", "olga");
        await access.CreateLinkAsync("c1", new ShareLink("l2", "viewer", Monday.AddMinutes(1)), "hash-2", "olga");

        Assert.Equal("l1", await access.FindLinkAsync("c1", "hash-1"));
        Assert.Null(await access.FindLinkAsync("c2", "hash-1"));
        Assert.Equal(new AccessFacts(true, Role.None, Role.Editor, false), await access.FactsAsync("c1", null, "l1"));
        Assert.Equal(new AccessFacts(true, Role.None, Role.None, false), await access.FactsAsync("c2", null, "l1"));
        Assert.Equal([new ShareLink("l1", "editor", Monday), new ShareLink("l2", "viewer", Monday.AddMinutes(1))], await access.LinksAsync("c1"));

        Assert.False(await access.RevokeLinkAsync("c2", "l1", Monday));
        Assert.True(await access.RevokeLinkAsync("c1", "l1", Monday));
        Assert.False(await access.RevokeLinkAsync("c1", "l1", Monday));
        Assert.Null(await access.FindLinkAsync("c1", "hash-1"));
        Assert.Equal(new AccessFacts(true, Role.None, Role.None, false), await access.FactsAsync("c1", null, "l1"));
        Assert.Equal([new ShareLink("l2", "viewer", Monday.AddMinutes(1))], await access.LinksAsync("c1"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_deleted_account_takes_its_memberships_invitations_and_links_and_names_the_canvases_it_alone_owned(string provider)
    {
        var (backend, access) = await StartWithCanvasAsync(provider);
        await using var _ = backend;
        await access.SetRoleAsync("c2", "sam", Role.Owner, Monday); // c2 has another owner; c1 only Olga
        await access.SetRoleAsync("c1", "sam", Role.Editor, Monday);
        await access.CreateLinkAsync("c2", new ShareLink("l1", "viewer", Monday), "hash-1", "olga");
        await access.CreateLinkAsync("c2", new ShareLink("l2", "viewer", Monday), "hash-2", "olga");
        await access.RevokeLinkAsync("c2", "l2", Monday);
        await access.InviteAsync("c2", new Invitation("i1", "bea@example.com", "viewer", Monday), "olga");

        var removal = await backend.Get<IUserStore>().DeleteAsync("olga");

        Assert.NotNull(removal);
        Assert.Equal(["c1"], removal.SolelyOwnedCanvases);
        Assert.Equal([("c2", "l1")], removal.Links);
        Assert.Equal(["sam:editor"], await MembersOf(access, "c1"));
        Assert.Equal(["sam:owner"], await MembersOf(access, "c2"));
        Assert.Empty(await access.LinksAsync("c2"));
        Assert.Empty(await access.InvitationsAsync("c2"));
    }
}
