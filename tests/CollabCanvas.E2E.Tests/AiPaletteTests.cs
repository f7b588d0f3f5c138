using CollabCanvas.Server.Tests.Infrastructure;
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

        var made = EditorSteps.Canonical(await EditorSteps.ExportedObjectsWhenAsync(alice, o => o.EnumerateObject().Count() >= 5, "Alice has the form"));
        var size = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();
        await EditorSteps.ExportedObjectsWhenAsync(bob, o => EditorSteps.Canonical(o) == made, "Bob has the same form");
        await Assertions.Expect(alice.Locator(".notice")).ToContainTextAsync("AI commands left this hour");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-login-form.png") });

        // One undo takes the whole component back, for everyone.
        await alice.Locator(".stage").FocusAsync();
        await alice.Keyboard.PressAsync("Control+z");
        foreach (var page in new[] { alice, bob })
            await EditorSteps.ExportedObjectsWhenAsync(page, o => !o.EnumerateObject().Any(), "the form is gone");
        await alice.Keyboard.PressAsync("Control+Shift+z");
        await EditorSteps.ExportedObjectsWhenAsync(bob, o => o.EnumerateObject().Count() == size, "the form is back");
    }

    /// <summary>The colour Konva draws the selection's handles in.</summary>
    private static readonly Rgba HandleStroke = Rgba.Parse("#00a1ff");

    /// <summary>Whether the selection's handles show in the canvas area, none of them cut by its edges.</summary>
    private static bool HandlesWhollyInView(Png shot)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < shot.Height; y++)
            for (var x = 0; x < shot.Width; x++)
                if (shot[x, y].DistanceTo(HandleStroke) <= 40)
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        return right >= 0 && left > 0 && top > 0 && right < shot.Width - 1 && bottom < shot.Height - 1;
    }

    [Fact]
    public async Task A_component_goes_to_free_space_beside_what_is_there_and_the_view_scrolls_to_show_it()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("AI placement");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        // A rectangle that fills the view: no free space is left in it.
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 20, 90, 1260, 790);
        string? drawn = null;
        await Eventually.Until(async () => (drawn = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject()
            .Select(p => p.Name).FirstOrDefault()) is not null, "the rectangle reaches the server");

        await page.Keyboard.PressAsync("Control+k");
        var palette = page.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        await palette.GetByLabel("Command").FillAsync("add a pricing table with 3 tiers");
        await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();
        await Assertions.Expect(palette).ToBeHiddenAsync();

        var objects = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects");
        var boxes = objects.EnumerateObject().ToDictionary(p => p.Name, p => (X: p.Value.GetProperty("x").GetDouble(), Y: p.Value.GetProperty("y").GetDouble(),
            W: p.Value.TryGetProperty("width", out var w) ? w.GetDouble() : 0, H: p.Value.TryGetProperty("height", out var h) ? h.GetDouble() : 0));
        var rect = boxes[drawn!];
        var made = boxes.Where(b => b.Key != drawn).Select(b => b.Value).ToList();
        Assert.NotEmpty(made);
        var table = (X1: made.Min(b => b.X), Y1: made.Min(b => b.Y), X2: made.Max(b => b.X + b.W), Y2: made.Max(b => b.Y + b.H));
        Assert.False(table.X1 < rect.X + rect.W && rect.X < table.X2 && table.Y1 < rect.Y + rect.H && rect.Y < table.Y2,
            $"the pricing table {table} lies on the rectangle {rect}");

        // The view moves to show all of it (it lies outside the view the command was given): what was made is selected,
        // and the selection's handles, which frame it, are wholly on screen.
        await Eventually.Until(async () => HandlesWhollyInView(Png.Decode(await page.Locator(".stage").ScreenshotAsync())),
            "the pricing table's handles wholly in view");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "ai-placed-beside.png") });
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
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(palette).ToBeHiddenAsync();
        Assert.Empty((await EditorSteps.ExportedObjectsAsync(page)).EnumerateObject());
        Assert.Empty((await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
    }

    [Fact]
    public async Task The_palette_says_what_a_command_made_and_what_it_ignored()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("AI ignored");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.Keyboard.PressAsync("Control+k");
        var palette = page.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
        await palette.GetByLabel("Command").FillAsync("three animated cards");
        await palette.GetByLabel("Command").PressAsync("Enter");
        // The palette stays open to say what was left out; the cards are made all the same.
        await Assertions.Expect(palette.GetByRole(AriaRole.Status)).ToContainTextAsync("Made 3 cards; ignored 'animated'");
        await Assertions.Expect(palette.GetByLabel("Command")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Made 3 cards");
        var objects = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject()
            .Count(o => o.Value.TryGetProperty("name", out var name) && name.GetString() == "card");
        Assert.Equal(3, objects);
    }
}

public class AiGalleryTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    public static TheoryData<string, string[], int> Galleries => new()
    {
        {
            "ai-components.png", [
                "a navbar", "a hero section", "a login form", "a sign up form", "a pricing table with 3 tiers", "3 cards", "a sidebar",
                "tabs", "a modal dialog", "a table with 4 rows and 3 columns", "a list of 4 items", "a footer", "a button", "a text input",
                "three checkboxes", "a toggle", "a dropdown", "4 avatars", "badges \"New\" and \"Beta\"", "a contact form",
            ], 5
        },
        {
            "ai-widgets.png", [
                "a progress bar at 75%", "a volume slider", "a stepper", "breadcrumbs", "pagination", "an alert", "a toast", "a search field",
                "an image placeholder", "a photo gallery", "3 KPI tiles", "a bar chart", "a newsletter signup", "a title saying Hello",
                "some body text", "a rectangle labelled Server", "a square", "an oval", "a circle", "an arrow from Start to Finish",
            ], 5
        },
        { "ai-diagrams.png", ["a flowchart", "an org chart", "a mind map", "a sequence diagram"], 2 },
        { "ai-pages.png", ["a landing page", "a dashboard", "a mobile login screen", "a grid of 6 cards"], 4 },
    };

    /// <summary>Every builder, drawn by the server and rendered by the editor: pictures to look at (docs/images/ai-*.png).</summary>
    [Theory]
    [MemberData(nameof(Galleries))]
    public async Task Every_builder_renders_in_the_editor(string picture, string[] prompts, int perRow)
    {
        await using var server = await CollabCanvas.Server.Tests.Infrastructure.ServerProcess.StartAsync(null, ("Ai:CommandsPerHour", "200"));
        var canvas = await server.CreateCanvasAsync("Gallery");
        var made = 0;
        var row = new List<string>();
        var previousRows = new List<string>();
        foreach (var (prompt, i) in prompts.Select((p, i) => (p, i)))
        {
            var theme = i % 2 == 0 ? "" : " in dark theme";
            // Each to the right of the one before; every row starts below everything so far.
            var newRow = i % perRow == 0 && i > 0;
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
        Assert.Equal(made, (await EditorSteps.ExportedObjectsAsync(page)).EnumerateObject().Count());
        await page.Locator(".stage").FocusAsync();
        await page.Keyboard.PressAsync("Shift+1");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, picture) });
    }
}
