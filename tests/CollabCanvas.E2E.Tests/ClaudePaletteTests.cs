using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>The palette on a server with Claude configured (a local stand-in of the Messages API).</summary>
public class ClaudePaletteTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    [Fact]
    public async Task The_palette_says_when_the_parser_answered_in_claudes_place()
    {
        await using var anthropic = new FakeAnthropic
        {
            Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "spaceship" })), TimeSpan.Zero),
        };
        await using var server = await ServerProcess.StartAsync(null, ("Ai:Claude:ApiKey", "sk-ant-test-palette"), ("Ai:Claude:BaseUrl", anthropic.BaseUrl));
        var canvas = await server.CreateCanvasAsync("Claude palette");
        var page = await fixture.NewPageAsync("Alice", canvas, server: server);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();

        await page.Keyboard.PressAsync("Control+k");
        var palette = page.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        var status = palette.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("Claude");
        await palette.GetByLabel("Command").FillAsync("add a button");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();

        // The answer was the parser's: the palette stays open to say so, with what it made.
        await Assertions.Expect(status).ToContainTextAsync("Claude's answer could not be used; the built-in parser answered instead. Made a button");
        await Assertions.Expect(palette).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-palette-claude-note.png") });
        await Eventually.Until(async () => (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Any(),
            "the parser's button reaches the server");
    }
}
