using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>Default colours follow the theme; a colour someone picked does not.</summary>
public class DarkModeTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private const string Picked = "#e03131";

    [Fact]
    public async Task Default_text_lines_and_frames_read_at_4_5_to_1_in_dark_and_light_and_a_picked_colour_stays()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Dark mode");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await SwitchThemeAsync(page, "dark");
        await page.Locator(".stage").FocusAsync(); // for the tools' keys
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        async Task Drag(string tool, float x1, float y1, float x2, float y2)
        {
            await page.Keyboard.PressAsync(tool);
            await EditorSteps.DragAsync(page, stage.X + x1, stage.Y + y1, stage.X + x2, stage.Y + y2);
        }
        async Task Write(float x, float y, string text)
        {
            await page.Keyboard.PressAsync("t");
            await page.Mouse.ClickAsync(stage.X + x, stage.Y + y);
            await page.Locator("textarea.text-editor").WaitForAsync();
            await page.Keyboard.TypeAsync(text);
            await page.Keyboard.PressAsync("Control+Enter");
        }

        await Drag("f", 60, 60, 460, 300);
        await Write(100, 120, "Inside a frame");
        await Write(560, 80, "Default text");
        await Drag("l", 560, 200, 860, 200);
        await Drag("a", 560, 260, 860, 260);
        await Drag("p", 560, 320, 860, 330);
        await Drag("l", 560, 400, 860, 400);
        await page.Locator(".properties input[data-prop=stroke]").FillAsync(Picked); // the line just drawn is selected
        await page.Mouse.ClickAsync(stage.X + 20, stage.Y + stage.Height - 20); // on empty canvas: nothing selected
        await Assertions.Expect(page.Locator(".properties")).ToBeHiddenAsync();

        // On the server: the defaults as "auto", the picked colour as picked.
        JsonElement[] objects = [];
        await Eventually.Until(async () =>
        {
            objects = [.. (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Select(o => o.Value)];
            return objects.Length == 7 && objects.Any(o => Paint(o, "stroke") == Picked);
        }, "seven objects on the server, one line in the picked colour");
        var frame = objects.Single(o => Type(o) == "frame");
        var lines = objects.Where(o => Type(o) is "line" or "arrow" or "path" && Paint(o, "stroke") == "auto").ToList();
        var texts = objects.Where(o => Type(o) == "text").ToList();
        var pickedLine = objects.Single(o => Paint(o, "stroke") == Picked);
        Assert.Equal(3, lines.Count);
        Assert.All(texts, t => Assert.Equal("auto", Paint(t, "fill")));
        Assert.Equal(("auto", "auto"), (Paint(frame, "fill"), Paint(frame, "stroke")));

        foreach (var theme in new[] { "dark", "light" })
        {
            await SwitchThemeAsync(page, theme);
            var shot = await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"{theme}-mode.png") });
            var png = Png.Decode(shot);
            // Pixels of the canvas: the stage has pan 0 and zoom 1, so canvas units are page pixels from its corner.
            IEnumerable<Rgba> Region(double x, double y, double width, double height) =>
                png.Region((int)(stage.X + x), (int)(stage.Y + y), (int)width, (int)height);
            Rgba Pixel(double x, double y) => png[(int)(stage.X + x), (int)(stage.Y + y)];
            double MostContrast(IEnumerable<Rgba> pixels, Rgba against) => pixels.Max(p => Rgba.Contrast(p, against));
            var canvasColour = Pixel(20, stage.Height - 20);
            Assert.True(theme == "dark" ? canvasColour.Luminance < 0.05 : canvasColour.Luminance > 0.8, $"{theme} canvas: {canvasColour}");
            var frameColour = Pixel(X(frame) + 20, Y(frame) + N(frame, "height") - 20);
            Assert.True(theme == "dark" ? frameColour.Luminance < 0.05 : frameColour.Luminance > 0.8, $"a default frame in {theme}: {frameColour}");

            foreach (var text in texts)
            {
                var inFrame = text.TryGetProperty("parentId", out _);
                var behind = inFrame ? frameColour : canvasColour;
                var contrast = MostContrast(Region(X(text), Y(text), 120, 24), behind);
                Assert.True(contrast >= 4.5, $"default text \"{text.GetProperty("text")}\" in {theme}: {contrast:0.00}:1 on {(inFrame ? "its frame" : "the canvas")} {behind}");
            }
            foreach (var line in lines)
            {
                var contrast = MostContrast(Region(X(line) + 20, Y(line) - 4, 200, 9), canvasColour);
                Assert.True(contrast >= 4.5, $"a default {Type(line)} in {theme}: {contrast:0.00}:1 on the canvas {canvasColour}");
            }
            var picked = Pixel(X(pickedLine) + 150, Y(pickedLine));
            Assert.True(picked.DistanceTo(Rgba.Parse(Picked)) <= 8, $"the line in the picked colour in {theme}: {picked}");
        }

        // "Auto" in the properties gives the line back to the theme.
        await page.Mouse.ClickAsync(stage.X + (float)X(pickedLine) + 150, stage.Y + (float)Y(pickedLine));
        await page.GetByRole(AriaRole.Button, new() { Name = "Stroke: the theme's colour" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stroke: the theme's colour" })).ToHaveAttributeAsync("aria-pressed", "true");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "properties-auto-colour.png") });
        await Eventually.Until(async () => (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject()
            .Count(o => Paint(o.Value, "stroke") == "auto") == 5, "the picked line back to \"auto\" on the server, like the other lines and the frame");
    }

    /// <summary>Clicks the theme button until the page shows <paramref name="theme"/> (the first click may only leave the system's).</summary>
    internal static async Task SwitchThemeAsync(IPage page, string theme)
    {
        for (var clicks = 0; clicks < 2 && await page.Locator("html").GetAttributeAsync("data-theme") != theme; clicks++)
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch between light and dark" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
    }

    private static string Type(JsonElement o) => o.GetProperty("type").GetString()!;
    private static string? Paint(JsonElement o, string prop) => o.TryGetProperty(prop, out var value) ? value.GetString() : null;
    private static double N(JsonElement o, string prop) => o.TryGetProperty(prop, out var value) ? value.GetDouble() : 0;
    private static double X(JsonElement o) => N(o, "x");
    private static double Y(JsonElement o) => N(o, "y");
}
