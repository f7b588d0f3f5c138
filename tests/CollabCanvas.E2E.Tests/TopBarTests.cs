using System.Text.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>The editor's top bar is one row at every width from 1024 px, whoever is there and whatever it says.</summary>
public class TopBarTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private sealed record Layout(double BarHeight, double CanvasTop, string Problems);

    /// <summary>
    /// Where the bar and the canvas are, and what is wrong with the bar: items not in one band (a second row), items
    /// past its right edge or the window's, content wider than the bar (cut off), or a page wider than the window.
    /// </summary>
    private static async Task<Layout> LayoutAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            () => {
              const bar = document.querySelector('.topbar'), box = bar.getBoundingClientRect(), page = document.documentElement.clientWidth;
              const items = [...bar.children].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
                .map(e => ({ name: e.className || e.tagName, rect: e.getBoundingClientRect() }));
              const lowestTop = Math.max(...items.map(i => i.rect.top)), highestBottom = Math.min(...items.map(i => i.rect.bottom));
              const problems = [];
              if (lowestTop >= highestBottom) problems.push('two rows: ' + items.map(i => `${i.name}@${Math.round(i.rect.top)}`).join(', '));
              for (const i of items) if (i.rect.right > Math.min(box.right, page) + 0.5) problems.push(`${i.name} ends at ${Math.round(i.rect.right)}, past ${Math.round(Math.min(box.right, page))}`);
              if (bar.scrollWidth > bar.clientWidth) problems.push(`content ${bar.scrollWidth} px wide in ${bar.clientWidth}`);
              if (document.documentElement.scrollWidth > page) problems.push(`the page is ${document.documentElement.scrollWidth} px wide in ${page}`);
              return JSON.stringify({ barHeight: box.height, canvasTop: document.querySelector('.stage').getBoundingClientRect().top, problems: problems.join('; ') });
            }
            """);
        var layout = JsonDocument.Parse(json).RootElement;
        return new(layout.GetProperty("barHeight").GetDouble(), layout.GetProperty("canvasTop").GetDouble(), layout.GetProperty("problems").GetString()!);
    }

    private static async Task ExpectSameRowAsync(IPage page, Layout before, string when)
    {
        var now = await LayoutAsync(page);
        Assert.True(now.Problems.Length == 0, $"{when}: {now.Problems}");
        Assert.True(before.CanvasTop == now.CanvasTop && before.BarHeight == now.BarHeight,
            $"{when}: the bar is {now.BarHeight} px high (was {before.BarHeight}), the canvas starts at {now.CanvasTop} (was {before.CanvasTop})");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1440)]
    public async Task The_top_bar_stays_one_row_for_an_owner_with_a_peer_a_long_title_and_long_messages(int width)
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Quarterly planning for the spring product launch, all teams together");
        var owner = await fixture.NewPageAsync("Owner", signedIn: false);
        await BrowserFixture.SignInAsync(owner.Context, fixture.Server.Cookies, fixture.Server.BaseUri);
        await owner.SetViewportSizeAsync(width, 800);
        await owner.GotoAsync($"/c/{canvas}");
        await Assertions.Expect(owner.Locator(".topbar .status")).ToHaveAttributeAsync("data-status", "online");
        await Assertions.Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Share" })).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("h1.title")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Quarterly"));
        var alone = await LayoutAsync(owner);
        Assert.True(alone.Problems.Length == 0, "alone: " + alone.Problems);

        var bob = await fixture.NewPageAsync("Bob", canvas);
        await bob.GotoAsync($"/c/{canvas}");
        await Assertions.Expect(owner.Locator(".peers .avatar[aria-label=Bob]")).ToBeVisibleAsync();
        await ExpectSameRowAsync(owner, alone, "with a peer");

        // The longest messages the editor gives: what an AI command made, and changes waiting while offline.
        await owner.Keyboard.PressAsync("Control+k");
        var palette = owner.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        await palette.GetByLabel("Command").FillAsync("create a button");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();
        await Assertions.Expect(owner.GetByText("AI commands left this hour")).ToBeVisibleAsync();
        await ExpectSameRowAsync(owner, alone, "with a peer and the AI's message");
        await owner.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"topbar-{width}.png") });

        await owner.Context.SetOfflineAsync(true);
        await owner.Locator(".stage").FocusAsync();
        await owner.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(owner, 300, 500, 400, 600);
        await Assertions.Expect(owner.Locator(".topbar .status")).ToHaveTextAsync("Offline: 1 change not yet saved");
        await ExpectSameRowAsync(owner, alone, "offline with a change");
        await owner.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"topbar-{width}-offline.png") });
        await owner.Context.SetOfflineAsync(false);
    }
}
