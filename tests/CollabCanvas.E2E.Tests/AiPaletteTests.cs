using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class AiPaletteTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    [Fact]
    public async Task A_command_in_the_palette_appears_in_two_browsers_and_one_undo_removes_all_of_it()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("AI palette");
        var alice = await fixture.NewPageAsync("Alice", canvas);
        var bob = await fixture.NewPageAsync("Bob", canvas);
        foreach (var page in new[] { alice, bob })
        {
            await page.GotoAsync($"/c/{canvas}");
            await page.Locator(".status[data-status=online]").WaitForAsync();
        }

        await alice.Keyboard.PressAsync("Control+k");
        var palette = alice.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        await Assertions.Expect(palette).ToBeVisibleAsync();
        await Assertions.Expect(palette.GetByRole(AriaRole.Status)).ToContainTextAsync("commands left this hour");
        await palette.GetByLabel("Command").FillAsync("create a login form in dark theme");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-palette.png") });
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();
        await Assertions.Expect(palette).ToBeHiddenAsync();

        foreach (var page in new[] { alice, bob })
            await page.WaitForFunctionAsync("() => window.collabcanvas.client.local.size >= 5");
        var size = await alice.EvaluateAsync<int>("() => window.collabcanvas.client.local.size");
        Assert.Equal(size, await bob.EvaluateAsync<int>("() => window.collabcanvas.client.local.size"));
        await Assertions.Expect(alice.Locator(".status")).ToContainTextAsync("AI commands left this hour");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-login-form.png") });

        // One undo takes the whole component back, for everyone.
        await alice.Locator(".stage").FocusAsync();
        await alice.Keyboard.PressAsync("Control+z");
        foreach (var page in new[] { alice, bob })
            await page.WaitForFunctionAsync("() => window.collabcanvas.client.local.size === 0");
        await alice.Keyboard.PressAsync("Control+Shift+z");
        await bob.WaitForFunctionAsync($"() => window.collabcanvas.client.local.size === {size}");
    }

    [Fact]
    public async Task A_command_it_cannot_do_says_why_in_the_palette()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("AI refusal");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "AI command (Ctrl/⌘+K)" }).ClickAsync();
        var palette = page.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        await palette.GetByLabel("Command").FillAsync("order me a pizza");
        await palette.GetByLabel("Command").PressAsync("Enter");
        await Assertions.Expect(palette.GetByRole(AriaRole.Status)).ToContainTextAsync("login form");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.collabcanvas.client.local.size"));
    }
}

public class AiGalleryTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>Every component, drawn by the server and rendered by the editor: a picture to look at (docs/images/ai-components.png).</summary>
    [Fact]
    public async Task Every_component_renders_in_the_editor()
    {
        await using var server = await CollabCanvas.Server.Tests.Infrastructure.ServerProcess.StartAsync(null, ("Ai:CommandsPerHour", "200"));
        var canvas = await server.CreateCanvasAsync("Gallery");
        string[] prompts =
        [
            "a navbar", "a hero section", "a login form", "a sign up form", "a pricing table with 3 tiers", "3 cards", "a sidebar",
            "tabs", "a modal dialog", "a table with 4 rows and 3 columns", "a list of 4 items", "a footer", "a button", "a text input",
            "three checkboxes", "a toggle", "a dropdown", "4 avatars", "badges \"New\" and \"Beta\"", "a contact form",
        ];
        var made = 0;
        var row = new List<string>();
        var previousRows = new List<string>();
        foreach (var (prompt, i) in prompts.Select((p, i) => (p, i)))
        {
            var theme = i % 2 == 0 ? "" : " in dark theme";
            // Each to the right of the one before; every fifth starts a row below everything so far.
            var newRow = i % 5 == 0 && i > 0;
            if (newRow) { previousRows.AddRange(row); row.Clear(); }
            object request = i == 0 ? new { prompt = prompt + theme }
                : newRow ? new { prompt = prompt + theme + " below", selection = previousRows.ToArray() }
                : new { prompt = prompt + theme + " to the right", selection = new[] { row[^1] } };
            var response = await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", request);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            made += body.GetProperty("created").GetArrayLength();
            row.Add(body.GetProperty("created")[0].GetString()!);
            if (newRow) previousRows.Clear();
        }
        var page = await fixture.NewPageAsync("Gallery", canvas, server);
        await page.SetViewportSizeAsync(1600, 1000);
        await page.GotoAsync(new Uri(server.BaseUri, $"/c/{canvas}").ToString());
        await page.Locator(".status[data-status=online]").WaitForAsync();
        Assert.Equal(made, await page.EvaluateAsync<int>("() => window.collabcanvas.client.local.size"));
        await page.Locator(".stage").FocusAsync();
        await page.Keyboard.PressAsync("Shift+1");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-components.png") });
    }
}
