using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// Lock, align and distribute, with the real mouse and keys: what they did is read from the server's document. At zoom
/// 100% a canvas unit is a CSS pixel from the stage's top-left corner.
/// </summary>
public class LayersTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    [Fact]
    public async Task A_locked_object_is_neither_selected_nor_moved_by_the_mouse()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Lock");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", 200, 200, 100, 80);
        await page.Keyboard.PressAsync("Control+Shift+L");
        var id = (await SettledAsync(canvas, objects => objects.Count == 1 && objects.Values.Single().TryGetProperty("locked", out _), "the rectangle locked")).Keys.Single();

        await page.Keyboard.PressAsync("Escape");
        await ClickAsync(page, 250, 240);
        await Assertions.Expect(page.Locator(".properties")).ToBeHiddenAsync(); // nothing selected
        await DragAsync(page, (250, 240), (400, 340));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "locked-drag.png") });
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.PressAsync("ArrowRight");
        // A later change of the same page reaches the server after anything the drag or the nudge would have sent.
        await DrawAsync(page, "o", 500, 200, 60, 60);
        var objects = await SettledAsync(canvas, objects => objects.Count == 2, "the ellipse drawn after the drag");
        Assert.Equal(200, Number(objects[id], "x"));
        Assert.Equal(200, Number(objects[id], "y"));
    }

    [Fact]
    public async Task Align_gives_equal_edges_and_distribute_equal_gaps_each_in_one_undo_step()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Align");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", 100, 100, 80, 60);
        await DrawAsync(page, "r", 260, 180, 120, 40);
        await DrawAsync(page, "o", 520, 140, 60, 90);
        await SettledAsync(canvas, objects => objects.Count == 3, "three shapes");
        await page.Keyboard.PressAsync("Escape");
        await DragAsync(page, (60, 60), (640, 320)); // a marquee around all three
        await Assertions.Expect(page.Locator(".arrange")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "align-toolbar.png") });

        await page.Keyboard.PressAsync("Alt+a");
        await SettledAsync(canvas, objects => objects.Values.All(o => Number(o, "x") == 100), "left edges at 100");

        await page.GetByRole(AriaRole.Button, new() { Name = "Align bottom" }).ClickAsync();
        await SettledAsync(canvas, objects => objects.Values.All(o => Number(o, "y") + Number(o, "height") == 230), "bottom edges at 230");
        await page.Keyboard.PressAsync("Control+z");
        await SettledAsync(canvas, objects => objects.Values.Select(o => Number(o, "y")).Order().SequenceEqual([100.0, 140, 180]), "one undo puts every y back");

        // Side by side again, unevenly: distribute leaves the outer two and makes both gaps (480 - 80 - 120 - 60) / 2 = 110.
        await page.Keyboard.PressAsync("Control+z");
        await SettledAsync(canvas, objects => objects.Values.Select(o => Number(o, "x")).Order().SequenceEqual([100.0, 260, 520]), "one undo puts every x back");
        await page.Keyboard.PressAsync("Alt+Shift+h");
        var spread = await SettledAsync(canvas, objects => objects.Values.Select(o => Number(o, "x")).Order().SequenceEqual([100.0, 290, 520]), "equal gaps");
        var boxes = spread.Values.Select(o => (X: Number(o, "x"), Right: Number(o, "x") + Number(o, "width"))).OrderBy(b => b.X).ToArray();
        Assert.Equal(boxes[1].X - boxes[0].Right, boxes[2].X - boxes[1].Right);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "distributed.png") });
    }

    [Fact]
    public async Task The_layers_panel_lists_by_stacking_renames_locks_and_reorders_by_drag_for_every_window()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Layers");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "r", 100, 100, 120, 90);
        await DrawAsync(alice, "o", 160, 140, 120, 90);
        await DrawAsync(alice, "f", 400, 100, 260, 220);
        await DrawAsync(alice, "r", 440, 150, 80, 60); // inside the frame
        var ids = await SettledAsync(canvas, objects => objects.Count == 4, "two shapes and a frame with a rectangle");
        string At(double x) => ids.Single(o => Number(o.Value, "x") == x).Key;
        var (rect, ellipse) = (At(100), At(160));

        await alice.Keyboard.PressAsync("Alt+l");
        var names = alice.Locator(".layers .layer-name");
        // The top first; frames are drawn below other objects; a frame's children follow it, one step in.
        await Assertions.Expect(names).ToHaveTextAsync(["Ellipse", "Rectangle", "Frame", "Rectangle"]);
        var rows = alice.Locator(".layers .layer");
        Assert.True(await IndentOfAsync(rows.Nth(3)) > await IndentOfAsync(rows.Nth(2)), "the frame's child is indented");

        // A click on the canvas marks the row; a click on a row selects on the canvas.
        await ClickAsync(alice, 250, 200);
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-selected", "true");
        await rows.Nth(1).ClickAsync();
        await Assertions.Expect(alice.Locator(".properties h2")).ToHaveTextAsync("Rectangle");
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-selected", "false");

        await rows.Nth(1).Locator(".layer-name").DblClickAsync();
        await alice.Keyboard.PressAsync("Control+a");
        await alice.Keyboard.TypeAsync("Back");
        await alice.Keyboard.PressAsync("Enter");
        await SettledAsync(canvas, objects => objects[rect].TryGetProperty("name", out var n) && n.GetString() == "Back", "the rectangle renamed");

        // Dragged from second place to the top of the list: drawn above the ellipse, for Bob too.
        var from = (await rows.Nth(1).BoundingBoxAsync())!;
        var to = (await rows.Nth(0).BoundingBoxAsync())!;
        await EditorStepsDragAsync(alice, from.X + 60, from.Y + from.Height / 2, to.X + 60, to.Y + 2);
        await SettledAsync(canvas, objects => string.CompareOrdinal(objects[rect].GetProperty("z").GetString(), objects[ellipse].GetProperty("z").GetString()) > 0,
            "the rectangle above the ellipse");
        await Assertions.Expect(names).ToHaveTextAsync(["Back", "Ellipse", "Frame", "Rectangle"]);
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "layers-panel.png") });
        await bob.Keyboard.PressAsync("Alt+l");
        await Assertions.Expect(bob.Locator(".layers .layer-name")).ToHaveTextAsync(["Back", "Ellipse", "Frame", "Rectangle"]);
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "layers-panel-peer.png") });

        // Locked from its row, unlocked by the key with the row selected.
        await rows.Nth(0).HoverAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Lock Back" }).ClickAsync();
        await SettledAsync(canvas, objects => objects[rect].TryGetProperty("locked", out _), "locked from the panel");
        await Assertions.Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Unlock Back" })).ToHaveAttributeAsync("aria-pressed", "true");
        await rows.Nth(0).ClickAsync();
        await alice.Keyboard.PressAsync("Control+Shift+L");
        await SettledAsync(canvas, objects => !objects[rect].TryGetProperty("locked", out _), "unlocked by the key");

        // A frame folds away what is inside it.
        await alice.GetByRole(AriaRole.Button, new() { Name = "Collapse" }).ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync(["Back", "Ellipse", "Frame"]);
    }

    [Fact]
    public async Task The_eye_hides_an_object_for_every_window_and_picture_exports_until_shown_again_each_click_one_undo_step()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Hide");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "r", 200, 200, 100, 80);
        await DrawAsync(alice, "o", 500, 200, 60, 60);
        var id = (await SettledAsync(canvas, objects => objects.Count == 2, "a rectangle and an ellipse"))
            .Single(o => o.Value.GetProperty("type").GetString() == "rect").Key;
        var middle = (250.0, 240.0);
        var background = await EditorSteps.PixelAsync(alice, (600, 400));
        var drawn = await EditorSteps.PixelAsync(alice, middle);
        Assert.NotEqual(background, drawn);
        await EditorSteps.EventuallyPixelAsync(bob, middle, drawn, "the rectangle in Bob's window");

        await alice.Keyboard.PressAsync("Alt+l");
        var row = alice.Locator(".layers .layer", new() { HasText = "Rectangle" });
        await row.HoverAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Hide Rectangle" }).ClickAsync();
        await SettledAsync(canvas, objects => objects[id].TryGetProperty("hidden", out var h) && h.GetBoolean(), "hidden on the server");
        await EditorSteps.EventuallyPixelAsync(bob, middle, background, "the rectangle gone from Bob's window");
        await EditorSteps.EventuallyPixelAsync(alice, middle, background, "the rectangle gone from Alice's window");
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("layer-hidden")); // dimmed
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "layers-hidden.png") });

        // Where it was, a click and a marquee take nothing, and Select all takes the ellipse alone.
        await ClickAsync(bob, 250, 240);
        await Assertions.Expect(bob.Locator(".properties")).ToBeHiddenAsync();
        await DragAsync(bob, (150, 150), (350, 330));
        await Assertions.Expect(bob.Locator(".properties")).ToBeHiddenAsync();
        await bob.Keyboard.PressAsync("Control+a");
        await Assertions.Expect(bob.Locator(".properties h2")).ToHaveTextAsync("Ellipse");

        // The pictures leave it out (the PNG is the ellipse's 60 units at two pixels each; the SVG the background and
        // the ellipse); the JSON file is the document, hidden rectangle included.
        await alice.Keyboard.PressAsync("Escape");
        Assert.InRange(Png.Decode(await EditorSteps.ExportAsync(alice, "PNG", "hidden-left-out")).Width, 116, 124);
        var svg = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(await EditorSteps.ExportAsync(alice, "SVG", "hidden-left-out")));
        Assert.Equal(["rect", "ellipse"], svg.Root!.Elements().Select(e => e.Name.LocalName));
        Assert.True((await EditorSteps.ExportedObjectsAsync(alice)).GetProperty(id).GetProperty("hidden").GetBoolean());

        await alice.GetByRole(AriaRole.Button, new() { Name = "Show Rectangle" }).ClickAsync();
        await EditorSteps.EventuallyPixelAsync(bob, middle, drawn, "the rectangle back in Bob's window");
        await SettledAsync(canvas, objects => !objects[id].TryGetProperty("hidden", out _), "shown on the server");
        await alice.Keyboard.PressAsync("Control+z");
        await EditorSteps.EventuallyPixelAsync(bob, middle, background, "hidden again by one undo");
        await alice.Keyboard.PressAsync("Control+z");
        await EditorSteps.EventuallyPixelAsync(bob, middle, drawn, "shown again by a second undo");
        await SettledAsync(canvas, objects => !objects[id].TryGetProperty("hidden", out _), "shown on the server after the undos");

        // The key does the same for the selection (here chosen in the panel, as a hidden object can only be).
        await row.ClickAsync();
        await alice.Keyboard.PressAsync("Control+Shift+H");
        await EditorSteps.EventuallyPixelAsync(bob, middle, background, "hidden by the key");
        await alice.Keyboard.PressAsync("Control+Shift+H");
        await EditorSteps.EventuallyPixelAsync(bob, middle, drawn, "shown by the key");
        await SettledAsync(canvas, objects => !objects[id].TryGetProperty("hidden", out _), "shown on the server after the key");
    }

    [Fact]
    public async Task A_group_is_selected_and_moved_as_one_until_ungrouped()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Group");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", 100, 100, 80, 60);
        await DrawAsync(page, "r", 300, 100, 80, 60);
        await DrawAsync(page, "o", 100, 300, 60, 60);
        var ids = await SettledAsync(canvas, objects => objects.Count == 3, "three shapes");
        string At(double x, double y) => ids.Single(o => Number(o.Value, "x") == x && Number(o.Value, "y") == y).Key;
        var (left, right, ellipse) = (At(100, 100), At(300, 100), At(100, 300));

        await page.Keyboard.PressAsync("Escape");
        await DragAsync(page, (60, 60), (420, 200)); // a marquee around the two rectangles
        await page.Keyboard.PressAsync("Control+g");
        string? GroupOf(JsonElement o) => o.TryGetProperty("groupId", out var g) ? g.GetString() : null;
        await SettledAsync(canvas, objects => GroupOf(objects[left]) is { } g && GroupOf(objects[right]) == g && GroupOf(objects[ellipse]) is null, "one group of two");

        await page.Keyboard.PressAsync("Escape");
        await ClickAsync(page, 140, 130);
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("2 rectangles");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "group-selected.png") });
        await DragAsync(page, (140, 130), (190, 180));
        await SettledAsync(canvas, objects => Number(objects[left], "x") == 150 && Number(objects[left], "y") == 150
            && Number(objects[right], "x") == 350 && Number(objects[right], "y") == 150 && Number(objects[ellipse], "x") == 100, "the group moved as one");

        await page.Keyboard.PressAsync("Control+Shift+g");
        await SettledAsync(canvas, objects => objects.Values.All(o => GroupOf(o) is null), "ungrouped");
        await page.Keyboard.PressAsync("Escape");
        await ClickAsync(page, 190, 180);
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("Rectangle");
    }

    [Fact]
    public async Task A_group_is_a_folder_of_the_layers_panel_that_selects_nudges_and_locks_its_members()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Group rows");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await DrawAsync(alice, "r", 100, 100, 80, 60);
        await DrawAsync(alice, "r", 300, 100, 80, 60);
        await DrawAsync(alice, "o", 100, 300, 60, 60);
        var ids = await SettledAsync(canvas, objects => objects.Count == 3, "three shapes");
        string At(double x, double y) => ids.Single(o => Number(o.Value, "x") == x && Number(o.Value, "y") == y).Key;
        var (left, right, ellipse) = (At(100, 100), At(300, 100), At(100, 300));
        await alice.Keyboard.PressAsync("Escape");
        await DragAsync(alice, (60, 60), (420, 200));
        await alice.Keyboard.PressAsync("Control+g");
        await alice.Keyboard.PressAsync("Escape");

        await alice.Keyboard.PressAsync("Alt+l");
        var names = alice.Locator(".layers .layer-name");
        // The group stands where its topmost member would, its members one step in.
        await Assertions.Expect(names).ToHaveTextAsync(["Ellipse", "Group", "Rectangle", "Rectangle"]);
        var rows = alice.Locator(".layers .layer");
        Assert.True(await IndentOfAsync(rows.Nth(2)) > await IndentOfAsync(rows.Nth(1)), "a member is indented under its group");
        await bob.Keyboard.PressAsync("Alt+l");
        await Assertions.Expect(bob.Locator(".layers .layer-name")).ToHaveTextAsync(["Ellipse", "Group", "Rectangle", "Rectangle"]);

        await rows.Nth(1).ClickAsync();
        await Assertions.Expect(alice.Locator(".properties h2")).ToHaveTextAsync("2 rectangles");
        await Assertions.Expect(rows.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(bob.Locator(".layers .layer").Nth(1)).ToHaveAttributeAsync("aria-selected", "false"); // Bob's own selection
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "layers-group.png") });
        await alice.Keyboard.PressAsync("ArrowRight");
        await SettledAsync(canvas, objects => Number(objects[left], "x") == 101 && Number(objects[right], "x") == 301 && Number(objects[ellipse], "x") == 100,
            "the group's members nudged as one");

        await rows.Nth(1).HoverAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Lock Group" }).ClickAsync();
        await SettledAsync(canvas, objects => objects[left].TryGetProperty("locked", out _) && objects[right].TryGetProperty("locked", out _)
            && !objects[ellipse].TryGetProperty("locked", out _), "both members locked from the group's row");
        await Assertions.Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Unlock Group" })).ToHaveAttributeAsync("aria-pressed", "true");

        await alice.Locator(".layers .layer-group .layer-fold").ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync(["Ellipse", "Group"]);
    }

    [Fact]
    public async Task A_locked_or_hidden_object_selected_in_the_layers_panel_has_no_handles_and_moves_by_no_drag_or_key_nor_its_ends()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Locked handles");
        var page = await OpenAsync(canvas, "Alice");
        await DrawAsync(page, "r", 200, 200, 100, 80);
        var id = (await SettledAsync(canvas, objects => objects.Count == 1, "the rectangle")).Keys.Single();
        // The bottom-right resize handle, a white square on the corner, while it is selected and unlocked.
        var nearCorner = (297.0, 277.0);
        var handle = await EditorSteps.PixelAsync(page, nearCorner);
        var fill = await EditorSteps.PixelAsync(page, (250, 240));
        Assert.True(handle.R > 240 && handle.G > 240 && handle.B > 240, $"a white handle at the corner, not {handle}");

        // Locked while selected: the handles go, and the rectangle is not dragged by its body.
        await page.Keyboard.PressAsync("Control+Shift+L");
        await EditorSteps.EventuallyPixelAsync(page, nearCorner, fill, "the handle gone once locked");
        await DragAsync(page, (250, 240), (400, 340));

        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Alt+l");
        await page.Locator(".layers .layer").First.ClickAsync();
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("Rectangle"); // selected from the panel
        await EditorSteps.EventuallyPixelAsync(page, nearCorner, fill, "no handle on the locked rectangle");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "locked-from-panel.png") });
        await DragAsync(page, (300, 280), (360, 330)); // where the resize handle was
        await DragAsync(page, (250, 150), (350, 200)); // where the turn handle was
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Shift+ArrowDown");

        // A locked arrow selected in the panel has no end handles to drag either.
        await DrawAsync(page, "a", 450, 100, 150, 0);
        await page.Keyboard.PressAsync("Control+Shift+L");
        var arrow = (await SettledAsync(canvas, objects => objects.Count == 2 && objects.Values.All(o => o.TryGetProperty("locked", out _)), "the arrow locked"))
            .Single(o => o.Key != id);
        await page.Keyboard.PressAsync("Escape");
        await page.Locator(".layers .layer").First.ClickAsync();
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("Arrow");
        await DragAsync(page, (600, 100), (650, 200));
        // Nor has a hidden one (chosen in the panel again, as the drag above was a marquee; unlocked, then hidden, by the keys).
        await page.Locator(".layers .layer").First.ClickAsync();
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("Arrow");
        await page.Keyboard.PressAsync("Control+Shift+L");
        await page.Keyboard.PressAsync("Control+Shift+H");
        await DragAsync(page, (600, 100), (650, 200));

        // A later change of the same page reaches the server after anything the gestures would have sent.
        await DrawAsync(page, "o", 500, 400, 60, 60);
        var objects = await SettledAsync(canvas, objects => objects.Count == 3, "the ellipse drawn after the gestures");
        Assert.Equal((200.0, 200.0, 100.0, 80.0, 0.0),
            (Number(objects[id], "x"), Number(objects[id], "y"), Number(objects[id], "width"), Number(objects[id], "height"), Number(objects[id], "rotation")));
        Assert.True(objects[arrow.Key].GetProperty("hidden").GetBoolean() && !objects[arrow.Key].TryGetProperty("locked", out _), objects[arrow.Key].ToString());
        Assert.Equal(EditorSteps.Canonical(arrow.Value.GetProperty("points")), EditorSteps.Canonical(objects[arrow.Key].GetProperty("points")));
    }

    /// <summary>
    /// A row's indent, from its own style: the panel lists its rows anew each frame while the canvas changes, and a row
    /// replaced between finding and reading it has no computed style.
    /// </summary>
    private static async Task<double> IndentOfAsync(ILocator row) =>
        double.Parse((await row.EvaluateAsync<string>("r => r.style.paddingLeft")).Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture);

    private static Task EditorStepsDragAsync(IPage page, double x1, double y1, double x2, double y2) =>
        EditorSteps.DragAsync(page, (float)x1, (float)y1, (float)x2, (float)y2);

    private static double Number(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value.GetDouble() : 0;

    private async Task<IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    private static async Task ClickAsync(IPage page, double x, double y)
    {
        var (px, py) = await EditorSteps.OnPageAsync(page, (x, y));
        await page.Mouse.ClickAsync(px, py);
    }

    private static async Task DragAsync(IPage page, (double X, double Y) from, (double X, double Y) to)
    {
        var (x1, y1) = await EditorSteps.OnPageAsync(page, from);
        var (x2, y2) = await EditorSteps.OnPageAsync(page, to);
        await EditorSteps.DragAsync(page, x1, y1, x2, y2);
    }

    /// <summary>Draws with a tool's key from corner to corner, which leaves the new object selected.</summary>
    private static async Task DrawAsync(IPage page, string toolKey, double x, double y, double width, double height)
    {
        await page.Keyboard.PressAsync(toolKey);
        await DragAsync(page, (x, y), (x + width, y + height));
    }

    private Task<Dictionary<string, JsonElement>> SettledAsync(string canvas, Func<Dictionary<string, JsonElement>, bool> holds, string what) =>
        EditorSteps.SettledObjectsAsync(fixture.Server, canvas, holds, what);
}
