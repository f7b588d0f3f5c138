using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// Direct manipulation with the mouse: the selection's handles resize and rotate, and one press-and-drag selects and
/// moves. Where to press comes from what was drawn: at zoom 100% a canvas unit is a CSS pixel from the stage's top-left
/// corner, and the handles sit on the corners and edge middles of the selected box, the rotate handle 50 px above its
/// top middle. Results are read from the server and, for the other person, from the pixels of their window.
/// </summary>
public class GestureTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private const double Tolerance = 0.05;
    private const double RotateHandleOffset = 50;

    [Fact]
    public async Task Every_handle_resizes_the_shape_as_one_undoable_change_that_the_peer_sees()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Resize");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        var box = new Box(300, 200, 160, 120);
        await DrawAsync(alice, "r", box);
        var id = (await SettledAsync(canvas, objects => objects.Count == 1, "the rectangle on the server")).Keys.Single();

        // Each of the eight handles in turn, 20 px right and 10 px down: the edges it holds follow the pointer.
        foreach (var (column, row) in new[] { (2, 2), (0, 0), (1, 0), (2, 0), (2, 1), (1, 2), (0, 2), (0, 1) })
        {
            var (dx, dy) = (20.0, 10.0);
            var expected = box;
            if (column == 0) expected = expected with { X = box.X + dx, Width = box.Width - dx };
            if (column == 2) expected = expected with { Width = box.Width + dx };
            if (row == 0) expected = expected with { Y = box.Y + dy, Height = box.Height - dy };
            if (row == 2) expected = expected with { Height = box.Height + dy };
            var handle = box.Handle(column, row);
            await DragAsync(alice, handle, (handle.X + dx, handle.Y + dy));
            await SettledAsync(canvas, objects => Matches(objects[id], expected), $"the handle ({column}, {row}) gives {expected}");
            box = expected;
        }

        // Bob sees the last size: a point inside the shape now, outside what was first drawn, has the shape's colour.
        var shapeColour = await EditorSteps.PixelAsync(alice, box.Centre);
        await EditorSteps.EventuallyPixelAsync(bob, (box.X + box.Width - 10, box.Y + box.Height - 10), shapeColour, "Bob sees the resized rectangle");

        await alice.Keyboard.PressAsync("Control+z"); // the last drag moved the left edge 20 px right
        await SettledAsync(canvas, objects => Matches(objects[id], box with { X = box.X - 20, Width = box.Width + 20 }), "one undo takes back the last resize");
    }

    [Fact]
    public async Task Shift_keeps_the_ratio_and_Alt_resizes_from_the_centre()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Ratio and centre");
        var page = await OpenAsync(canvas, "Alice");
        var box = new Box(300, 200, 160, 120);
        await DrawAsync(page, "r", box);
        var id = (await SettledAsync(canvas, objects => objects.Count == 1, "the rectangle on the server")).Keys.Single();

        await page.Keyboard.DownAsync("Shift");
        await DragAsync(page, box.Handle(2, 2), (box.X + box.Width + 80, box.Y + box.Height + 10));
        await page.Keyboard.UpAsync("Shift");
        var objects = await SettledAsync(canvas, objects => Number(objects[id], "width") > box.Width + 1, "a wider rectangle");
        var resized = BoxOf(objects[id]);
        Assert.Equal(box.Width / box.Height, resized.Width / resized.Height, 2);
        Assert.True(Math.Abs(resized.X - box.X) < Tolerance && Math.Abs(resized.Y - box.Y) < Tolerance, $"the top-left corner stays: {resized}");

        box = resized;
        await page.Keyboard.DownAsync("Alt");
        await DragAsync(page, box.Handle(2, 2), (box.X + box.Width + 30, box.Y + box.Height + 20));
        await page.Keyboard.UpAsync("Alt");
        await SettledAsync(canvas, objects => Matches(objects[id], new Box(box.X - 30, box.Y - 20, box.Width + 60, box.Height + 40)),
            "Alt grows both sides by the drag");
    }

    [Fact]
    public async Task The_rotate_handle_turns_the_shape_about_its_centre_and_Shift_snaps_to_15_degrees()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Rotate");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        var box = new Box(300, 200, 160, 120);
        await DrawAsync(alice, "r", box);
        var id = (await SettledAsync(canvas, objects => objects.Count == 1, "the rectangle on the server")).Keys.Single();

        // A quarter turn clockwise: from straight above the centre to straight right of it. Halfway, a screenshot.
        var (cx, cy) = box.Centre;
        var (hx, hy) = await EditorSteps.OnPageAsync(alice, box.RotateHandle);
        await alice.Mouse.MoveAsync(hx, hy);
        await alice.Mouse.DownAsync();
        var (mx, my) = await EditorSteps.OnPageAsync(alice, (cx + 120, cy - 120));
        await alice.Mouse.MoveAsync(mx, my, new() { Steps = 6 });
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "rotate-in-progress.png") });
        var (ex, ey) = await EditorSteps.OnPageAsync(alice, (cx + 200, cy));
        await alice.Mouse.MoveAsync(ex, ey, new() { Steps = 6 });
        await alice.Mouse.UpAsync();
        var turned = BoxOf((await SettledAsync(canvas, objects => Math.Abs(Number(objects[id], "rotation") - 90) < Tolerance, "a quarter turn"))[id]);
        Assert.Equal(box.Centre.X, turned.RotatedCentre.X, 1);
        Assert.Equal(box.Centre.Y, turned.RotatedCentre.Y, 1);
        // Bob sees it turned: below the original box, inside the turned one (120 wide, 160 tall about the same centre).
        await EditorSteps.EventuallyPixelAsync(bob, (cx, cy + 70), await EditorSteps.PixelAsync(alice, box.Centre), "Bob sees the turned rectangle");

        await alice.Keyboard.PressAsync("Control+z");
        await SettledAsync(canvas, objects => Matches(objects[id], box), "undo turns it back");

        // With Shift, a pointer at 36.9° from the start gives 30°, the nearest multiple of 15°.
        await alice.Keyboard.DownAsync("Shift");
        await DragAsync(alice, box.RotateHandle, (cx + 90, cy - 120));
        await alice.Keyboard.UpAsync("Shift");
        await SettledAsync(canvas, objects => Math.Abs(Number(objects[id], "rotation") - 30) < Tolerance, "a turn snapped to 30°");
    }

    [Fact]
    public async Task A_multi_selection_resizes_as_one_box_in_one_undoable_change()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Multi");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", new Box(200, 200, 100, 80));
        await DrawAsync(page, "o", new Box(400, 200, 100, 80));
        await page.Keyboard.PressAsync("Escape");
        await DragAsync(page, (150, 150), (550, 330)); // a marquee around both
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("2 objects");

        var both = new Box(200, 200, 300, 80);
        await DragAsync(page, both.Handle(2, 2), (both.X + 600, both.Y + 160)); // twice as wide and tall, from the top-left
        var objects = await SettledAsync(canvas, objects => objects.Values.Any(o => Number(o, "width") > 150), "the shapes grown");
        var rect = objects.Values.Single(o => o.GetProperty("type").GetString() == "rect");
        var ellipse = objects.Values.Single(o => o.GetProperty("type").GetString() == "ellipse");
        Assert.True(Matches(rect, new Box(200, 200, 200, 160)), rect.ToString());
        Assert.True(Matches(ellipse, new Box(600, 200, 200, 160)), ellipse.ToString());

        await page.Keyboard.PressAsync("Control+z");
        await SettledAsync(canvas, objects => objects.Values.All(o => Number(o, "width") == 100), "one undo takes both back");
    }

    [Fact]
    public async Task A_level_line_stretches_by_its_side_handle()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Line");
        var page = await OpenAsync(canvas, "Alice");
        await page.Keyboard.PressAsync("l");
        await DragAsync(page, (200, 300), (400, 300)); // 200 long, no height but its stroke's
        var id = (await SettledAsync(canvas, objects => objects.Count == 1, "the line on the server")).Keys.Single();

        await DragAsync(page, (401, 300), (501, 300)); // the right handle, on the stroke's outer edge
        var line = (await SettledAsync(canvas, objects => objects[id].GetProperty("points")[2].GetDouble() > 250, "a longer line"))[id];
        var points = line.GetProperty("points").EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.InRange(points[2], 290, 310);
        Assert.Equal([0, 0, 0], [points[0], points[1], points[3]]);
        Assert.InRange(Number(line, "x"), 199, 201);
        Assert.Equal(300, Number(line, "y"), 1);
    }

    [Fact]
    public async Task A_text_stretched_by_a_corner_wraps_wider_with_bigger_letters()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Text");
        var page = await OpenAsync(canvas, "Alice");
        await page.Keyboard.PressAsync("t");
        var (x, y) = await EditorSteps.OnPageAsync(page, (300, 300));
        await page.Mouse.ClickAsync(x, y);
        await page.Locator("textarea.text-editor").WaitForAsync();
        await page.Keyboard.TypeAsync("Hello");
        await page.Keyboard.PressAsync("Control+Enter");
        var id = (await SettledAsync(canvas, objects => objects.Values.Any(o => o.GetProperty("text").GetString() == "Hello"), "the text on the server")).Keys.Single();

        // 24 px letters at a line height of 1.2 make a box 28.8 high from the click; its width is the word's. The
        // bottom-left handle, 40 left and 28.8 down: twice the height, 40 more of width.
        await DragAsync(page, (300, 328.8), (260, 357.6));
        var text = (await SettledAsync(canvas, objects => Number(objects[id], "fontSize") > 24, "bigger letters"))[id];
        Assert.Equal(48, Number(text, "fontSize"), 0); // the handle is dragged by whole pixels
        Assert.Equal(260, Number(text, "x"), 1);
        Assert.Equal(300, Number(text, "y"), 1);
        Assert.InRange(Number(text, "width"), 60, 200);
    }

    [Fact]
    public async Task Pressing_on_an_unselected_shape_or_frame_and_dragging_moves_it_in_one_gesture()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Press and drag");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "f", new Box(100, 100, 300, 250));
        await DrawAsync(alice, "r", new Box(150, 150, 80, 60)); // inside the frame
        await DrawAsync(alice, "r", new Box(600, 150, 80, 60));
        await alice.Keyboard.PressAsync("Escape");
        var ids = await SettledAsync(canvas, objects => objects.Count == 3, "the frame and two rectangles");
        string At(double x) => ids.Single(o => Number(o.Value, "x") == x).Key;
        var (frame, child, loose) = (At(100), At(150), At(600));

        await DragAsync(alice, (640, 180), (700, 240)); // the loose rectangle, not selected
        await SettledAsync(canvas, objects => Number(objects[loose], "x") == 660 && Number(objects[loose], "y") == 210, "the rectangle moved");

        await alice.Keyboard.PressAsync("Escape");
        await DragAsync(alice, (300, 300), (350, 360)); // the frame's empty part: the frame and what is in it
        await SettledAsync(canvas, objects => Number(objects[frame], "x") == 150 && Number(objects[frame], "y") == 160
            && Number(objects[child], "x") == 200 && Number(objects[child], "y") == 210, "the frame moved with its child");

        // Bob sees the child where it went with the frame: a point of it now, outside where it was drawn.
        await EditorSteps.EventuallyPixelAsync(bob, (270, 260), await EditorSteps.PixelAsync(alice, (240, 240)), "Bob sees the frame's child moved");
    }

    [Fact]
    public async Task Space_drag_and_middle_drag_pan_the_view()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Pan");
        var page = await OpenAsync(canvas, "Alice");
        var box = new Box(300, 200, 100, 80);

        await page.Keyboard.DownAsync("Space");
        await DragAsync(page, (600, 400), (500, 350));
        await page.Keyboard.UpAsync("Space");
        await DrawAsync(page, "r", box); // drawn where the view now shows canvas (400, 250)
        await SettledAsync(canvas, objects => objects.Values.Any(o => Matches(o, box with { X = 400, Y = 250 })), "a rectangle drawn after a Space-drag");

        var (x1, y1) = await EditorSteps.OnPageAsync(page, (600, 400));
        var (x2, y2) = await EditorSteps.OnPageAsync(page, (650, 300));
        await page.Mouse.MoveAsync(x1, y1);
        await page.Mouse.DownAsync(new() { Button = MouseButton.Middle });
        await page.Mouse.MoveAsync(x2, y2, new() { Steps = 8 });
        await page.Mouse.UpAsync(new() { Button = MouseButton.Middle });
        await DrawAsync(page, "r", box); // the view moved back 50 and up 100 more: canvas (350, 350)
        await SettledAsync(canvas, objects => objects.Values.Any(o => Matches(o, box with { X = 350, Y = 350 })), "a rectangle drawn after a middle-drag");
    }

    private sealed record Box(double X, double Y, double Width, double Height, double Rotation = 0)
    {
        public (double X, double Y) Centre => (X + Width / 2, Y + Height / 2);

        /// <summary>A handle of the unrotated box: column 0, 1, 2 is left, middle, right; row 0, 1, 2 is top, middle, bottom.</summary>
        public (double X, double Y) Handle(int column, int row) => (X + Width * column / 2, Y + Height * row / 2);

        public (double X, double Y) RotateHandle => (X + Width / 2, Y - RotateHandleOffset);

        /// <summary>The centre of the box turned by <see cref="Rotation"/> degrees about its top-left corner, as objects turn.</summary>
        public (double X, double Y) RotatedCentre
        {
            get
            {
                var (cos, sin) = (Math.Cos(Rotation * Math.PI / 180), Math.Sin(Rotation * Math.PI / 180));
                return (X + Width / 2 * cos - Height / 2 * sin, Y + Width / 2 * sin + Height / 2 * cos);
            }
        }
    }

    private static Box BoxOf(JsonElement obj) =>
        new(Number(obj, "x"), Number(obj, "y"), Number(obj, "width"), Number(obj, "height"), Number(obj, "rotation"));

    private static bool Matches(JsonElement obj, Box box) =>
        Math.Abs(Number(obj, "x") - box.X) < Tolerance && Math.Abs(Number(obj, "y") - box.Y) < Tolerance
        && Math.Abs(Number(obj, "width") - box.Width) < Tolerance && Math.Abs(Number(obj, "height") - box.Height) < Tolerance
        && Math.Abs(Number(obj, "rotation") - box.Rotation) < Tolerance;

    private static double Number(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value.GetDouble() : 0;

    private async Task<IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    private static async Task DragAsync(IPage page, (double X, double Y) from, (double X, double Y) to)
    {
        var (x1, y1) = await EditorSteps.OnPageAsync(page, from);
        var (x2, y2) = await EditorSteps.OnPageAsync(page, to);
        await EditorSteps.DragAsync(page, x1, y1, x2, y2);
        // A gesture may write while it moves: wait for the release's own write before anyone reads the server.
        await EditorSteps.WaitSavedAsync(page);
    }

    /// <summary>Draws with a tool's key from corner to corner, which leaves the new object selected.</summary>
    private static async Task DrawAsync(IPage page, string toolKey, Box box)
    {
        await page.Keyboard.PressAsync(toolKey);
        await DragAsync(page, (box.X, box.Y), (box.X + box.Width, box.Y + box.Height));
    }

    private Task<Dictionary<string, JsonElement>> SettledAsync(string canvas, Func<Dictionary<string, JsonElement>, bool> holds, string what) =>
        EditorSteps.SettledObjectsAsync(fixture.Server, canvas, holds, what);
}
