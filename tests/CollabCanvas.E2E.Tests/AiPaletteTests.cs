using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class AiPaletteTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
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
