using CollabCanvas.Server.Tests.Infrastructure;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class EditorTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static async Task WaitOnlineAsync(IPage page) =>
        await page.Locator(".status[data-status=online]").WaitForAsync();

    [Fact]
    public async Task The_dashboard_invites_the_first_canvas_and_creates_one()
    {
        var page = await fixture.NewPageAsync("Alice");
        await page.GotoAsync("/");
        await page.GetByLabel("New canvas", new() { Exact = true }).FillAsync("Launch plan");
        var navigated = page.WaitForURLAsync("**/c/*", new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        try
        {
            await navigated;
        }
        catch (TimeoutException)
        {
            // Say what the page showed and what the server said, rather than only that it timed out.
            var alert = string.Join(" ", await page.Locator(".error").AllTextContentsAsync()); // what is there now, no waiting
            Assert.Fail($"no navigation to the new canvas; page at {page.Url} says \"{alert}\"; server:\n{fixture.Server.Output}");
        }
        await WaitOnlineAsync(page);
        await Assertions.Expect(page.Locator("h1.title")).ToHaveTextAsync("Launch plan");
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Launch plan" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_rectangle_drawn_in_one_browser_appears_in_the_other_with_the_drawers_cursor()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Two browsers");
        var alice = await fixture.NewPageAsync("Alice", canvas);
        var bob = await fixture.NewPageAsync("Bob", canvas);
        await alice.GotoAsync($"/c/{canvas}");
        await bob.GotoAsync($"/c/{canvas}");
        await WaitOnlineAsync(alice);
        await WaitOnlineAsync(bob);

        await alice.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(alice, 300, 200, 460, 320);
        await alice.Keyboard.PressAsync("t");
        await alice.Mouse.ClickAsync(320, 420);
        await alice.Locator("textarea.text-editor").WaitForAsync();
        await alice.Keyboard.TypeAsync("Hello from Alice");
        await alice.Keyboard.PressAsync("Control+Enter");
        await alice.Mouse.MoveAsync(640, 300);

        await Assertions.Expect(bob.Locator(".peers .avatar[aria-label=Alice]")).ToBeVisibleAsync();
        await EditorSteps.WaitSavedAsync(alice);
        var saved = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects");
        Assert.Equal(2, saved.EnumerateObject().Count());
        Assert.Contains("Hello from Alice", saved.GetRawText());
        var model = await EditorSteps.ExportedObjectsWhenAsync(bob, o => EditorSteps.Canonical(o) == EditorSteps.Canonical(saved), "Bob has what Alice drew");
        Assert.Equal(EditorSteps.Canonical(saved), EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(alice)));
        var rect = model.EnumerateObject().Single(o => o.Value.GetProperty("type").GetString() == "rect").Value;
        Assert.Equal(160, rect.GetProperty("width").GetDouble());
        Assert.Equal(120, rect.GetProperty("height").GetDouble());

        await bob.WaitForTimeoutAsync(300); // the cursor eases into place
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "editor-alice.png") });
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "editor-bob-with-alice-cursor.png") });

        await bob.ReloadAsync(); // reload keeps everything
        await WaitOnlineAsync(bob);
        Assert.Equal(EditorSteps.Canonical(model), EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(bob)));
    }
}

public class RecoveryTests
{
    [Fact]
    public async Task The_editor_survives_a_server_kill_and_sends_what_was_drawn_offline()
    {
        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        var server = await CollabCanvas.Server.Tests.Infrastructure.ServerProcess.StartAsync(null, CollabCanvas.Server.Tests.Infrastructure.ServerProcess.FreePort());
        try
        {
            var canvas = await server.CreateCanvasAsync("Crash test");
            var page = await fixture.NewPageAsync("Alice", canvas, server);
            await page.GotoAsync(new Uri(server.BaseUri, $"/c/{canvas}").ToString());
            await page.Locator(".status[data-status=online]").WaitForAsync();
            await page.Keyboard.PressAsync("r");
            await EditorSteps.DragAsync(page, 200, 200, 300, 300);
            await EditorSteps.WaitSavedAsync(page);

            await server.KillAsync();
            await page.Locator(".status[data-status=offline]").WaitForAsync();
            await page.Keyboard.PressAsync("o");
            await EditorSteps.DragAsync(page, 400, 200, 500, 300); // drawn while the server is down
            await Assertions.Expect(page.Locator(".status")).ToHaveTextAsync("Offline: 1 change not yet saved");
            await Assertions.Expect(page.Locator(".status")).ToHaveAttributeAsync("data-saved", "false");
            Assert.Equal(2, (await EditorSteps.ExportedObjectsAsync(page)).EnumerateObject().Count());

            await using var restarted = await server.RestartAsync();
            await page.Locator(".status[data-status=online]").WaitForAsync();
            await EditorSteps.WaitSavedAsync(page);
            var objects = (await restarted.DocumentAsync(canvas)).GetProperty("objects");
            Assert.Equal(["ellipse", "rect"], objects.EnumerateObject().Select(o => o.Value.GetProperty("type").GetString()).Order());
            await fixture.FinishTestAsync();
        }
        finally
        {
            await server.DisposeAsync();
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Undo_and_redo_take_back_and_restore_a_whole_drag()
    {
        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        try
        {
            var canvas = await fixture.Server.CreateCanvasAsync("Undo");
            var page = await fixture.NewPageAsync("Alice", canvas);
            await page.GotoAsync($"/c/{canvas}");
            await page.Locator(".status[data-status=online]").WaitForAsync();
            await page.Keyboard.PressAsync("r");
            await EditorSteps.DragAsync(page, 200, 200, 300, 300);
            await EditorSteps.DragAsync(page, 250, 250, 450, 350); // move it (a drag of many steps)
            var moved = EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page));
            Assert.Contains("\"x\":400", moved);

            await page.Keyboard.PressAsync("Control+z");
            Assert.Contains("\"x\":200", EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page)));
            await page.Keyboard.PressAsync("Control+z");
            Assert.Empty((await EditorSteps.ExportedObjectsAsync(page)).EnumerateObject());
            await page.Keyboard.PressAsync("Control+Shift+z");
            await page.Keyboard.PressAsync("Control+Shift+z");
            await EditorSteps.WaitSavedAsync(page);
            Assert.Equal(moved, EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page)));
            var document = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Single().Value;
            Assert.Equal(400, document.GetProperty("x").GetDouble());
            await fixture.FinishTestAsync();
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}

/// <summary>
/// What a person does in the editor, and what they (or the server) can see of the result: the status says when the
/// server has every change, the JSON export gives the objects this window has. Nothing reads the editor's internals.
/// </summary>
internal static class EditorSteps
{
    /// <summary>Where a canvas point is on the page at zoom 100% with no pan: measured each time, as the top bar may grow.</summary>
    public static async Task<(float X, float Y)> OnPageAsync(IPage page, (double X, double Y) point)
    {
        var stage = await page.Locator(".stage").BoundingBoxAsync() ?? throw new InvalidOperationException("no stage");
        return (stage.X + (float)point.X, stage.Y + (float)point.Y);
    }

    /// <summary>The colour of one CSS pixel at a canvas point, as the page shows it.</summary>
    public static async Task<(int R, int G, int B)> PixelAsync(IPage page, (double X, double Y) point)
    {
        var (x, y) = await OnPageAsync(page, point);
        var png = await page.ScreenshotAsync(new() { Clip = new() { X = (int)x, Y = (int)y, Width = 1, Height = 1 } });
        var pixel = Png.Decode(png)[0, 0];
        return (pixel.R, pixel.G, pixel.B);
    }

    /// <summary>Waits until the pixel at a canvas point has <paramref name="colour"/> (within a little); says what it had if never.</summary>
    public static async Task EventuallyPixelAsync(IPage page, (double X, double Y) point, (int R, int G, int B) colour, string what)
    {
        var seen = (R: -1, G: -1, B: -1);
        try
        {
            await Eventually.Until(async () =>
            {
                seen = await PixelAsync(page, point);
                return Math.Abs(seen.R - colour.R) + Math.Abs(seen.G - colour.G) + Math.Abs(seen.B - colour.B) < 24;
            }, what);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}: {seen} at {point}, expected {colour}");
        }
    }

    /// <summary>Waits until the server's objects (by id) satisfy <paramref name="holds"/>; says what they were if they never do.</summary>
    public static async Task<Dictionary<string, JsonElement>> SettledObjectsAsync(ServerProcess server, string canvas,
        Func<Dictionary<string, JsonElement>, bool> holds, string what)
    {
        var objects = new Dictionary<string, JsonElement>();
        try
        {
            await Eventually.Until(async () =>
            {
                objects = (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.Clone());
                return holds(objects);
            }, what);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}; the server has {JsonSerializer.Serialize(objects)}");
        }
        return objects;
    }

    public static async Task DragAsync(Microsoft.Playwright.IPage page, float x1, float y1, float x2, float y2)
    {
        await page.Mouse.MoveAsync(x1, y1);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x2, y2, new() { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    /// <summary>
    /// Waits until the server has acknowledged every change of this window (the status's <c>data-saved</c>). A gesture
    /// or key marks the change unsaved before the input event returns, so this cannot pass on an earlier state.
    /// </summary>
    public static Task WaitSavedAsync(IPage page) => page.Locator(".status[data-saved=true]").WaitForAsync();

    /// <summary>The objects this window has, by id, as Export → JSON writes them; the canvas has the focus again after.</summary>
    public static async Task<JsonElement> ExportedObjectsAsync(IPage page)
    {
        using var json = JsonDocument.Parse(await ExportAsync(page, "JSON"));
        return json.RootElement.GetProperty("objects").Clone();
    }

    /// <summary>
    /// What Export → <paramref name="format"/> (PNG, SVG or JSON) downloads; kept beside the screenshots as
    /// <paramref name="name"/> when given. The canvas has the focus again after.
    /// </summary>
    public static async Task<byte[]> ExportAsync(IPage page, string format, string? name = null)
    {
        // The menu may still be open from an import (which leaves it open): a click on its button would close it.
        if (await page.Locator("details.menu[open]").CountAsync() == 0)
            await page.GetByLabel("Export and import").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = format, Exact = true }).ClickAsync());
        await using var file = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        if (name is not null) await File.WriteAllBytesAsync(Path.Combine(BrowserFixture.Screenshots, $"{name}.{format.ToLowerInvariant()}"), bytes.ToArray());
        await page.Locator(".stage").FocusAsync(); // where a person would click to go on with the keys
        return bytes.ToArray();
    }

    /// <summary>Exports until the objects meet <paramref name="condition"/> (another window's change on its way); returns them.</summary>
    public static async Task<JsonElement> ExportedObjectsWhenAsync(IPage page, Func<JsonElement, bool> condition, string what)
    {
        JsonElement objects = default;
        await Eventually.Until(async () => condition(objects = await ExportedObjectsAsync(page)), what);
        return objects;
    }

    /// <summary>A JSON value with the properties of every object in name order: equal for equal documents, whoever wrote them.</summary>
    public static string Canonical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", value.EnumerateArray().Select(Canonical)) + "]",
        _ => value.GetRawText(),
    };
}

public class ExportAndConcurrencyTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private async Task<Microsoft.Playwright.IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task PNG_export_is_a_valid_image_twice_the_size_of_the_drawing()
    {
        var page = await OpenAsync(await fixture.Server.CreateCanvasAsync("Export"), "Alice");
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 200, 200, 300, 280); // 100 × 80
        await page.Keyboard.PressAsync("Escape");
        await page.GetByLabel("Export and import").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "PNG" }).ClickAsync());
        var path = Path.Combine(BrowserFixture.Screenshots, "export.png");
        await download.SaveAsAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        int BigEndian(int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
        Assert.Equal(200, BigEndian(16)); // IHDR width
        Assert.Equal(160, BigEndian(20)); // IHDR height
    }

    [Fact]
    public async Task A_JSON_export_imported_into_another_canvas_reproduces_it()
    {
        var source = await OpenAsync(await fixture.Server.CreateCanvasAsync("Source"), "Alice");
        await source.Keyboard.PressAsync("f");
        await EditorSteps.DragAsync(source, 100, 100, 500, 400);
        await source.Keyboard.PressAsync("o");
        await EditorSteps.DragAsync(source, 150, 150, 250, 250);
        await source.Keyboard.PressAsync("Escape");
        await source.GetByLabel("Export and import").ClickAsync();
        var download = await source.RunAndWaitForDownloadAsync(() => source.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "JSON" }).ClickAsync());
        var file = Path.Combine(BrowserFixture.Screenshots, "export.json");
        await download.SaveAsAsync(file);

        var targetCanvas = await fixture.Server.CreateCanvasAsync("Target");
        var target = await OpenAsync(targetCanvas, "Alice");
        await target.GetByLabel("Export and import").ClickAsync();
        await target.Locator(".import input").SetInputFilesAsync(file);
        var imported = await EditorSteps.ExportedObjectsWhenAsync(target, o => o.EnumerateObject().Count() == 2, "the file's two objects are added");
        await EditorSteps.WaitSavedAsync(target);
        static string Shape(JsonElement objects) => string.Join(";", objects.EnumerateObject()
            .Select(o => $"{o.Value.GetProperty("type")}@{o.Value.GetProperty("x")},{o.Value.GetProperty("y")},{(o.Value.TryGetProperty("parentId", out _) ? "child" : "root")}").Order());
        Assert.Equal(Shape(await EditorSteps.ExportedObjectsAsync(source)), Shape(imported));
        Assert.Equal(Shape(imported), Shape((await fixture.Server.DocumentAsync(targetCanvas)).GetProperty("objects")));
    }

    [Fact]
    public async Task Two_people_dragging_the_same_shape_at_once_converge()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Tug of war");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await alice.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(alice, 300, 300, 400, 400);
        await EditorSteps.ExportedObjectsWhenAsync(bob, o => o.EnumerateObject().Count() == 1, "Bob has Alice's rectangle");
        await bob.Mouse.ClickAsync(350, 350);

        await Task.WhenAll(EditorSteps.DragAsync(alice, 350, 350, 600, 350), EditorSteps.DragAsync(bob, 350, 350, 350, 600));
        foreach (var page in new[] { alice, bob })
            await EditorSteps.WaitSavedAsync(page);
        // Each has its own batches acknowledged; the other's may still be on the way: both come to the server's document.
        var expected = EditorSteps.Canonical((await fixture.Server.DocumentAsync(canvas)).GetProperty("objects"));
        foreach (var page in new[] { alice, bob })
            await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == expected, "the window comes to the server's document");
    }
}

public class SelectionTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    [Fact]
    public async Task A_dragged_shape_snaps_to_another_ones_edge_and_a_marquee_selects_both()
    {
        var snapping = await fixture.Server.CreateCanvasAsync("Snapping");
        var page = await fixture.NewPageAsync("Alice", snapping);
        await page.GotoAsync($"/c/{snapping}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 100, 150, 250, 250);
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 400, 300, 500, 380);
        // Left edge to 103: 3 px from the other's 100. Mid-drag, the guide is on screen: a dashed red line down x = 100,
        // far below both boxes too.
        await page.Mouse.MoveAsync(450, 340);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(153, 440, new() { Steps = 8 });
        static bool EdgeGuide(Rgba p) => p.R - p.G > 50 && Math.Abs(p.B - p.G) < 25;
        async Task<bool> GuideAtAsync(int x) =>
            Png.Decode(await page.ScreenshotAsync(new() { Clip = new() { X = x - 1, Y = 600, Width = 3, Height = 40 } })).Region(0, 0, 3, 40).Any(EdgeGuide);
        await Eventually.Until(() => GuideAtAsync(100), "the edge guide at x = 100 while dragging");
        Assert.False(await GuideAtAsync(103), "no guide where the edge would have been unsnapped");
        await page.Mouse.UpAsync();
        await Eventually.Until(async () => !await GuideAtAsync(100), "the guide goes with the drag");

        await EditorSteps.WaitSavedAsync(page);
        var xs = (await fixture.Server.DocumentAsync(snapping)).GetProperty("objects").EnumerateObject().Select(o => o.Value.GetProperty("x").GetDouble()).ToArray();
        Assert.Equal([100.0, 100.0], xs);

        await page.Keyboard.PressAsync("Escape");
        await EditorSteps.DragAsync(page, 60, 100, 700, 700);
        await Assertions.Expect(page.Locator(".properties h2")).ToHaveTextAsync("2 rectangles");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "marquee.png") });
    }

    [Fact]
    public async Task A_shape_dragged_near_equal_spacing_snaps_to_it_and_the_gaps_are_marked_on_screen()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Spacing");
        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        foreach (var (x1, y1, x2, y2) in new[] { (100, 200, 200, 300), (300, 200, 400, 300), (600, 220, 700, 320) })
        {
            await page.Keyboard.PressAsync("r");
            await EditorSteps.DragAsync(page, x1, y1, x2, y2);
        }
        // The last box, 20 lower than the row (no edge or centre lines up), dragged to 3 px short of the row's gap of 100.
        await page.Mouse.MoveAsync(650, 270);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(553, 270, new() { Steps = 8 });

        // Mid-drag, a segment in the spacing guide's colour spans each equal gap: between the row's two boxes (at the
        // row's middle, y 250) and between the second and the dragged one (where they overlap, y 260).
        static bool SpacingGuide(Rgba p) => p.R - p.G > 60 && p.B - p.G > 25; // pink: the edge guides are red (B ≈ G)
        async Task<bool> MarkedAsync(int x, int y) =>
            Png.Decode(await page.ScreenshotAsync(new() { Clip = new() { X = x, Y = y - 3, Width = 1, Height = 7 } })).Region(0, 0, 1, 7).Any(SpacingGuide);
        await Eventually.Until(async () => await MarkedAsync(450, 260) && await MarkedAsync(250, 250), "the equal gaps marked while dragging");
        Assert.False(await MarkedAsync(550, 240), "nothing marked inside the dragged box");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "equal-spacing-guides.png") });
        await page.Mouse.UpAsync();
        await EditorSteps.WaitSavedAsync(page);

        var xs = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject()
            .OrderBy(o => o.Value.GetProperty("y").GetDouble()).Select(o => o.Value.GetProperty("x").GetDouble()).ToList();
        Assert.Equal(500.0, xs[^1]); // the dragged one, the lowest: its gap to the second is the row's 100
        Assert.False(await MarkedAsync(450, 260), "the guides go with the drag");
    }
}

public class ClusterEditorTests
{
    [Fact]
    public async Task Two_browsers_behind_nginx_on_two_instances_collaborate_without_noticing()
    {
        await using var cluster = await CollabCanvas.Server.Tests.Infrastructure.LocalCluster.StartAsync(2);
        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        try
        {
            using var http = (await CollabCanvas.Server.Tests.Infrastructure.ServerProcess.SignInAsync(cluster.Proxy,
                CollabCanvas.Server.Tests.Infrastructure.ServerProcess.TestUser)).Http;
            var created = await http.PostAsync("/api/canvases", new StringContent("""{"name":"Behind nginx"}""", System.Text.Encoding.UTF8, "application/json"));
            var canvas = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            var pages = new List<IPage>();
            foreach (var name in new[] { "Alice", "Bob" })
            {
                var page = await fixture.NewPageAsync(name, canvas, baseUri: cluster.Proxy);
                await page.GotoAsync(new Uri(cluster.Proxy, $"/c/{canvas}").ToString());
                await page.Locator(".status[data-status=online]").WaitForAsync();
                pages.Add(page);
            }
            await pages[0].Keyboard.PressAsync("r");
            await EditorSteps.DragAsync(pages[0], 200, 200, 320, 300);
            await pages[1].Keyboard.PressAsync("o");
            await EditorSteps.DragAsync(pages[1], 400, 200, 500, 300);
            foreach (var page in pages)
                await EditorSteps.WaitSavedAsync(page);
            // Both have everything acknowledged; each may still be on its way to the other: both come to the document.
            var document = (await http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/document")).GetProperty("objects");
            Assert.Equal(2, document.EnumerateObject().Count());
            foreach (var page in pages)
                await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == EditorSteps.Canonical(document), "the window has both shapes");
            await Assertions.Expect(pages[0].Locator(".peers .avatar[aria-label=Bob]")).ToBeVisibleAsync();
            await fixture.FinishTestAsync();
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
