using System.Text.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class EditorTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<JsonElement> LocalModelAsync(IPage page) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.collabcanvas.client.local.toJSON())")).RootElement;

    private static async Task WaitOnlineAsync(IPage page) =>
        await page.Locator(".status[data-status=online]").WaitForAsync(new() { Timeout = 15_000 });

    private static async Task DragAsync(IPage page, float x1, float y1, float x2, float y2)
    {
        await page.Mouse.MoveAsync(x1, y1);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x2, y2, new() { Steps = 6 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task The_dashboard_invites_the_first_canvas_and_creates_one()
    {
        var page = await fixture.NewPageAsync("Alice");
        await page.GotoAsync("/");
        await page.GetByLabel("New canvas").FillAsync("Launch plan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await page.WaitForURLAsync("**/c/*");
        await WaitOnlineAsync(page);
        Assert.Equal("Launch plan", await page.Locator("h1.title").TextContentAsync());
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Launch plan" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_rectangle_drawn_in_one_browser_appears_in_the_other_with_the_drawers_cursor()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Two browsers");
        var alice = await fixture.NewPageAsync("Alice");
        var bob = await fixture.NewPageAsync("Bob");
        await alice.GotoAsync($"/c/{canvas}");
        await bob.GotoAsync($"/c/{canvas}");
        await WaitOnlineAsync(alice);
        await WaitOnlineAsync(bob);

        await alice.Keyboard.PressAsync("r");
        await DragAsync(alice, 300, 200, 460, 320);
        await alice.Keyboard.PressAsync("t");
        await alice.Mouse.ClickAsync(320, 420);
        await alice.Locator("textarea.text-editor").WaitForAsync();
        await alice.Keyboard.TypeAsync("Hello from Alice");
        await alice.Keyboard.PressAsync("Control+Enter");
        await alice.Mouse.MoveAsync(640, 300);

        await Assertions.Expect(bob.Locator(".peers .avatar[aria-label=Alice]")).ToBeVisibleAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement model;
        do
        {
            model = await LocalModelAsync(bob);
            if (model.EnumerateObject().Count() == 2 && model.ToString().Contains("Hello from Alice")) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal((await LocalModelAsync(alice)).ToString(), model.ToString());
        var rect = model.EnumerateObject().Single(o => o.Value.GetProperty("type").GetString() == "rect").Value;
        Assert.Equal(160, rect.GetProperty("width").GetDouble());
        Assert.Equal(120, rect.GetProperty("height").GetDouble());

        await bob.WaitForTimeoutAsync(300); // the cursor eases into place
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "editor-alice.png") });
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "editor-bob-with-alice-cursor.png") });

        await bob.ReloadAsync(); // reload keeps everything
        await WaitOnlineAsync(bob);
        Assert.Equal(model.ToString(), (await LocalModelAsync(bob)).ToString());
    }
}
