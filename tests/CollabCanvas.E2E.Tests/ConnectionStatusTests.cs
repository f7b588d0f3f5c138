using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// The status in the top bar tells the truth about the connection: a network that dies silently is noticed by the
/// heartbeat, one the browser knows is gone by its offline event; unsaved changes are counted until the server has them.
/// How fast is bounded by design (docs/architecture.md, "Connection status") and proved with fake timers in
/// web/test/heartbeat.test.ts; these tests prove the real browser, socket and server do it, with no time asserted.
/// </summary>
public class ConnectionStatusTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>Draws <paramref name="count"/> small rectangles in a row, each one change.</summary>
    private static async Task DrawRectanglesAsync(IPage page, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await page.Keyboard.PressAsync("r");
            await EditorSteps.DragAsync(page, 100 + i * 70, 300, 150 + i * 70, 350);
        }
    }

    private static async Task<int> ObjectCountAsync(CollabCanvas.Server.Tests.Infrastructure.ServerProcess server, string canvas) =>
        (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();

    [Fact]
    public async Task A_silently_dead_connection_shows_offline_with_the_unsaved_changes_and_saved_once_they_arrive()
    {
        await using var network = new FreezableProxy(fixture.Server.BaseUri);
        var canvas = await fixture.Server.CreateCanvasAsync("Silent cut");
        var page = await fixture.NewPageAsync("Alice", canvas, baseUri: network.BaseUri);
        await page.GotoAsync($"/c/{canvas}");
        var status = page.Locator(".topbar .status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "online");

        network.Freeze();
        await DrawRectanglesAsync(page, 10);
        await Assertions.Expect(status).ToHaveTextAsync("Offline: 10 changes not yet saved");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-saved", "false");
        Assert.Equal(0, await ObjectCountAsync(fixture.Server, canvas));

        network.Thaw();
        await Assertions.Expect(status).ToHaveTextAsync("Saved");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-saved", "true");
        await Assertions.Expect(status).ToHaveAttributeAsync("title", "All changes saved");
        Assert.Equal(10, await ObjectCountAsync(fixture.Server, canvas));
    }

    [Fact]
    public async Task The_browser_going_offline_shows_offline_at_once_and_coming_back_saves_what_was_drawn()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Offline event");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        var status = page.Locator(".topbar .status");
        await Assertions.Expect(status).ToHaveTextAsync("Saved");

        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "offline");
        await DrawRectanglesAsync(page, 3);
        await Assertions.Expect(status).ToHaveTextAsync("Offline: 3 changes not yet saved");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-saved", "false");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(status).ToHaveTextAsync("Saved");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-saved", "true");
        Assert.Equal(3, await ObjectCountAsync(fixture.Server, canvas));
    }
}
