using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// Version history in the editor (issue 17): playback replays the canvas's batches to exactly the server's document,
/// a jump of the scrubber shows the state the server has at that seq, and a selected object's history lists who
/// changed what (old → new) and the version each change belongs to. What the editor shows is read as a person (and
/// Export → JSON, which exports what is shown) sees it.
/// </summary>
public class PlaybackTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static object Put(string id, object props) => new { op = "put", id, props };

    [Fact]
    public async Task Playback_from_the_start_reaches_exactly_the_servers_document_and_a_jump_shows_the_state_at_that_seq()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Playback");
        await using var ann = await CanvasClient.ConnectAsync(fixture.Server, canvas, "Ann", cookies: await fixture.Server.MemberAsync(canvas, "Ann"));
        await using var ben = await CanvasClient.ConnectAsync(fixture.Server, canvas, "Ben", cookies: await fixture.Server.MemberAsync(canvas, "Ben"));
        // Two authors, 60 ms apart (played at 1× it lasts about as long): creations, a frame with children, moves of
        // the same shape by both, a restyle, a re-parent, a connector bound to two shapes, deletions (one of a frame,
        // which takes its child along).
        var batches = new List<(CanvasClient By, object[] Ops)>
        {
            (ann, [Put("frame", new { type = "frame", x = 40, y = 40, width = 500, height = 360, name = "Board", z = "a" })]),
            (ann, [Put("red", new { type = "rect", x = 80, y = 90, width = 120, height = 90, fill = "#fa5252", parentId = "frame", z = "b" })]),
            (ben, [Put("blue", new { type = "ellipse", x = 300, y = 120, width = 140, height = 100, fill = "#228be6", z = "c" })]),
            (ben, [Put("note", new { type = "text", x = 90, y = 260, text = "Ship it", fontSize = 24, z = "d" })]),
            (ann, [Put("link", new { type = "arrow", points = new[] { 0, 0, 10, 10 }, startBinding = new { id = "red", x = 1, y = 0.5 },
                endBinding = new { id = "blue", x = 0, y = 0.5 }, z = "e" })]),
            (ann, [Put("old", new { type = "frame", x = 700, y = 40, width = 200, height = 200, z = "f" }),
                Put("inside", new { type = "rect", x = 720, y = 60, width = 40, height = 40, parentId = "old", z = "g" })]),
        };
        for (var i = 0; i < 12; i++)
            batches.Add((i % 2 == 0 ? ben : ann, [Put("red", new { x = 80 + 10 * i, y = 90 + 5 * i })]));
        batches.Add((ben, [Put("red", new { fill = "#40c057", cornerRadius = 12 })]));
        batches.Add((ann, [Put("note", new { parentId = "frame", text = "Shipped" })]));
        batches.Add((ben, [new { op = "delete", id = "old" }]));
        batches.Add((ann, [Put("blue", new { x = 320, y = 200, rotation = 15 })]));
        batches.Add((ben, [Put("note", new { fontSize = null as int? })]));
        var seqs = new List<long>();
        for (var i = 0; i < batches.Count; i++)
        {
            var (by, ops) = batches[i];
            await by.SendOpsAsync($"b{i}", JsonSerializer.Serialize(ops));
            seqs.Add((await by.AckAsync($"b{i}")).GetProperty("seq").GetInt64());
            await Task.Delay(60);
        }
        var document = await fixture.Server.DocumentAsync(canvas);
        var last = seqs[^1];
        Assert.Equal(last, document.GetProperty("seq").GetInt64());

        var page = await fixture.NewPageAsync("Carol", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Playback", Exact = true }).ClickAsync();
        var position = page.Locator(".playback-position");
        await Expect(position).ToHaveTextAsync($"{last} / {last} · now");

        // From the start, at 1×: mid-way the scrubber is between the ends and the legend names both authors.
        await page.GetByLabel("Speed").SelectOptionAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".playback-legend")).ToHaveTextAsync("AnnBen");
        await page.WaitForTimeoutAsync(400);
        var midway = long.Parse((await page.Locator(".playback").GetAttributeAsync("data-seq"))!);
        Assert.InRange(midway, 1, last - 1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "playback-scrubber.png") });
        await Expect(position).ToHaveTextAsync($"{last} / {last} · now", new() { Timeout = 60_000 });
        Assert.Equal(EditorSteps.Canonical(document.GetProperty("objects")), EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page)));

        // A jump back: the state the server gives for that seq (the state after batch 10: before the restyle and the deletions).
        var jumpTo = seqs[9];
        await page.GetByLabel("Position in the canvas's history").FillAsync(jumpTo.ToString());
        await Expect(position).ToHaveTextAsync($"{jumpTo} / {last}"); // no longer loading (a state has no time or author to show)
        var state = await fixture.Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/history/state?seq={jumpTo}");
        Assert.Equal(jumpTo, state.GetProperty("seq").GetInt64());
        Assert.NotEqual(EditorSteps.Canonical(document.GetProperty("objects")), EditorSteps.Canonical(state.GetProperty("objects")));
        Assert.Equal(EditorSteps.Canonical(state.GetProperty("objects")), EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page)));

        // Closing playback shows the live canvas again, and edits work.
        await page.GetByRole(AriaRole.Button, new() { Name = "Close playback" }).ClickAsync();
        Assert.Equal(EditorSteps.Canonical(document.GetProperty("objects")), EditorSteps.Canonical(await EditorSteps.ExportedObjectsAsync(page)));
    }

    [Fact]
    public async Task A_selected_objects_history_lists_two_peoples_changes_with_their_versions_and_shows_one_in_playback()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Object history");
        var alice = await OpenAsync("Alice", canvas);
        var bob = await OpenAsync("Bob", canvas);

        await alice.Keyboard.PressAsync("r");
        var (x, y) = await EditorSteps.OnPageAsync(alice, (200, 200));
        await EditorSteps.DragAsync(alice, x, y, x + 100, y + 80);
        await EditorSteps.WaitSavedAsync(alice);
        var created = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Single();
        var id = created.Name;
        (await fixture.Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/versions", new { name = "Before Bob" })).EnsureSuccessStatusCode();

        // Bob moves it 150 to the right.
        await EditorSteps.ExportedObjectsWhenAsync(bob, o => o.TryGetProperty(id, out _), "Bob has Alice's rectangle");
        await EditorSteps.DragAsync(bob, x + 50, y + 40, x + 200, y + 40);
        await EditorSteps.WaitSavedAsync(bob);
        var moved = (await EditorSteps.SettledObjectsAsync(fixture.Server, canvas,
            o => o[id].GetProperty("x").GetDouble() != created.Value.GetProperty("x").GetDouble(), "the move on the server"))[id];
        string Number(JsonElement o, string prop) => o.GetProperty(prop).GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);

        await EditorSteps.ExportedObjectsWhenAsync(alice, o => o.GetProperty(id).GetProperty("x").GetDouble() == moved.GetProperty("x").GetDouble(),
            "Alice sees Bob's move");
        await alice.Mouse.ClickAsync(x + 200, y + 40);
        var section = alice.GetByRole(AriaRole.Region, new() { Name = "History of the selected object" });
        await section.GetByText("History", new() { Exact = true }).ClickAsync();
        var entries = section.Locator(".object-change");
        await Expect(entries).ToHaveCountAsync(2);

        var bobs = entries.Nth(0); // the newest first
        await Expect(bobs.Locator("strong")).ToHaveTextAsync("Bob changed");
        await Expect(bobs.Locator(".object-change-props li")).ToHaveTextAsync([$"x: {Number(created.Value, "x")} → {Number(moved, "x")}"]);
        await Expect(bobs.Locator(".object-change-version")).ToHaveTextAsync("Not in a version yet");
        var alices = entries.Nth(1);
        await Expect(alices.Locator("strong")).ToHaveTextAsync("Alice created");
        await Expect(alices.Locator(".object-change-props")).ToContainTextAsync($"x: {Number(created.Value, "x")}");
        await Expect(alices.Locator(".object-change-props")).ToContainTextAsync("type: \"rect\"");
        await Expect(alices.Locator(".object-change-version")).ToHaveTextAsync("In version “Before Bob”");

        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "object-history.png") });

        // Alice's entry in playback: the rectangle where she drew it.
        var seq = long.Parse((await alices.GetAttributeAsync("data-seq"))!);
        await alices.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(alice.Locator(".playback-position")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{seq} / \\d+$"));
        var shown = await EditorSteps.ExportedObjectsAsync(alice);
        Assert.Equal(EditorSteps.Canonical(created.Value), EditorSteps.Canonical(shown.GetProperty(id)));
    }

    private async Task<IPage> OpenAsync(string name, string canvas)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }
}
