using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>What a newcomer meets: starter templates, the hint of an empty canvas, and renaming a canvas where it is open.</summary>
public class FirstRunTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static string Shot(string name) => Path.Combine(BrowserFixture.Screenshots, name);

    private async Task<int> ObjectCountAsync(string canvas) =>
        (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();

    [Fact]
    public async Task The_dashboard_offers_templates_and_a_canvas_made_from_one_starts_with_its_objects()
    {
        var page = await fixture.NewPageAsync("Tess");
        await page.GotoAsync("/");
        var templates = page.GetByRole(AriaRole.Region, new() { Name = "Or start from a template" });
        foreach (var name in new[] { "Wireframe", "Flowchart", "Moodboard" })
            await Assertions.Expect(templates.GetByRole(AriaRole.Button, new() { Name = $"New canvas from the {name} template" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("first-run-dashboard.png") });

        foreach (var (name, text) in new[] { ("Flowchart", "Start"), ("Wireframe", "Logo"), ("Moodboard", "Moodboard") })
        {
            await page.GotoAsync("/");
            await templates.GetByRole(AriaRole.Button, new() { Name = $"New canvas from the {name} template" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/c/[A-Za-z0-9_-]+$"));
            await page.Locator(".status[data-status=online]").WaitForAsync();
            await Assertions.Expect(page.Locator("h1.title")).ToHaveTextAsync(name);
            var canvas = new Uri(page.Url).Segments[^1];
            var document = await page.Context.APIRequest.GetAsync($"/api/canvases/{canvas}/document");
            var objects = (await document.JsonAsync())!.Value.GetProperty("objects").EnumerateObject().Select(p => p.Value).ToList();
            Assert.Contains(objects, o => o.TryGetProperty("text", out var t) && t.GetString() == text);
            // Ordinary objects: they are drawn, and the canvas is not empty, so it gives no hint.
            await Assertions.Expect(page.GetByRole(AriaRole.Note, new() { Name = "How to start" })).ToBeHiddenAsync();
            await page.ScreenshotAsync(new() { Path = Shot($"template-{name.ToLowerInvariant()}.png") });
        }
    }

    [Fact]
    public async Task An_empty_canvas_hints_at_the_tools_until_the_first_object_exists()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Empty");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        var hint = page.GetByRole(AriaRole.Note, new() { Name = "How to start" });
        await Assertions.Expect(hint).ToBeVisibleAsync();
        await Assertions.Expect(hint).ToContainTextAsync("Rectangle");
        await Assertions.Expect(hint).ToContainTextAsync("Ctrl/⌘+K");
        await page.ScreenshotAsync(new() { Path = Shot("first-run-canvas.png") });

        // It lets the drawing through, and goes with the first object.
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 560, 380, 760, 500);
        await Assertions.Expect(hint).ToBeHiddenAsync();
        await Eventually.Until(async () => await ObjectCountAsync(canvas) == 1, "the rectangle reaches the server");
        // Emptied again, the canvas hints again.
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(hint).ToBeVisibleAsync();
        await Eventually.Until(async () => await ObjectCountAsync(canvas) == 0, "the undo reaches the server");
    }

    [Fact]
    public async Task The_title_is_renamed_in_place_Enter_saves_Escape_cancels_and_viewers_cannot()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Old name");
        (await fixture.Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "vic@example.test", role = "viewer" }))
            .EnsureSuccessStatusCode();
        var alice = await fixture.NewPageAsync("Alice", canvas);
        var bob = await fixture.NewPageAsync("Bob", canvas);
        var vic = await fixture.NewPageAsync("Vic"); // accepts the viewer invitation as he signs in
        foreach (var page in new[] { alice, bob, vic })
        {
            await page.GotoAsync($"/c/{canvas}");
            await page.Locator(".status[data-status=online]").WaitForAsync();
        }

        var rename = alice.Locator("h1.title");
        await Assertions.Expect(rename).ToHaveAttributeAsync("title", "Click to rename"); // once the role is known
        await rename.ClickAsync();
        var field = alice.GetByLabel("Canvas name");
        await field.FillAsync("Not this");
        await field.PressAsync("Escape");
        await Assertions.Expect(alice.Locator("h1.title")).ToHaveTextAsync("Old name");

        await rename.ClickAsync();
        await field.FillAsync("Launch plan v2");
        await field.PressAsync("Enter");
        await Assertions.Expect(alice.Locator("h1.title")).ToHaveTextAsync("Launch plan v2");
        await Assertions.Expect(alice).ToHaveTitleAsync("Launch plan v2 · CollabCanvas");
        var saved = await fixture.Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}");
        Assert.Equal("Launch plan v2", saved.GetProperty("name").GetString());

        // The other members' open editors show the new name at once (no reload); the dashboard shows it too; the viewer
        // cannot edit it.
        await Assertions.Expect(bob.Locator("h1.title")).ToHaveTextAsync("Launch plan v2");
        await Assertions.Expect(vic.Locator("h1.title")).ToHaveTextAsync("Launch plan v2");
        await bob.GotoAsync("/");
        await Assertions.Expect(bob.GetByRole(AriaRole.Link, new() { Name = "Launch plan v2" })).ToBeVisibleAsync();
        await vic.Locator("h1.title").ClickAsync();
        await Assertions.Expect(vic.GetByLabel("Canvas name")).ToHaveCountAsync(0);
    }
}
