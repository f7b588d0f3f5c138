using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// The style panel as a person uses it: clicks on its swatches, buttons and menus, typing in place. What it did is read
/// from the server and from the pixels of ANOTHER person's window (at zoom 100% a canvas unit is a CSS pixel from the
/// stage's top-left corner), never from the editor's internals.
/// </summary>
public class StylePanelTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>The palette's blue and red in each theme (docs/protocol.md).</summary>
    private const string BlueLight = "#1971c2", BlueDark = "#4dabf7", RedLight = "#e03131";

    [Fact]
    public async Task A_palette_fill_and_a_dashed_stroke_reach_the_other_window_survive_a_reload_and_follow_its_theme()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Style panel");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        var rect = (X: 200f, Y: 150f, Width: 240f, Height: 160f);
        await DrawAsync(alice, "r", rect.X, rect.Y, rect.X + rect.Width, rect.Y + rect.Height);
        var panel = alice.Locator(".properties");

        // A rectangle has no stroke: the panel says so (not black), and has no width or dash for a stroke it lacks.
        await Assertions.Expect(panel.Locator("h2")).ToHaveTextAsync("Rectangle");
        await Assertions.Expect(Field(alice, "stroke").Locator(".field-value")).ToHaveTextAsync("None");
        await Assertions.Expect(Swatch(alice, "Stroke", "None")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(Field(alice, "strokeWidth")).ToHaveCountAsync(0);
        await Assertions.Expect(Field(alice, "dash")).ToHaveCountAsync(0);
        await Assertions.Expect(Field(alice, "fontSize")).ToHaveCountAsync(0);

        await Swatch(alice, "Fill", "Blue").ClickAsync();
        await Assertions.Expect(Swatch(alice, "Fill", "Blue")).ToHaveAttributeAsync("aria-pressed", "true");
        var id = await ObjectWhereAsync(canvas, o => Str(o, "fill") == "palette:blue", "the fill stored as the palette's blue");
        var centre = (rect.X + rect.Width / 2, rect.Y + rect.Height / 2);
        await EventuallyPixelAsync(bob, centre, BlueLight, "Bob sees the light theme's blue");

        // A stroke from the palette gives the rectangle a width to show it; the width and dash fields appear.
        await Swatch(alice, "Stroke", "Red").ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Stroke width: Extra bold (8)", Exact = true }).ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Dash: Dashed", Exact = true }).ClickAsync();
        await Eventually.Until(async () =>
        {
            var obj = Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value;
            return Str(obj, "stroke") == "palette:red" && obj.TryGetProperty("strokeWidth", out var w) && w.GetDouble() == 8 && Str(obj, "dash") == "dashed";
        }, "a red stroke, 8 wide, dashed, on the server");
        await Assertions.Expect(Field(alice, "dash").Locator(".field-value")).ToHaveTextAsync("Dashed");
        await PanelShotAsync(alice, "style-panel-light.png");

        // Along Bob's top edge: dashes (long red runs with gaps), then after "Dotted", dots (short runs).
        var dashes = await EventuallyStrokeRunsAsync(bob, rect, runs => runs.Count >= 4 && runs.Max() >= 24, "dashes along Bob's top edge");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Dash: Dotted", Exact = true }).ClickAsync();
        var dots = await EventuallyStrokeRunsAsync(bob, rect, runs => runs.Count >= 8 && runs.Max() <= 12, "dots along Bob's top edge");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Dash: Solid", Exact = true }).ClickAsync();
        await EventuallyStrokeRunsAsync(bob, rect, runs => runs.Count == 1, "a solid edge again");
        Assert.True(dashes.Count < dots.Count, $"dashes ({dashes.Count} runs) are fewer and longer than dots ({dots.Count})");

        // Dragging the opacity slider is one change: one undo takes all of it back.
        var slider = (await Field(alice, "opacity").Locator("input[type=range]").BoundingBoxAsync())!;
        await EditorSteps.DragAsync(alice, slider.X + slider.Width - 4, slider.Y + slider.Height / 2, slider.X + slider.Width / 2, slider.Y + slider.Height / 2);
        await Eventually.Until(async () => Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value
            .TryGetProperty("opacity", out var o) && o.GetDouble() is > 0.3 and < 0.7, "about half opaque on the server");
        await alice.Mouse.ClickAsync(await StageXAsync(alice, rect.X + 30), await StageYAsync(alice, rect.Y + 30)); // back on the canvas
        await alice.Mouse.MoveAsync(await StageXAsync(alice, 700), await StageYAsync(alice, 600)); // Alice's cursor, as Bob sees it, off the shape
        await alice.Keyboard.PressAsync("Control+z");
        await Eventually.Until(async () => !Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value.TryGetProperty("opacity", out _),
            "one undo: no opacity set, as before the drag");
        await Assertions.Expect(Field(alice, "stroke").Locator(".field-value")).ToHaveTextAsync("Red"); // and nothing before it undone

        // Reload keeps it; in the dark theme Bob sees the dark theme's blue, as stored by name.
        await bob.ReloadAsync();
        await bob.Locator(".status[data-status=online]").WaitForAsync();
        await EventuallyPixelAsync(bob, centre, BlueLight, "the blue after a reload");
        await DarkModeTests.SwitchThemeAsync(bob, "dark");
        await EventuallyPixelAsync(bob, centre, BlueDark, "the dark theme's blue");
        await DarkModeTests.SwitchThemeAsync(alice, "dark");
        await PanelShotAsync(alice, "style-panel-dark.png");
    }

    [Fact]
    public async Task A_mixed_selection_shows_only_the_fields_all_share_and_says_mixed_where_they_differ()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Mixed");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", 100, 100, 260, 220); // blue by default
        await DrawAsync(page, "o", 320, 100, 480, 220); // orange by default
        await page.Keyboard.PressAsync("Control+a");
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("2 objects");
        await Assertions.Expect(Field(page, "fill").Locator(".field-value")).ToHaveTextAsync("Mixed");
        await Assertions.Expect(page.Locator(".properties [data-field=fill] button[aria-pressed=true]")).ToHaveCountAsync(0);
        await Assertions.Expect(Field(page, "stroke").Locator(".field-value")).ToHaveTextAsync("None"); // neither has one
        await Assertions.Expect(Field(page, "cornerRadius")).ToHaveCountAsync(0); // an ellipse has no corners
        await PanelShotAsync(page, "style-panel-mixed.png");

        // One click sets both; the panel then shows the one value.
        await Swatch(page, "Fill", "Light green").ClickAsync();
        await Assertions.Expect(Field(page, "fill").Locator(".field-value")).ToHaveTextAsync("Light green");
        await Eventually.Until(async () => Objects(await fixture.Server.DocumentAsync(canvas)).Count(o => Str(o.Value, "fill") == "palette:light-green") == 2,
            "both filled light green on the server");

        // With a text in the selection only what a text and a shape share is left: fill and opacity.
        await page.Locator("[data-tool=text]").ClickAsync(); // the focus is in the panel: the toolbar, not a key
        await page.Mouse.ClickAsync(await StageXAsync(page, 100), await StageYAsync(page, 300));
        await page.Locator("textarea.text-editor").WaitForAsync();
        await page.Keyboard.TypeAsync("Note");
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Control+a");
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("3 objects");
        Assert.Equal(["fill", "opacity"], await page.Locator(".properties [data-field]").EvaluateAllAsync<string[]>("all => all.map(e => e.dataset.field)"));

        // By keyboard alone: Tab from the canvas to the custom colour, Tab to the palette (one stop), arrows, Enter.
        await page.Locator(".stage").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(Field(page, "fill").Locator("input[type=color]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(Swatch(page, "Fill", "the theme's colour")).ToBeFocusedAsync(); // nothing pressed ("Mixed"): the first
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(Swatch(page, "Fill", "Red")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Eventually.Until(async () => Objects(await fixture.Server.DocumentAsync(canvas)).Count(o => Str(o.Value, "fill") == "palette:red") == 3,
            "all three red on the server, set by keyboard");
        await page.Keyboard.PressAsync("Tab"); // the palette was one stop: on to the opacity slider
        await Assertions.Expect(Field(page, "opacity").Locator("input[type=range]")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Text_wraps_inside_its_width_grows_edits_in_place_and_takes_a_served_font_weight_size_and_alignment()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Text");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        var fontRequests = new List<string>();
        bob.Request += (_, request) => { if (request.ResourceType == "font") lock (fontRequests) fontRequests.Add(request.Url); };

        // A drag with the text tool makes a text box 220 wide; typing in place grows it downwards.
        var box = (X: 120f, Y: 100f, Width: 220f);
        await alice.Keyboard.PressAsync("t");
        await DrawAsync(alice, null, box.X, box.Y, box.X + box.Width, box.Y + 30);
        var editor = alice.Locator("textarea.text-editor");
        await editor.WaitForAsync();
        var before = (await editor.BoundingBoxAsync())!.Height;
        const string words = "A text that is much longer than its box is wide wraps inside it and grows";
        await alice.Keyboard.TypeAsync(words);
        var after = (await editor.BoundingBoxAsync())!.Height;
        Assert.True(after > before * 2.5, $"the editor grew with the words: {before} -> {after} px high");
        await alice.Keyboard.PressAsync("Escape"); // keeps the words
        await alice.Mouse.MoveAsync(await StageXAsync(alice, 700), await StageYAsync(alice, 600)); // Alice's cursor, as Bob sees it, away from the text
        var id = await ObjectWhereAsync(canvas, o => Str(o, "text") == words, "the words on the server");
        var text = Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value;
        Assert.Equal(box.Width, text.GetProperty("width").GetDouble());
        await AssertInkInsideAsync(bob, box, lines: 4, "the wrapped text in Bob's window");

        // A text's panel: no stroke, its font fields. Font, weight, size and alignment from it reach the server and Bob.
        await Assertions.Expect(alice.Locator(".properties h2")).ToHaveTextAsync("Text");
        await Assertions.Expect(Field(alice, "stroke")).ToHaveCountAsync(0);
        await alice.Locator(".properties [data-field=fontFamily] select").SelectOptionAsync(new SelectOptionValue { Label = "Serif · Lora" });
        await alice.Locator(".properties [data-field=fontWeight] select").SelectOptionAsync(new SelectOptionValue { Label = "Bold" });
        await alice.GetByRole(AriaRole.Button, new() { Name = "Size: Large (36)", Exact = true }).ClickAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Align: Centre", Exact = true }).ClickAsync();
        await Eventually.Until(async () =>
        {
            var t = Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value;
            return Str(t, "fontFamily") == "Lora" && t.GetProperty("fontWeight").GetDouble() == 700
                && t.GetProperty("fontSize").GetDouble() == 36 && Str(t, "textAlign") == "center";
        }, "Lora, bold, 36, centred on the server");
        await PanelShotAsync(alice, "style-panel-text.png");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "text-styled-editor.png") });
        await AssertInkInsideAsync(bob, box, lines: 6, "the bigger text still inside its box in Bob's window");
        await Eventually.Until(() =>
        {
            lock (fontRequests) return Task.FromResult(fontRequests.Any(u => u.Contains("lora", StringComparison.OrdinalIgnoreCase)));
        }, "Bob's browser loaded Lora");
        lock (fontRequests) Assert.All(fontRequests, url => Assert.StartsWith(fixture.Server.BaseUri.GetLeftPart(UriPartial.Authority), url));
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "text-wrapped-lora.png") });

        // Double-click edits in place; a click elsewhere keeps the words.
        await alice.Mouse.DblClickAsync(await StageXAsync(alice, box.X + box.Width / 2), await StageYAsync(alice, box.Y + 20));
        await editor.WaitForAsync();
        await alice.Keyboard.PressAsync("Control+a");
        await alice.Keyboard.TypeAsync("Edited in place");
        await alice.Mouse.ClickAsync(await StageXAsync(alice, 700), await StageYAsync(alice, 500));
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        await Eventually.Until(async () => Str(Objects(await fixture.Server.DocumentAsync(canvas)).Single(o => o.Name == id).Value, "text") == "Edited in place",
            "the edit on the server");
    }

    [Fact]
    public async Task A_canvas_stored_with_palette_colours_fonts_and_dashes_is_drawn_in_each_themes_shades()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Styles");
        await using (var writer = await CanvasClient.ConnectAsync(fixture.Server, canvas))
        {
            static object Put(string id, object props) => new { op = "put", id, props };
            await writer.SendOpsAsync("styles", JsonSerializer.Serialize(new[]
            {
                Put("card1", new { type = "rect", x = 60, y = 60, width = 220, height = 140, fill = "palette:light-blue", stroke = "palette:blue", strokeWidth = 2, cornerRadius = 16, z = "a1" }),
                Put("card2", new { type = "rect", x = 320, y = 60, width = 220, height = 140, fill = "palette:light-yellow", stroke = "palette:orange", strokeWidth = 4, dash = "dashed", z = "a2" }),
                Put("blob", new { type = "ellipse", x = 580, y = 60, width = 200, height = 140, fill = "palette:light-green", stroke = "palette:green", strokeWidth = 4, dash = "dotted", z = "a3" }),
                Put("t1", new { type = "text", x = 80, y = 110, width = 180, text = "Rounded, solid", fontFamily = "Inter", fontWeight = 600, fontSize = 20, textAlign = "center", fill = "auto", z = "a4" }),
                Put("t2", new { type = "text", x = 340, y = 110, width = 180, text = "Dashed, in Lora", fontFamily = "Lora", fontWeight = 700, fontSize = 22, textAlign = "center", fill = "auto", z = "a5" }),
                Put("t3", new { type = "text", x = 600, y = 105, width = 160, text = "Dotted, by hand", fontFamily = "Caveat", fontSize = 30, textAlign = "center", fill = "auto", z = "a6" }),
                Put("arrow", new { type = "arrow", x = 300, y = 290, points = new[] { 0, 0, 220, 0 }, stroke = "palette:red", strokeWidth = 4, dash = "dashed", z = "a7" }),
                Put("note", new { type = "text", x = 60, y = 250, width = 200, text = "A note in JetBrains Mono that wraps inside its box and grows downwards", fontFamily = "JetBrains Mono", fontSize = 15, fill = "palette:violet", z = "a8" }),
                Put("glass", new { type = "rect", x = 560, y = 240, width = 220, height = 120, fill = "palette:violet", cornerRadius = 24, opacity = 0.7, z = "a9" }),
                Put("t4", new { type = "text", x = 580, y = 284, width = 180, text = "70 % opacity", fontSize = 24, fontWeight = 500, textAlign = "center", fill = "#ffffff", z = "b0" }),
            }));
            await writer.AckAsync("styles");
        }
        var page = await OpenAsync(canvas, "Alice");
        await page.Mouse.ClickAsync(await StageXAsync(page, 100), await StageYAsync(page, 262)); // the note: the panel shows a text's fields
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("Text");
        await Assertions.Expect(Field(page, "fontFamily").Locator("select")).ToHaveValueAsync("JetBrains Mono");
        await page.Mouse.MoveAsync(await StageXAsync(page, 700), await StageYAsync(page, 600));
        var inCard = (70f, 190f); // inside the first card, clear of its words
        await EventuallyPixelAsync(page, inCard, "#a5d8ff", "the light theme's light blue");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "styled-canvas-light.png") });
        await DarkModeTests.SwitchThemeAsync(page, "dark");
        await EventuallyPixelAsync(page, inCard, "#1b3550", "the dark theme's light blue");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "styled-canvas-dark.png") });
    }

    private async Task<IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.Locator(".stage").FocusAsync(); // for the tools' keys
        return page;
    }

    /// <summary>A picture of the style panel down to its last field (for docs/images), not its empty rest.</summary>
    private static async Task PanelShotAsync(IPage page, string file)
    {
        var panel = (await page.Locator(".properties").BoundingBoxAsync())!;
        var last = (await page.Locator(".properties [data-field]").Last.BoundingBoxAsync())!;
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(BrowserFixture.Screenshots, file),
            Clip = new() { X = panel.X, Y = panel.Y, Width = panel.Width, Height = last.Y + last.Height + 14 - panel.Y },
        });
    }

    private static ILocator Field(IPage page, string prop) => page.Locator($".properties [data-field={prop}]");

    private static ILocator Swatch(IPage page, string field, string colour) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{field}: {colour}", Exact = true });

    private static async Task<float> StageXAsync(IPage page, float x) => (await page.Locator(".stage").BoundingBoxAsync())!.X + x;
    private static async Task<float> StageYAsync(IPage page, float y) => (await page.Locator(".stage").BoundingBoxAsync())!.Y + y;

    /// <summary>Drags on the canvas from one canvas point to another, with a tool's key first when given.</summary>
    private static async Task DrawAsync(IPage page, string? tool, float x1, float y1, float x2, float y2)
    {
        if (tool is not null) await page.Keyboard.PressAsync(tool);
        await EditorSteps.DragAsync(page, await StageXAsync(page, x1), await StageYAsync(page, y1), await StageXAsync(page, x2), await StageYAsync(page, y2));
    }

    private static IEnumerable<JsonProperty> Objects(JsonElement document) => document.GetProperty("objects").EnumerateObject();
    private static string? Str(JsonElement o, string prop) => o.TryGetProperty(prop, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The id of the one object on the server that <paramref name="matches"/>, once there is one.</summary>
    private async Task<string> ObjectWhereAsync(string canvas, Func<JsonElement, bool> matches, string what)
    {
        string? id = null;
        await Eventually.Until(async () =>
            (id = Objects(await fixture.Server.DocumentAsync(canvas)).Where(o => matches(o.Value)).Select(o => o.Name).SingleOrDefault()) is not null, what);
        return id!;
    }

    /// <summary><see cref="Eventually.Until(Func{Task{bool}}, string, TimeSpan?)"/> that tells what it saw last when it fails.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        try
        {
            await Eventually.Until(condition, "a condition");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(what());
        }
    }

    private static async Task<Png> ShotAsync(IPage page) => Png.Decode(await page.ScreenshotAsync());

    private static async Task EventuallyPixelAsync(IPage page, (float X, float Y) at, string colour, string what)
    {
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        Rgba seen = default;
        await UntilAsync(async () =>
        {
            var shot = await page.ScreenshotAsync();
            await File.WriteAllBytesAsync(Path.Combine(BrowserFixture.Screenshots, "style-pixel-last-seen.png"), shot);
            seen = Png.Decode(shot)[(int)(stage.X + at.X), (int)(stage.Y + at.Y)];
            return seen.DistanceTo(Rgba.Parse(colour)) <= 8;
        }, () => $"{what}: {colour} expected, {seen} seen");
    }

    /// <summary>The lengths of the red runs along the middle of the rectangle's top edge, corners left out.</summary>
    private static async Task<List<int>> EventuallyStrokeRunsAsync(IPage page, (float X, float Y, float Width, float Height) rect,
        Func<List<int>, bool> expected, string what)
    {
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        List<int> runs = [];
        await UntilAsync(async () =>
        {
            var png = await ShotAsync(page);
            runs = [];
            var run = 0;
            for (var x = (int)(stage.X + rect.X + 12); x < stage.X + rect.X + rect.Width - 12; x++)
            {
                if (png[x, (int)(stage.Y + rect.Y)].DistanceTo(Rgba.Parse(RedLight)) <= 40) run++;
                else if (run > 0) { runs.Add(run); run = 0; }
            }
            if (run > 0) runs.Add(run);
            return runs.Count > 0 && expected(runs);
        }, () => $"{what}: red runs {string.Join(",", runs)}");
        return runs;
    }

    /// <summary>
    /// The text's ink lies between its box's left and right edges, on at least <paramref name="lines"/> lines' worth of
    /// rows: it wrapped inside its width and grew downwards, rather than running on to the right.
    /// </summary>
    private static async Task AssertInkInsideAsync(IPage page, (float X, float Y, float Width) box, int lines, string what)
    {
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        string seen = "";
        await UntilAsync(async () =>
        {
            var shot = await page.ScreenshotAsync();
            await File.WriteAllBytesAsync(Path.Combine(BrowserFixture.Screenshots, "text-inside-box-last-seen.png"), shot);
            var png = Png.Decode(shot);
            // The theme's ink (dark grey in light): not the peer's cursor or selection outline, which are in their colour.
            bool Ink(int x, int y) => png[x, y] is var p && p.Luminance < 0.3 && Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) < 40;
            var left = (int)(stage.X + box.X); var right = (int)(stage.X + box.X + box.Width);
            var top = (int)(stage.Y + box.Y); var bottom = (int)Math.Min(png.Height - 1, stage.Y + box.Y + 400);
            var inkRows = Enumerable.Range(top, bottom - top).Where(y => Enumerable.Range(left, right - left).Any(x => Ink(x, y))).ToList();
            var outside = Enumerable.Range(top, bottom - top).Count(y => Enumerable.Range(right + 3, 200).Any(x => Ink(x, y)) || Enumerable.Range(left - 40, 37).Any(x => Ink(x, y)));
            var height = inkRows.Count == 0 ? 0 : inkRows[^1] - inkRows[0];
            seen = $"ink rows {inkRows.Count}, spanning {height} px, {outside} rows with ink outside the box";
            return outside == 0 && height >= lines * 14;
        }, () => $"{what}: {seen}");
    }
}
