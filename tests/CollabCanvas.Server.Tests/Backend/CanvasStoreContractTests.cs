using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="ICanvasStore"/> promises: a canvas never without its owner, listing, renaming, themes, deletion.</summary>
public class CanvasStoreContractTests
{
    private static readonly DateTimeOffset Monday = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static Canvas NewCanvas(string id, string name, DateTimeOffset at) => new(id, name, at, at);

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Creating_a_canvas_also_makes_its_owner(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        await BackendUsers.AddAsync(backend, "olga", "sam");
        var canvases = backend.Get<ICanvasStore>();
        var access = backend.Get<IAccessStore>();

        await canvases.CreateAsync(NewCanvas("c1", "Plans", Monday), "olga");

        Assert.Equal(NewCanvas("c1", "Plans", Monday), await canvases.FindAsync("c1"));
        Assert.Equal([new Member("olga", "olga", null, null, "owner")], await access.MembersAsync("c1"));
        Assert.Equal(new AccessFacts(true, Role.Owner, Role.None, false), await access.FactsAsync("c1", "olga", null));
        Assert.Equal([NewCanvas("c1", "Plans", Monday) with { Role = "owner" }], await canvases.ListAsync("olga"));
        Assert.Empty(await canvases.ListAsync("sam"));
        Assert.Null(await canvases.FindAsync("c2"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_user_lists_the_canvases_they_belong_to_most_recently_changed_first_with_their_role(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        await BackendUsers.AddAsync(backend, "olga", "sam");
        var canvases = backend.Get<ICanvasStore>();
        await canvases.CreateAsync(NewCanvas("b", "Old", Monday), "olga");
        await canvases.CreateAsync(NewCanvas("a", "Same time as b", Monday), "olga");
        await canvases.CreateAsync(NewCanvas("c", "Sam's", Monday), "sam");
        await backend.Get<IAccessStore>().SetRoleAsync("c", "olga", Role.Viewer, Monday);
        var renamed = await canvases.RenameAsync("b", "Renamed", Monday.AddMinutes(5));

        Assert.Equal(new Canvas("b", "Renamed", Monday, Monday.AddMinutes(5)), renamed);
        Assert.Equal(["b:owner", "a:owner", "c:viewer"], (await canvases.ListAsync("olga")).Select(c => $"{c.Id}:{c.Role}"));
        Assert.Equal(["c:owner"], (await canvases.ListAsync("sam")).Select(c => $"{c.Id}:{c.Role}"));
        Assert.Null(await canvases.RenameAsync("missing", "Nothing", Monday));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_canvas_keeps_its_theme_until_it_is_deleted_with_its_members_invitations_and_links(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        await BackendUsers.AddAsync(backend, "olga", "sam");
        var canvases = backend.Get<ICanvasStore>();
        var access = backend.Get<IAccessStore>();
        await canvases.CreateAsync(NewCanvas("c1", "Plans", Monday), "olga");
        await access.SetRoleAsync("c1", "sam", Role.Editor, Monday);
        await access.InviteAsync("c1", new Invitation("i1", "ann@example.com", "viewer", Monday), "olga");
        await access.CreateLinkAsync("c1", new ShareLink("l1", "viewer", Monday), "hash-1", "olga");

        Assert.Null(await canvases.ThemeAsync("c1"));
        await canvases.SetThemeAsync("c1", "dark");
        Assert.Equal("dark", await canvases.ThemeAsync("c1"));

        Assert.True(await canvases.DeleteAsync("c1"));
        Assert.Null(await canvases.FindAsync("c1"));
        Assert.Null(await canvases.ThemeAsync("c1"));
        Assert.Empty(await access.MembersAsync("c1"));
        Assert.Empty(await access.InvitationsAsync("c1"));
        Assert.Empty(await access.LinksAsync("c1"));
        Assert.Null(await access.FindLinkAsync("c1", "hash-1"));
        Assert.Equal(new AccessFacts(false, Role.None, Role.None, false), await access.FactsAsync("c1", "sam", "l1"));
        Assert.False(await canvases.DeleteAsync("c1"));
    }
}
