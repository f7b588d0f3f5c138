using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>The tool buttons, their tooltips and keys, and the <c>?</c> panel, as a person meets them.</summary>
public class ToolbarTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>Every tool, by its name and key; Select last, as it is the tool the editor starts with.</summary>
    private static readonly (string Name, string Key)[] Tools =
        [("Pencil", "P"), ("Frame", "F"), ("Text", "T"), ("Arrow", "A"), ("Line", "L"), ("Ellipse", "O"), ("Rectangle", "R"), ("Select", "V")];

    private async Task<IPage> OpenEditorAsync()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Toolbar");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task Hovering_a_tool_shows_its_name_and_key_and_pressing_the_key_picks_the_tool()
    {
        var page = await OpenEditorAsync();
        var tools = page.GetByRole(AriaRole.Navigation, new() { Name = "Tools" });
        var tooltip = page.GetByRole(AriaRole.Tooltip);
        foreach (var (name, key) in Tools)
        {
            var button = tools.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
            await button.HoverAsync();
            await Assertions.Expect(tooltip).ToBeVisibleAsync();
            await Assertions.Expect(tooltip.Locator("span")).ToHaveTextAsync(name);
            await Assertions.Expect(tooltip.Locator("kbd")).ToHaveTextAsync(key);
            if (name == "Rectangle")
                await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "toolbar-tooltip.png"), Clip = new() { X = 0, Y = 0, Width = 1280, Height = 120 } });

            await page.Mouse.MoveAsync(640, 500); // onto the canvas: the tooltip goes, the key goes to the canvas
            await Assertions.Expect(tooltip).ToBeHiddenAsync();
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
            await page.Keyboard.PressAsync(key.ToLowerInvariant());
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
            await Assertions.Expect(tools.Locator("[aria-pressed=true]")).ToHaveCountAsync(1);
        }
    }

    [Fact]
    public async Task The_shortcuts_panel_lists_each_action_once_with_key_names_as_on_a_keyboard_and_the_README_lists_the_same()
    {
        var page = await OpenEditorAsync();
        await page.Keyboard.PressAsync("?");
        var panel = page.GetByRole(AriaRole.Complementary, new() { Name = "Keyboard shortcuts" });
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await panel.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "shortcuts-panel.png") });
        var keys = await panel.Locator("dt").AllTextContentsAsync();
        var actions = await panel.Locator("dd").AllTextContentsAsync();
        Assert.Equal(keys.Count, actions.Count);
        Assert.True(keys.Count > 20, $"only {keys.Count} rows");

        Assert.Empty(actions.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key));
        var combinations = keys.SelectMany(k => k.Split(", ")).ToList();
        Assert.Empty(combinations.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key));
        // What KeyboardEvent.key calls them, rather than what a keyboard shows.
        var raw = new Regex(@"\b(Arrow\w*|Escape|Mod|Meta|Control|Digit\d)\b|(^|\+)[a-z]$");
        Assert.DoesNotContain(combinations, k => raw.IsMatch(k));
        Assert.Contains("←", combinations);
        Assert.Contains("Ctrl/⌘+Shift+Z", combinations);

        var panelRows = keys.Zip(actions, (k, a) => $"| {k} | {a} |").ToList();
        Assert.True(panelRows.SequenceEqual(ReadmeKeyTable()),
            "The README's table of keys differs from the ? panel. The panel's rows, to paste under \"| Key | Does |\":\n" +
            string.Join("\n", panelRows));
    }

    /// <summary>The rows of the README's table headed "| Key | Does |", as written.</summary>
    private static List<string> ReadmeKeyTable()
    {
        var lines = File.ReadAllLines(Path.Combine(ServerProcess.RepositoryRoot, "README.md"));
        var header = Array.IndexOf(lines, "| Key | Does |");
        Assert.True(header >= 0, "README.md has no table headed \"| Key | Does |\"");
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
    }
}
