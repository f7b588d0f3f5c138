using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// Arrows bound to shapes, by hand: an arrow drawn from one shape to another binds both ends, each drawn on its shape's
/// outline towards where it was let go; when a peer moves, resizes or turns a bound shape, the end follows in both
/// windows and in the geometry the server derives (the document's <c>connectors</c>), with no op to the arrow; deleting the shape leaves the arrow where it was seen; an end
/// handle dropped on a shape binds, dropped elsewhere unbinds. At zoom 100% a canvas unit is a CSS pixel from the
/// stage's top-left corner.
/// </summary>
public class ConnectorTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>The light theme's ink, which new arrows are drawn in (docs/protocol.md).</summary>
    private static readonly (int R, int G, int B) Ink = (0x1f, 0x23, 0x28);

    [Fact]
    public async Task An_arrow_bound_to_two_shapes_follows_a_peer_moving_resizing_and_turning_one_and_survives_its_deletion()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Connectors");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "r", (150, 200), (270, 300));
        await DrawAsync(alice, "r", (500, 300), (620, 400));
        await alice.Keyboard.PressAsync("Escape");
        var shapes = await SettledAsync(canvas, d => Objects(d).Count == 2, "two rectangles");
        string At(double x) => Objects(shapes).Single(o => Number(o.Value, "x") == x).Key;
        var (a, b) = (At(150), At(500));
        var fill = await EditorSteps.PixelAsync(alice, (510, 310)); // B's, as the rectangles have the same
        var start = (X: 210.0, Y: 250.0); // A's centre, where the arrow starts from: each end aims from the other's anchor

        // From A's centre to a point of B right of and below its centre; over B, B is outlined before the press ends.
        await alice.Keyboard.PressAsync("a");
        await MoveAsync(alice, (210, 250));
        await alice.Mouse.DownAsync();
        await MoveAsync(alice, (590, 380), steps: 10);
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "connector-hover.png") });
        await alice.Mouse.UpAsync();
        var document = await SettledAsync(canvas, d => Objects(d).Values.Any(o => o.TryGetProperty("endBinding", out _)), "the arrow bound");
        var (arrow, drawn) = Objects(document).Single(o => o.Value.GetProperty("type").GetString() == "arrow");
        Assert.Equal(a, drawn.GetProperty("startBinding").GetProperty("id").GetString());
        Assert.Equal(b, drawn.GetProperty("endBinding").GetProperty("id").GetString());
        Assert.Equal(0.75, drawn.GetProperty("endBinding").GetProperty("x").GetDouble(), 2);
        Assert.Equal(0.8, drawn.GetProperty("endBinding").GetProperty("y").GetDouble(), 2);
        var stored = Points(drawn);
        // Towards where it was let go, (590, 380), the end stops on B's left edge: 290/380 of the way, y = 349.2.
        var first = AssertEndOnOutline(document, arrow, Objects(document)[b], start, (590, 380), "the end on B's outline towards where it was let go");
        Assert.Equal((500.0, 349.2), (Math.Round(first.X, 1), Math.Round(first.Y, 1)));
        await alice.Keyboard.PressAsync("Escape"); // the selected arrow's end handles would cover its head

        // Bob drags B by a corner away from the arrow: the end moves with it, onto B's left edge again (at 390/480 of the
        // way to the anchor (690, 530), y = 477.5); no op touched the arrow's own points. The arrow's tip is at B's
        // outline in both windows: ink just before it, B's fill just past it.
        await DragAsync(bob, (520, 320), (620, 470));
        document = await SettledAsync(canvas, d => Number(Objects(d)[b], "x") == 600 && Number(Objects(d)[b], "y") == 450, "B moved by Bob");
        var moved = AssertEndOnOutline(document, arrow, Objects(document)[b], start, (690, 530), "the end moved with B");
        Assert.Equal((600.0, 477.5), (Math.Round(moved.X, 1), Math.Round(moved.Y, 1)));
        Assert.Equal(stored, Points(Objects(document)[arrow]));
        await EventuallyTipAsync(bob, start, moved, fill, "Bob sees the arrow's tip on the moved B's outline");
        await EventuallyTipAsync(alice, start, moved, fill, "Alice sees the arrow's tip on the moved B's outline");
        await EditorSteps.EventuallyPixelAsync(alice, first, await EditorSteps.PixelAsync(alice, (900, 150)), "nothing is left where the end was");

        // Alice resizes B by its bottom-right handle: the end keeps its place in B's box (3/4 across, 4/5 down), already
        // while the handle is held.
        await ClickAsync(alice, (620, 470));
        await MoveAsync(alice, (720, 550));
        await alice.Mouse.DownAsync();
        await MoveAsync(alice, (780, 590), steps: 8);
        // Towards the anchor (735, 562) of B at 180 by 140, the left edge at 390/525 of the way: y = 481.8.
        await EventuallyHeadAsync(alice, start, (600, 481.8), "the head follows the handle before it is let go");
        await alice.Mouse.UpAsync();
        document = await SettledAsync(canvas, d => Number(Objects(d)[b], "width") == 180, "B resized");
        Assert.Equal(140, Number(Objects(document)[b], "height"), 1);
        var resized = AssertEndOnOutline(document, arrow, Objects(document)[b], start, (600 + 0.75 * 180, 450 + 0.8 * 140), "the end followed the resize");
        await EventuallyHeadAsync(bob, start, resized, "Bob sees the arrow's head on the resized B");

        // A quarter turn about B's centre (the rotate handle, 50 px above the top middle, dragged to the right of it).
        await DragAsync(alice, (690, 400), (890, 520));
        document = await SettledAsync(canvas, d => Math.Abs(Number(Objects(d)[b], "rotation") - 90) < 0.5, "B turned");
        var turned = Objects(document)[b];
        var anchor = AnchorOf(turned, 0.75, 0.8);
        Assert.True(Math.Abs(anchor.X - 735) > 20 || Math.Abs(anchor.Y - 562) > 20, $"the anchor moved with the turn: {anchor}");
        var end = AssertEndOnOutline(document, arrow, turned, start, anchor, "the end followed the turn, onto the turned outline");
        await EventuallyTipAsync(bob, start, end, fill, "Bob sees the arrow's tip on the turned B's outline");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "connector-turned.png") });

        // Alice deletes B: the arrow keeps the end where it was drawn, unbound; its start stays on A.
        await alice.Keyboard.PressAsync("Delete");
        document = await SettledAsync(canvas, d => !Objects(d).ContainsKey(b), "B deleted");
        var left = Objects(document)[arrow];
        Assert.False(left.TryGetProperty("endBinding", out _), left.ToString());
        Assert.Equal(a, left.GetProperty("startBinding").GetProperty("id").GetString());
        var points = Points(left);
        Assert.Equal(end.X, Number(left, "x") + points[^2], 0);
        Assert.Equal(end.Y, Number(left, "y") + points[^1], 0);
        AssertEnd(document, arrow, end, "the end stays where it was seen");
        await EventuallyHeadAsync(bob, start, end, "Bob still sees the arrow's head where B was");
    }

    [Fact]
    public async Task A_selected_arrows_end_handle_binds_where_it_is_dropped_on_a_shape_and_unbinds_elsewhere()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("End handles");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "o", (400, 200), (520, 300));
        await alice.Keyboard.PressAsync("Escape");
        var ellipse = Objects(await SettledAsync(canvas, d => Objects(d).Count == 1, "the ellipse")).Keys.Single();

        await DrawAsync(alice, "a", (100, 400), (250, 400)); // from and to empty canvas: bound to nothing, left selected
        var document = await SettledAsync(canvas, d => Objects(d).Count == 2, "the arrow");
        var arrow = Objects(document).Single(o => o.Key != ellipse).Key;
        Assert.False(Objects(document)[arrow].TryGetProperty("endBinding", out _));

        await DragAsync(alice, (250, 400), (460, 250)); // the end handle onto the ellipse's centre
        document = await SettledAsync(canvas, d => Objects(d)[arrow].TryGetProperty("endBinding", out _), "the end bound");
        Assert.Equal(ellipse, Objects(document)[arrow].GetProperty("endBinding").GetProperty("id").GetString());
        // Towards the centre from (100, 400): the ellipse (radii 60, 50) is met 1/sqrt(45) of the way back, at (406.3, 272.4).
        var onEllipse = AssertEndOnOutline(document, arrow, Objects(document)[ellipse], (100, 400), (460, 250), "the end on the ellipse's outline");
        Assert.Equal((406.3, 272.4), (Math.Round(onEllipse.X, 1), Math.Round(onEllipse.Y, 1)));

        await DragAsync(bob, (420, 230), (470, 330)); // Bob moves the ellipse 50 right, 100 down
        document = await SettledAsync(canvas, d => Number(Objects(d)[ellipse], "x") == 450, "the ellipse moved");
        var followed = AssertEndOnOutline(document, arrow, Objects(document)[ellipse], (100, 400), (510, 350), "the end followed the ellipse");
        await alice.Keyboard.PressAsync("Escape"); // the end handle would cover the head
        await EventuallyHeadAsync(alice, (100, 400), followed, "Alice sees the head on the moved ellipse's outline");
        await ClickAsync(alice, (305, 375)); // the arrow's middle selects it again

        await DragAsync(alice, followed, (700, 450)); // the end handle, off onto empty canvas
        document = await SettledAsync(canvas, d => !Objects(d)[arrow].TryGetProperty("endBinding", out _), "the end unbound");
        var points = Points(Objects(document)[arrow]);
        Assert.Equal((700.0, 450.0), (Number(Objects(document)[arrow], "x") + points[^2], Number(Objects(document)[arrow], "y") + points[^1]));
        await EventuallyHeadAsync(bob, (100, 400), (700, 450), "Bob sees the free end");
    }

    /// <summary>A point of a box turned about its top-left corner (as objects turn), at fractions of its size.</summary>
    private static (double X, double Y) AnchorOf(JsonElement box, double ax, double ay)
    {
        var radians = Number(box, "rotation") * Math.PI / 180;
        var (dx, dy) = (ax * Number(box, "width"), ay * Number(box, "height"));
        return (Number(box, "x") + dx * Math.Cos(radians) - dy * Math.Sin(radians), Number(box, "y") + dx * Math.Sin(radians) + dy * Math.Cos(radians));
    }

    /// <summary>The end of a connector as the server draws it (the document's <c>connectors</c>), in canvas units.</summary>
    private static (double X, double Y) DrawnEnd(JsonElement document, string arrow)
    {
        var obj = Objects(document)[arrow];
        var drawn = document.GetProperty("connectors").TryGetProperty(arrow, out var bound) ? bound.EnumerateArray().Select(p => p.GetDouble()).ToArray() : Points(obj);
        return (Number(obj, "x") + drawn[^2], Number(obj, "y") + drawn[^1]);
    }

    private static void AssertEnd(JsonElement document, string arrow, (double X, double Y) expected, string what)
    {
        var end = DrawnEnd(document, arrow);
        Assert.True(Math.Abs(end.X - expected.X) < 1 && Math.Abs(end.Y - expected.Y) < 1, $"{what}: the server draws the end at {end}, expected {expected}");
    }

    /// <summary>
    /// Checks that the server draws the end where the segment from <paramref name="from"/> towards the end's
    /// <paramref name="anchor"/> meets the shape's outline (docs/protocol.md, "Connectors"): on that segment, short of
    /// the anchor, and on the outline of <paramref name="shape"/> (its box turned about its top-left corner, or the
    /// ellipse in it), within a unit. The shape is convex and the anchor inside it, so that point is the only one.
    /// </summary>
    private static (double X, double Y) AssertEndOnOutline(JsonElement document, string arrow, JsonElement shape,
        (double X, double Y) from, (double X, double Y) anchor, string what)
    {
        var end = DrawnEnd(document, arrow);
        var (dx, dy) = (anchor.X - from.X, anchor.Y - from.Y);
        var length = Math.Sqrt(dx * dx + dy * dy);
        var across = Math.Abs((end.X - from.X) * dy - (end.Y - from.Y) * dx) / length;
        var along = ((end.X - from.X) * dx + (end.Y - from.Y) * dy) / length;
        var radians = Number(shape, "rotation") * Math.PI / 180;
        var (ex, ey) = (end.X - Number(shape, "x"), end.Y - Number(shape, "y"));
        var (u, v) = (ex * Math.Cos(radians) + ey * Math.Sin(radians), -ex * Math.Sin(radians) + ey * Math.Cos(radians));
        var (w, h) = (Number(shape, "width"), Number(shape, "height"));
        var offOutline = shape.GetProperty("type").GetString() == "ellipse"
            ? Math.Abs(Math.Sqrt(Math.Pow((u - w / 2) / (w / 2), 2) + Math.Pow((v - h / 2) / (h / 2), 2)) - 1) * Math.Min(w, h) / 2
            : Math.Max(Math.Min(Math.Min(Math.Abs(u), Math.Abs(u - w)), Math.Min(Math.Abs(v), Math.Abs(v - h))), Math.Max(Math.Max(-u, u - w), Math.Max(-v, v - h)));
        Assert.True(across < 1 && along > 0 && along < length - 1 && offOutline < 1,
            $"{what}: the server draws the end at {end}, {across:F1} off the line from {from} to the anchor {anchor}, {along:F1} along it of {length:F1}, {offOutline:F1} off the outline");
        return end;
    }

    /// <summary>
    /// Waits until the page shows the arrow's tip at <paramref name="tip"/>: its head (ink) just short of it along the
    /// line from <paramref name="from"/>, and the shape's <paramref name="fill"/> just past it, where an arrow drawn to the
    /// anchor inside the shape would still be.
    /// </summary>
    private static async Task EventuallyTipAsync(IPage page, (double X, double Y) from, (double X, double Y) tip, (int R, int G, int B) fill, string what)
    {
        await EventuallyHeadAsync(page, from, tip, what);
        var length = Math.Sqrt((tip.X - from.X) * (tip.X - from.X) + (tip.Y - from.Y) * (tip.Y - from.Y));
        await EditorSteps.EventuallyPixelAsync(page, (tip.X + 8 * (tip.X - from.X) / length, tip.Y + 8 * (tip.Y - from.Y) / length), fill, what + ": no arrow past it");
    }

    /// <summary>Waits until the page shows the arrow's head (ink) just short of its tip, along the line from <paramref name="from"/>.</summary>
    private static Task EventuallyHeadAsync(IPage page, (double X, double Y) from, (double X, double Y) tip, string what)
    {
        var length = Math.Sqrt((tip.X - from.X) * (tip.X - from.X) + (tip.Y - from.Y) * (tip.Y - from.Y));
        var inHead = (tip.X - 4 * (tip.X - from.X) / length, tip.Y - 4 * (tip.Y - from.Y) / length);
        return EditorSteps.EventuallyPixelAsync(page, inHead, Ink, what);
    }

    private static Dictionary<string, JsonElement> Objects(JsonElement document) =>
        document.GetProperty("objects").EnumerateObject().ToDictionary(o => o.Name, o => o.Value);

    private static double[] Points(JsonElement obj) => [.. obj.GetProperty("points").EnumerateArray().Select(p => p.GetDouble())];

    private static double Number(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value.GetDouble() : 0;

    private async Task<IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    private static async Task MoveAsync(IPage page, (double X, double Y) point, int steps = 1)
    {
        var (x, y) = await EditorSteps.OnPageAsync(page, point);
        await page.Mouse.MoveAsync(x, y, new() { Steps = steps });
    }

    private static async Task ClickAsync(IPage page, (double X, double Y) point)
    {
        var (x, y) = await EditorSteps.OnPageAsync(page, point);
        await page.Mouse.ClickAsync(x, y);
    }

    private static async Task DragAsync(IPage page, (double X, double Y) from, (double X, double Y) to)
    {
        var (x1, y1) = await EditorSteps.OnPageAsync(page, from);
        var (x2, y2) = await EditorSteps.OnPageAsync(page, to);
        await EditorSteps.DragAsync(page, x1, y1, x2, y2);
        // A drag of an end handle writes at every move (already unbound): wait for the release's own write, or a check
        // of the server could see a move before the last.
        await EditorSteps.WaitSavedAsync(page);
    }

    private static async Task DrawAsync(IPage page, string toolKey, (double X, double Y) from, (double X, double Y) to)
    {
        await page.Keyboard.PressAsync(toolKey);
        await DragAsync(page, from, to);
    }

    /// <summary>Waits until the server's document satisfies <paramref name="holds"/>; says what it was if it never does.</summary>
    private async Task<JsonElement> SettledAsync(string canvas, Func<JsonElement, bool> holds, string what)
    {
        var document = default(JsonElement);
        try
        {
            await Eventually.Until(async () =>
            {
                document = (await fixture.Server.DocumentAsync(canvas)).Clone();
                return holds(document);
            }, what);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}; the server has {document}");
        }
        return document;
    }
}
