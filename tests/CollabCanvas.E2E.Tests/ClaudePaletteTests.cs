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
        await palette.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        // The answer was the parser's: the palette stays open to say so, with what it made.
        await Assertions.Expect(status).ToContainTextAsync("Claude's answer could not be used; the built-in parser answered instead. Made a button");
        await Assertions.Expect(palette).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-palette-claude-note.png") });
        await Eventually.Until(async () => (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Any(),
            "the parser's button reaches the server");
    }

    [Fact]
    public async Task Claudes_answer_streams_into_a_preview_that_only_the_requester_sees_until_accepted()
    {
        var secondCard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var anthropic = new FakeAnthropic
        {
            Answer = _ => (200, FakeAnthropic.ToolUse("claude-sonnet-4-5",
                ("create_component", new { component = "card", title = "Lamp" }), ("create_component", new { component = "card", title = "Chair" })), TimeSpan.Zero),
            EventDelay = TimeSpan.FromMilliseconds(50),
            // The model is held before its second card until the test has looked at the first one.
            BeforeToolCall = index => index == 1 ? secondCard.Task.WaitAsync(Eventually.Ceiling) : Task.CompletedTask,
        };
        await using var server = await ServerProcess.StartAsync(null, ("Ai:Claude:ApiKey", "sk-ant-test-palette"), ("Ai:Claude:BaseUrl", anthropic.BaseUrl),
            ("Ai:Claude:BudgetSeconds", "120"), ("Ai:Claude:TimeoutSeconds", "120"));
        var canvas = await server.CreateCanvasAsync("Claude preview");
        var alice = await fixture.NewPageAsync("Alice", canvas, server: server);
        var bob = await fixture.NewPageAsync("Bob", canvas, server: server);
        foreach (var page in new[] { alice, bob })
        {
            await page.GotoAsync($"/c/{canvas}");
            await page.Locator(".status[data-status=online]").WaitForAsync();
        }
        async Task<int> ServerObjectsAsync() => (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();
        async Task<int> ExportedCountAsync(IPage page) => (await EditorSteps.ExportedObjectsAsync(page)).EnumerateObject().Count();

        await alice.Keyboard.PressAsync("Control+k");
        var palette = alice.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        var status = palette.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("Claude");
        await palette.GetByLabel("Command").FillAsync("a card for a lamp and a card for a chair");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();

        // The first card is drawn for Alice while the model is still answering; it is not an object of the canvas yet.
        await Assertions.Expect(status).ToContainTextAsync("Claude is drawing…");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-preview-streaming.png") });
        Assert.Equal(0, await ExportedCountAsync(bob));
        Assert.Equal(0, await ServerObjectsAsync());
        secondCard.SetResult();

        var accept = palette.GetByRole(AriaRole.Button, new() { Name = "Accept" });
        await Assertions.Expect(accept).ToBeVisibleAsync();
        await Assertions.Expect(status).ToContainTextAsync("Preview: Made 2 cards. Only you see it until you accept");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-preview.png") });
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-preview-other-window.png") });
        Assert.Equal(0, await ExportedCountAsync(bob));
        Assert.Equal(0, await ServerObjectsAsync());

        // Accepted: one batch for everyone.
        await accept.ClickAsync();
        await Assertions.Expect(palette).ToBeHiddenAsync();
        await EditorSteps.ExportedObjectsWhenAsync(bob, o => o.EnumerateObject().Any(), "Bob has the cards");
        var made = await ServerObjectsAsync();
        Assert.True(made >= 10, $"{made} objects");
        // Alice's document is the server's: the preview went in as the one accepted batch, nothing of it stayed aside.
        var accepted = EditorSteps.Canonical((await server.DocumentAsync(canvas)).GetProperty("objects"));
        foreach (var page in new[] { alice, bob })
            await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == accepted, "the window has the accepted cards");

        // A second command, discarded with Esc: nothing reaches anyone.
        await alice.Keyboard.PressAsync("Control+k");
        await palette.GetByLabel("Command").FillAsync("a card for a desk");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();
        await Assertions.Expect(accept).ToBeVisibleAsync();
        await alice.Keyboard.PressAsync("Escape");
        await Assertions.Expect(palette).ToBeHiddenAsync();
        Assert.Equal(made, await ServerObjectsAsync());
        Assert.Equal(made, await ExportedCountAsync(alice));
        Assert.Equal(made, await ExportedCountAsync(bob));
    }
}
