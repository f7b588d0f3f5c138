using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>What every <see cref="IAiPreviewStore"/> promises: a preview is its user's, taken once, bounded per user, forgotten after expiry.</summary>
public sealed class AiPreviewStoreContractTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static StoredAiPreview Preview(string id, string user = "alice", string canvas = "c1", int second = 0) =>
        new(id, user, canvas, $$"""{"id":"{{id}}"}""", T0.AddSeconds(second), T0.AddSeconds(second + 120));

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_preview_is_taken_once_by_its_user_on_its_canvas(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var previews = backend.Get<IAiPreviewStore>();
        await previews.AddAsync(Preview("p1"), perUser: 3);

        Assert.Null(await previews.TakeAsync("p1", "mallory", "c1"));
        Assert.Null(await previews.TakeAsync("p1", "alice", "c2"));
        Assert.Equal(Preview("p1"), await previews.TakeAsync("p1", "alice", "c1"));
        Assert.Null(await previews.TakeAsync("p1", "alice", "c1"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_user_keeps_only_the_newest_previews(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var previews = backend.Get<IAiPreviewStore>();
        await previews.AddAsync(Preview("bob1", user: "bob"), perUser: 2);
        for (var i = 1; i <= 3; i++) await previews.AddAsync(Preview("a" + i, canvas: "c" + i, second: i), perUser: 2);

        Assert.Null(await previews.TakeAsync("a1", "alice", "c1"));
        Assert.NotNull(await previews.TakeAsync("a2", "alice", "c2"));
        Assert.NotNull(await previews.TakeAsync("a3", "alice", "c3"));
        Assert.NotNull(await previews.TakeAsync("bob1", "bob", "c1")); // another user's count is their own
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task An_expired_preview_is_still_returned_as_it_is_until_a_newer_one_clears_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var previews = backend.Get<IAiPreviewStore>();
        await previews.AddAsync(Preview("old"), perUser: 3);
        await previews.AddAsync(Preview("kept"), perUser: 3);
        Assert.Equal(Preview("old").ExpiresAt, (await previews.TakeAsync("old", "alice", "c1"))!.ExpiresAt);

        await previews.AddAsync(Preview("later", user: "bob", second: 120), perUser: 3); // "kept" expired at that moment
        Assert.Null(await previews.TakeAsync("kept", "alice", "c1"));
    }
}
