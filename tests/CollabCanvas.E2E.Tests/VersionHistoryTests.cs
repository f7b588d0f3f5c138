using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// The History panel (docs/version-history.md) as people use it: save a named version, view an older version read-only
/// on the canvas and come back, restore one (one batch for everyone, one undo step for whoever restored it, also while
/// another window keeps drawing), duplicate one as a new canvas; a viewer looks but cannot restore; the flag hides it.
/// </summary>
public class VersionHistoryTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private const string Red = "#e03131";

    /// <summary>A red 100 × 100 square at (100, 100) put by a socket client, and the page of an editor on it.</summary>
    private async Task<(string Canvas, IPage Page)> CanvasWithRedSquareAsync(string name, string person)
    {
        var canvas = await fixture.Server.CreateCanvasAsync(name);
        await using (var drawer = await CanvasClient.ConnectAsync(fixture.Server, canvas))
        {
            await drawer.SendOpsAsync("r1", Batch.Of(Batch.Put("box", new { type = "rect", x = 100, y = 100, width = 100, height = 100, fill = Red })));
            await drawer.AckAsync("r1");
        }
        return (canvas, await OpenAsync(canvas, person));
    }

    private async Task<IPage> OpenAsync(string canvas, string person, ServerProcess? server = null)
    {
        var page = await fixture.NewPageAsync(person, canvas, server);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    private async Task<string> ServerObjectsAsync(string canvas, ServerProcess? server = null) =>
        EditorSteps.Canonical((await (server ?? fixture.Server).DocumentAsync(canvas)).GetProperty("objects"));

    private static async Task SaveVersionAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version…" }).ClickAsync();
        await page.GetByLabel("Version name").FillAsync(name);
        await page.GetByLabel("Version name").PressAsync("Enter");
        await Assertions.Expect(Row(page, name)).ToBeVisibleAsync();
    }

    private static ILocator Row(IPage page, string name) => page.Locator(".version", new() { HasText = name });
    private static ILocator Banner(IPage page) => page.Locator(".version-banner");

    [Fact]
    public async Task A_saved_version_is_viewed_read_only_and_restored_exactly_and_one_undo_takes_the_restore_back()
    {
        var (canvas, page) = await CanvasWithRedSquareAsync("Versions", "Alice");
        var background = await EditorSteps.PixelAsync(page, (700, 500));
        await page.Keyboard.PressAsync("Control+Alt+h");
        await Assertions.Expect(page.GetByRole(AriaRole.Complementary, new() { Name = "Version history" })).ToBeVisibleAsync();
        await SaveVersionAsync(page, "Before the move");
        var saved = await ServerObjectsAsync(canvas);
        // Its thumbnail is the square: a red rect drawn from the version's state.
        await Assertions.Expect(Row(page, "Before the move").Locator($".version-thumb svg rect[fill='{Red}']")).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, "Before the move")).ToContainTextAsync("Alice");

        var (fromX, fromY) = await EditorSteps.OnPageAsync(page, (150, 150));
        await EditorSteps.DragAsync(page, fromX, fromY, fromX + 300, fromY);
        await EditorSteps.WaitSavedAsync(page);
        var moved = await ServerObjectsAsync(canvas);
        Assert.NotEqual(saved, moved);
        await EditorSteps.EventuallyPixelAsync(page, (450, 150), (0xe0, 0x31, 0x31), "the square where it was dragged");

        // Viewing the version: the square where it was, nothing where it is now, and a banner that says so.
        await Row(page, "Before the move").ClickAsync();
        await Assertions.Expect(Banner(page)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Viewing version “Before the move” — read only"));
        await EditorSteps.EventuallyPixelAsync(page, (150, 150), (0xe0, 0x31, 0x31), "the square where the version has it");
        await EditorSteps.EventuallyPixelAsync(page, (450, 150), background, "nothing where the live square is");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "version-preview.png") });
        // Nothing edits while it shows: a drag of the square, a rectangle drawn, Delete.
        await EditorSteps.DragAsync(page, fromX, fromY, fromX, fromY + 200);
        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, fromX + 400, fromY + 200, fromX + 500, fromY + 300);
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.PressAsync("Delete");
        await EditorSteps.WaitSavedAsync(page);
        Assert.Equal(moved, await ServerObjectsAsync(canvas));

        // Esc: the live canvas again.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(Banner(page)).ToBeHiddenAsync();
        await EditorSteps.EventuallyPixelAsync(page, (450, 150), (0xe0, 0x31, 0x31), "the live square again");
        await EditorSteps.EventuallyPixelAsync(page, (150, 150), background, "nothing where the version had it");

        // Restore: the canvas is exactly the version, on the server and in the window.
        await Row(page, "Before the move").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore this version" }).ClickAsync();
        await Assertions.Expect(Banner(page)).ToBeHiddenAsync();
        await Eventually.Until(async () => await ServerObjectsAsync(canvas) == saved, "the server has the version's objects");
        await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == saved, "the window has the version's objects");
        await EditorSteps.EventuallyPixelAsync(page, (150, 150), (0xe0, 0x31, 0x31), "the restored square");

        // One Ctrl+Z: the restore is undone as one step, live.
        await page.Keyboard.PressAsync("Control+z");
        await EditorSteps.WaitSavedAsync(page);
        await Eventually.Until(async () => await ServerObjectsAsync(canvas) == moved, "the server has the canvas as before the restore");
        await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == moved, "the window has the canvas as before the restore");
    }

    [Fact]
    public async Task A_restore_while_another_window_keeps_drawing_converges_and_one_undo_takes_it_back()
    {
        var (canvas, alice) = await CanvasWithRedSquareAsync("Restore under edits", "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Version history" }).ClickAsync();
        await SaveVersionAsync(alice, "Just the square");
        var saved = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").Clone();

        // Alice moves the square and draws an ellipse after the version.
        var (x, y) = await EditorSteps.OnPageAsync(alice, (150, 150));
        await EditorSteps.DragAsync(alice, x, y, x + 200, y + 100);
        await alice.Keyboard.PressAsync("o");
        await EditorSteps.DragAsync(alice, x - 50, y + 250, x + 50, y + 330);
        await EditorSteps.WaitSavedAsync(alice);
        var beforeRestore = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").Clone();
        var alicesIds = beforeRestore.EnumerateObject().Select(o => o.Name).ToList();
        Assert.Equal(2, alicesIds.Count);

        // Bob draws rectangles one after another while Alice restores.
        var (bx, by) = await EditorSteps.OnPageAsync(bob, (700, 100));
        async Task BobDrawsAsync()
        {
            for (var i = 0; i < 6; i++)
            {
                await bob.Keyboard.PressAsync("r");
                await EditorSteps.DragAsync(bob, bx + (i % 3) * 110, by + (i / 3) * 110, bx + (i % 3) * 110 + 80, by + (i / 3) * 110 + 80);
            }
        }
        async Task AliceRestoresAsync()
        {
            await Row(alice, "Just the square").ClickAsync();
            await alice.GetByRole(AriaRole.Button, new() { Name = "Restore this version" }).ClickAsync();
            await Assertions.Expect(Banner(alice)).ToBeHiddenAsync();
        }
        await Task.WhenAll(BobDrawsAsync(), AliceRestoresAsync());
        foreach (var page in new[] { alice, bob }) await EditorSteps.WaitSavedAsync(page);

        // Both windows come to the server's document: the square as the version has it, the ellipse gone.
        async Task<JsonElement> ConvergedAsync(string what)
        {
            var expected = await ServerObjectsAsync(canvas);
            foreach (var page in new[] { alice, bob })
                await EditorSteps.ExportedObjectsWhenAsync(page, o => EditorSteps.Canonical(o) == expected, $"{what}: the window comes to the server's document");
            return (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").Clone();
        }
        var restored = await ConvergedAsync("after the restore");
        Assert.Equal(EditorSteps.Canonical(saved.GetProperty("box")), EditorSteps.Canonical(restored.GetProperty("box")));
        var ellipse = alicesIds.Single(id => id != "box");
        Assert.False(restored.TryGetProperty(ellipse, out _), "the ellipse drawn after the version is gone");

        // One Ctrl+Z in Alice's window: the square moved and the ellipse, as before the restore.
        await alice.Locator(".stage").FocusAsync();
        await alice.Keyboard.PressAsync("Control+z");
        await EditorSteps.WaitSavedAsync(alice);
        await Eventually.Until(async () =>
        {
            var objects = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects");
            return alicesIds.All(id => objects.TryGetProperty(id, out var now) && EditorSteps.Canonical(now) == EditorSteps.Canonical(beforeRestore.GetProperty(id)));
        }, "one undo brings back the square's move and the ellipse");
        var undone = await ConvergedAsync("after the undo");
        // Bob's rectangles drawn after the restore are still there.
        Assert.True(undone.EnumerateObject().Count() > 2, JsonSerializer.Serialize(undone));
    }

    [Fact]
    public async Task A_viewer_sees_the_versions_but_cannot_restore_and_sees_none_when_the_owner_hides_history()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Viewed history");
        await using (var drawer = await CanvasClient.ConnectAsync(fixture.Server, canvas))
        {
            await drawer.SendOpsAsync("r1", Batch.Of(Batch.Put("box", new { type = "rect", x = 100, y = 100, width = 100, height = 100, fill = Red })));
            await drawer.AckAsync("r1");
        }
        (await fixture.Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/versions", new { name = "Draft one" })).EnsureSuccessStatusCode();
        (await fixture.Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "vivian@example.test", role = "viewer" }))
            .EnsureSuccessStatusCode();
        var vivian = await fixture.NewPageAsync("Vivian"); // accepts the viewer invitation as she signs in
        await vivian.GotoAsync($"/c/{canvas}");
        await Assertions.Expect(vivian.GetByText("View only")).ToBeVisibleAsync();

        await vivian.GetByRole(AriaRole.Button, new() { Name = "Version history" }).ClickAsync();
        await Row(vivian, "Draft one").ClickAsync();
        await Assertions.Expect(Banner(vivian)).ToContainTextAsync("read only");
        await Assertions.Expect(vivian.GetByRole(AriaRole.Button, new() { Name = "Duplicate as new canvas" })).ToBeVisibleAsync();
        await Assertions.Expect(vivian.GetByRole(AriaRole.Button, new() { Name = "Restore this version" })).ToBeHiddenAsync();
        await Assertions.Expect(vivian.GetByRole(AriaRole.Button, new() { Name = "Save version…" })).ToBeHiddenAsync();

        // Duplicate: a new canvas of Vivian's own, with the version's objects, opened.
        var version = EditorSteps.Canonical((await fixture.Server.DocumentAsync(canvas)).GetProperty("objects"));
        await vivian.GetByRole(AriaRole.Button, new() { Name = "Duplicate as new canvas" }).ClickAsync();
        await vivian.WaitForURLAsync(url => url.Contains("/c/", StringComparison.Ordinal) && !url.Contains(canvas, StringComparison.Ordinal));
        await vivian.Locator(".status[data-status=online]").WaitForAsync();
        var copy = vivian.Url.Split("/c/")[1];
        await EditorSteps.ExportedObjectsWhenAsync(vivian, o => EditorSteps.Canonical(o) == version, "the copy holds the version's objects");
        await Assertions.Expect(vivian.Locator(".share-button")).ToBeVisibleAsync(); // she owns it
        Assert.NotEqual(canvas, copy);

        // The owner hides history from viewers: the panel says so and lists nothing.
        (await fixture.Server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/history/settings",
            new { retentionDays = (int?)null, viewersSeeHistory = false, linksSeeHistory = false })).EnsureSuccessStatusCode();
        await vivian.GotoAsync($"/c/{canvas}");
        await vivian.Locator(".status[data-status=online]").WaitForAsync();
        await vivian.GetByRole(AriaRole.Button, new() { Name = "Version history" }).ClickAsync();
        await Assertions.Expect(vivian.Locator(".history-error")).ToContainTextAsync("does not show this canvas's history to viewers");
        await Assertions.Expect(vivian.Locator(".version")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task With_the_flag_off_there_is_no_history_panel()
    {
        var (_, page) = await CanvasWithRedSquareAsync("No history", "Alice");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Version history" })).ToBeVisibleAsync();
        try
        {
            await fixture.Server.SetFlagsAsync(new { VersionHistory = false });
            await page.ReloadAsync();
            await page.Locator(".status[data-status=online]").WaitForAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Version history" })).ToHaveCountAsync(0);
            await page.Locator(".stage").FocusAsync();
            await page.Keyboard.PressAsync("Control+Alt+h");
            await Assertions.Expect(page.Locator(".history")).ToHaveCountAsync(0);
            // Nor does the ? panel offer a key that does nothing.
            await page.Keyboard.PressAsync("?");
            var shortcuts = page.GetByRole(AriaRole.Complementary, new() { Name = "Keyboard shortcuts" });
            await Assertions.Expect(shortcuts).ToContainTextAsync("Undo");
            await Assertions.Expect(shortcuts).Not.ToContainTextAsync("version history");
        }
        finally
        {
            await fixture.Server.SetFlagsAsync(new { VersionHistory = true });
        }
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Version history" })).ToBeVisibleAsync();
    }
    /// <summary>
    /// A board that changed over an afternoon: named versions saved by two people and automatic ones after bursts of
    /// edits (a server whose quiet is 2 s), each with its thumbnail; one is viewed. The picture is docs/images/version-history.png.
    /// </summary>
    [Fact]
    public async Task The_panel_lists_named_and_automatic_versions_with_their_thumbnails()
    {
        await using var server = await ServerProcess.StartAsync(null, ("History:AutoVersionQuietSeconds", "2"));
        var canvas = await server.CreateCanvasAsync("Launch plan");
        (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "maya@example.test", role = "editor" })).EnsureSuccessStatusCode();
        var (maya, _) = await ServerProcess.SignInAsync(server.BaseUri, "maya@example.test", ServerProcess.TestPassword, "Maya Lin");
        using var _maya = maya;
        await using var board = await CanvasClient.ConnectAsync(server, canvas);
        var batches = 0;
        async Task ChangeAsync(params object[] ops)
        {
            var reference = $"b{++batches}";
            await board.SendOpsAsync(reference, Batch.Of(ops));
            await board.AckAsync(reference);
        }
        async Task<JsonElement[]> VersionsAsync() => [.. (await server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/versions")).EnumerateArray()];
        async Task AutoVersionAsync(int count) =>
            await Eventually.Until(async () => (await VersionsAsync()).Count(v => v.GetProperty("kind").GetString() == "auto") == count, "an automatic version after the quiet");

        object Column(string id, int x, string name) => Batch.Put(id, new { type = "frame", x, y = 40, width = 290, height = 520, name, z = $"a{x}" });
        object Card(string id, string column, int x, int y, string fill) => Batch.Put(id, new
        {
            type = "rect", x, y, width = 250, height = 72, fill, cornerRadius = 10, parentId = column, z = $"b{id}",
        });
        object Label(string id, string column, int x, int y, string text) => Batch.Put(id, new
        {
            type = "text", x = x + 14, y = y + 14, width = 222, text, fontSize = 16, parentId = column, z = $"c{id}",
        });
        object[] Sticky(string id, string column, int x, int y, string fill, string text) => [Card(id, column, x, y, fill), Label($"{id}t", column, x, y, text)];
        object[] Move(string id, string column, int x, int y) =>
            [Batch.Put(id, new { x, y, parentId = column }), Batch.Put($"{id}t", new { x = x + 14, y = y + 14, parentId = column })];

        await ChangeAsync([Column("todo", 40, "To do"), Column("doing", 350, "Doing"), Column("done", 660, "Done"),
            .. Sticky("copy", "todo", 60, 90, "#ffec99", "Landing page copy"), .. Sticky("press", "todo", 60, 180, "#a5d8ff", "Press kit"),
            .. Sticky("price", "todo", 60, 270, "#ffc9c9", "Pricing table"), .. Sticky("demo", "doing", 370, 90, "#b2f2bb", "Demo video script")]);
        (await maya.PostAsJsonAsync($"/api/canvases/{canvas}/versions", new { name = "Kick-off board" })).EnsureSuccessStatusCode();
        await ChangeAsync([.. Move("copy", "doing", 370, 180), .. Sticky("faq", "todo", 60, 90, "#d0bfff", "FAQ for support")]);
        await AutoVersionAsync(1);
        await ChangeAsync([.. Move("demo", "done", 680, 90), .. Move("press", "doing", 370, 90),
            Batch.Put("review", new { type = "text", x = 60, y = 600, text = "Client review: pricing needs a third tier", fontSize = 20, fill = "#e03131" })]);
        (await maya.PostAsJsonAsync($"/api/canvases/{canvas}/versions", new { name = "After the client review" })).EnsureSuccessStatusCode();
        await ChangeAsync([.. Move("price", "doing", 370, 270), .. Move("copy", "done", 680, 180), Batch.Delete("review"),
            .. Sticky("launch", "todo", 60, 180, "#ffd8a8", "Launch-day checklist")]);
        await AutoVersionAsync(2);

        var page = await OpenAsync(canvas, "Sam", server);
        await page.GetByRole(AriaRole.Button, new() { Name = "Version history" }).ClickAsync();
        await SaveVersionAsync(page, "Ready for launch");
        var rows = page.Locator(".version");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator(".version[data-kind=auto]")).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Ready for launch");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Sam");
        await Assertions.Expect(Row(page, "After the client review")).ToContainTextAsync("Maya Lin");
        await Assertions.Expect(page.Locator(".version-thumb svg")).ToHaveCountAsync(5);
        // Each thumbnail is its version: the review note is in one only, the checklist card in the newest two.
        await Assertions.Expect(page.Locator(".version-thumb svg", new() { HasText = "Client review" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".version-thumb svg", new() { HasText = "Launch-day checklist" })).ToHaveCountAsync(2);

        await Row(page, "After the client review").ClickAsync();
        await Assertions.Expect(Banner(page)).ToContainTextAsync("After the client review");
        await Assertions.Expect(page.Locator(".version[aria-current=true]")).ToContainTextAsync("After the client review");
        await page.Mouse.MoveAsync(1270, 790); // no tooltip over the picture
        await page.ScreenshotAsync(new() { Path = Path.Combine(ServerProcess.RepositoryRoot, "docs", "images", "version-history.png") });
    }
}
