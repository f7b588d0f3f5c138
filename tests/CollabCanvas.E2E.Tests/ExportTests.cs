using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>Exports of the whole canvas hold everything on it, wherever the view happens to be.</summary>
public class WholeCanvasExportTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private const string ShapeBlue = "#4dabf7", EllipseOrange = "#ffa94d"; // the editor's fills for new shapes
    private const string Ink = "#1f2328"; // text and lines in the light theme
    private const string Escaped = "a < b & \"c\"";

    [Fact]
    public async Task PNG_and_SVG_of_the_whole_canvas_hold_every_object_far_away_and_in_frames_in_stacking_order_at_any_zoom_and_pan()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Export everything");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        async Task Drag(string tool, float x1, float y1, float x2, float y2)
        {
            await page.Keyboard.PressAsync(tool);
            await EditorSteps.DragAsync(page, stage.X + x1, stage.Y + y1, stage.X + x2, stage.Y + y2);
        }

        // Near the origin: a frame with a rectangle in it.
        await Drag("f", 60, 60, 460, 360);
        await Drag("r", 160, 160, 280, 260);
        // Below it, a line, an arrow and a pencil stroke.
        await Drag("l", 60, 420, 300, 420);
        await Drag("a", 60, 460, 300, 460);
        await Drag("p", 60, 500, 300, 500);
        // Far away (off the first screen): a rectangle and an ellipse drawn over part of it.
        await page.Mouse.MoveAsync(stage.X + 400, stage.Y + 300);
        await page.Mouse.WheelAsync(3000, 2000);
        await Drag("r", 100, 100, 260, 220);
        await Drag("o", 200, 160, 360, 300);
        await page.Keyboard.PressAsync("t"); // and a text that SVG must escape
        await page.Mouse.ClickAsync(stage.X + 100, stage.Y + 360);
        await page.Locator("textarea.text-editor").WaitForAsync();
        await page.Keyboard.TypeAsync(Escaped);
        await page.Keyboard.PressAsync("Control+Enter");
        // A login form, then a pricing table, made by the AI palette with the built-in parser. With the shapes above,
        // their stacking keys run from upper- into lower-case letters inside the pricing table, where an order by
        // locale (not by code point) put the middle tier's button under its card. Each lands below the selection
        // (what was made last), so they do not overlap.
        JsonElement objects = default;
        foreach (var (command, made) in new[] { ("create a login form", "Login form"), ("add a pricing table with 3 tiers", "Pricing table") })
        {
            await page.Keyboard.PressAsync("Control+k");
            var palette = page.GetByRole(AriaRole.Dialog, new() { Name = "AI command" });
            await palette.GetByLabel("Command").FillAsync(command);
            await palette.GetByRole(AriaRole.Button, new() { Name = "Make", Exact = true }).ClickAsync();
            await Assertions.Expect(palette).ToBeHiddenAsync();
            await Eventually.Until(async () =>
            {
                objects = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects");
                return objects.EnumerateObject().Any(o => Name(o.Value) == made);
            }, $"the {made} on the server");
        }
        var byId = objects.EnumerateObject().ToDictionary(o => o.Name, o => o.Value);
        var all = byId.Values.ToList();
        var rects = all.Where(o => Type(o) == "rect").OrderBy(o => N(o, "x")).ToList();
        var (nearRect, farRect) = (rects.First(o => Fill(o) == ShapeBlue), rects.Last(o => Fill(o) == ShapeBlue));
        var ellipse = all.Single(o => Type(o) == "ellipse");
        Assert.True(N(farRect, "x") > 2000 && N(farRect, "y") > 1500, "the far rectangle is off the first screen");
        Assert.True(nearRect.TryGetProperty("parentId", out _), "the near rectangle is inside the frame");
        var texts = all.Where(o => Type(o) == "text").ToList();
        Assert.Equal(3 * 8, texts.Count(t => Parent(byId, t) is { } p && Name(p) == "Pricing table")); // per tier: name, price, /month, 4 features, button label

        // Away from everything, zoomed out.
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.DownAsync("Control");
        await page.Mouse.WheelAsync(0, 300);
        await page.Keyboard.UpAsync("Control");
        await page.Mouse.WheelAsync(-20000, -20000);

        // PNG: every object, two pixels per canvas unit, from the top-left corner of the whole drawing.
        var png = Png.Decode(await EditorSteps.ExportAsync(page, "PNG", "export-everything"));
        double Left(JsonElement o) => N(o, "x") + Math.Min(0, Points(o, 0).DefaultIfEmpty(0).Min()) - StrokeHalf(o);
        double Top(JsonElement o) => N(o, "y") + Math.Min(0, Points(o, 1).DefaultIfEmpty(0).Min()) - StrokeHalf(o);
        double Right(JsonElement o) => N(o, "x") + N(o, "width") + StrokeHalf(o);
        double Bottom(JsonElement o) => N(o, "y") + N(o, "height") + StrokeHalf(o);
        var (left, top) = (all.Min(Left), all.Min(Top));
        Assert.InRange(png.Width, 2 * (all.Max(Right) - left) - 4, 2 * (all.Max(Right) - left) + 4);
        Assert.InRange(png.Height, 2 * (all.Max(Bottom) - top) - 4, 2 * (all.Max(Bottom) - top) + 4);
        Rgba At(double x, double y) => png[(int)Math.Round(2 * (x - left)), (int)Math.Round(2 * (y - top))];
        void AssertColor(string expected, double x, double y, string what) =>
            Assert.True(At(x, y).DistanceTo(Rgba.Parse(expected)) <= 8, $"{what} at ({x}, {y}): expected {expected}, found {At(x, y)}");

        AssertColor(ShapeBlue, N(nearRect, "x") + 10, N(nearRect, "y") + 10, "the rectangle in the frame, above the frame");
        AssertColor(ShapeBlue, N(farRect, "x") + 10, N(farRect, "y") + 10, "the far rectangle");
        AssertColor(EllipseOrange, N(farRect, "x") + N(farRect, "width") - 10, N(farRect, "y") + N(farRect, "height") - 10,
            "the ellipse drawn over the far rectangle");
        foreach (var button in rects.Where(r => Name(r) == "button"))
            AssertColor(Fill(button)!, N(button, "x") + 6, N(button, "y") + N(button, "height") / 2, "a pricing tier's button");
        foreach (var line in all.Where(o => Type(o) is "line" or "arrow" or "path"))
            AssertColor(Ink, N(line, "x") + 100, N(line, "y"), $"the {Type(line)}");
        foreach (var text in texts)
        {
            // Some pixel of the text's box has the text's colour: it was drawn, and not covered.
            var colour = Rgba.Parse(Fill(text) is "auto" or null ? Ink : Fill(text)!);
            var width = text.TryGetProperty("width", out _) ? N(text, "width") : 100;
            var box = png.Region((int)(2 * (N(text, "x") - left)), (int)(2 * (N(text, "y") - top)), (int)(2 * width), (int)(2 * N(text, "fontSize")));
            Assert.True(box.Any(p => p.DistanceTo(colour) <= 40), $"the text \"{text.GetProperty("text")}\" in {colour} is in the PNG");
        }

        // SVG: every object as an element, texts above the rectangles they sit on.
        var svg = XDocument.Parse(System.Text.Encoding.UTF8.GetString(await EditorSteps.ExportAsync(page, "SVG", "export-everything")));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var elements = svg.Root!.Elements().Where(e => e.Name != ns + "defs").ToList();
        Assert.Contains(Escaped, texts.Select(t => t.GetProperty("text").GetString()));
        foreach (var text in texts)
            Assert.Contains(elements, e => e.Name == ns + "text" && e.Value == text.GetProperty("text").GetString());
        double A(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i].Name != ns + "text") continue;
            var (x, y) = (A(elements[i], "x"), A(elements[i], "y"));
            var under = elements.Skip(i + 1).Where(e => e.Name == ns + "rect" && A(e, "x") <= x && x <= A(e, "x") + A(e, "width") && A(e, "y") <= y && y <= A(e, "y") + A(e, "height"));
            Assert.True(!under.Any(), $"the text \"{elements[i].Value}\" comes before a rectangle drawn over it: {string.Join(", ", under)}");
        }
        Assert.Equal(ns + "rect", elements[0].Name); // the background
        Assert.Equal(all.Count, elements.Count - 1); // and every object
    }

    private static JsonElement? Parent(Dictionary<string, JsonElement> byId, JsonElement o) =>
        o.TryGetProperty("parentId", out var parent) ? byId[parent.GetString()!] : null;
    private static string Type(JsonElement o) => o.GetProperty("type").GetString()!;
    private static string? Fill(JsonElement o) => o.TryGetProperty("fill", out var fill) ? fill.GetString() : null;
    private static string? Name(JsonElement o) => o.TryGetProperty("name", out var name) ? name.GetString() : null;
    private static double N(JsonElement o, string prop) => o.TryGetProperty(prop, out var value) ? value.GetDouble() : 0;
    private static double StrokeHalf(JsonElement o) => o.TryGetProperty("stroke", out _) ? N(o, "strokeWidth") / 2 : 0;
    private static IEnumerable<double> Points(JsonElement o, int axis) =>
        o.TryGetProperty("points", out var points) ? points.EnumerateArray().Where((_, i) => i % 2 == axis).Select(p => p.GetDouble()) : [];
}
