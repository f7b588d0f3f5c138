using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// A canvas big enough (3,000 objects) that the editor draws it from a bitmap around the view and builds nodes lazily
/// (docs/architecture.md, "Big canvases"): what a peer changes, restacks, hides or deletes shows on screen, panning past the
/// bitmap's edge shows what lies there, and a shape reached by panning can be dragged.
/// </summary>
public class BigCanvasTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private const string Red = "#fa5252", Blue = "#228be6", Grey = "#868e96", Canvas = "#fbfbfc"; // Canvas: the light theme's

    [Fact]
    public async Task On_a_canvas_of_3000_objects_a_peers_changes_show_and_a_shape_far_away_can_be_dragged()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Big");
        await using var peer = await CanvasClient.ConnectAsync(fixture.Server, canvas, "Peer");
        static object Put(string id, object props) => new { op = "put", id, props };
        // Two squares near the corner, blue over red; a grid of grey squares from y = 600 down (60 units apart).
        await peer.SendOpsAsync("pair", JsonSerializer.Serialize(new[]
        {
            Put("red", new { type = "rect", x = 100, y = 100, width = 80, height = 80, fill = Red, z = "V1" }),
            Put("blue", new { type = "rect", x = 140, y = 140, width = 80, height = 80, fill = Blue, z = "V2" }),
        }));
        for (var first = 0; first < 3000; first += 500)
        {
            await peer.SendOpsAsync($"grid{first}", JsonSerializer.Serialize(Enumerable.Range(first, 500).Select(i =>
                Put($"g{i:D4}", new { type = "rect", x = i % 50 * 60, y = 600 + i / 50 * 60, width = 40, height = 40, fill = Grey, z = $"U{i:D4}" }))));
        }
        await peer.AckAsync("grid2500");

        var page = await fixture.NewPageAsync("Alice", canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await PixelAsync(page, 120, 120, Red, "the red square");
        await PixelAsync(page, 200, 200, Blue, "the blue square");
        await PixelAsync(page, 170, 170, Blue, "blue over red where they overlap");

        await peer.SendOpsAsync("restack", JsonSerializer.Serialize(new[] { Put("red", new { z = "W" }) }));
        await PixelAsync(page, 170, 170, Red, "red over blue once the peer brought it to the front");
        await peer.SendOpsAsync("move", JsonSerializer.Serialize(new[] { Put("blue", new { x = 500, y = 100 }) }));
        await PixelAsync(page, 540, 140, Blue, "the blue square where the peer moved it");
        await PixelAsync(page, 210, 210, Canvas, "the canvas where the blue square was");
        await peer.SendOpsAsync("hide", JsonSerializer.Serialize(new[] { Put("blue", new { hidden = true }) }));
        await PixelAsync(page, 540, 140, Canvas, "the canvas where the peer hid the blue square");
        await peer.SendOpsAsync("show", JsonSerializer.Serialize(new[] { Put("blue", new { hidden = (bool?)null }) }));
        await PixelAsync(page, 540, 140, Blue, "the blue square shown again");
        await peer.SendOpsAsync("delete", JsonSerializer.Serialize(new[] { new { op = "delete", id = "red" } }));
        await PixelAsync(page, 120, 120, Canvas, "the canvas where the deleted red square was");

        // Pan down by 1,500 units (well past the bitmap's region around the first view), in wheel steps.
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(stage.X + 400, stage.Y + 300);
        for (var i = 0; i < 15; i++) await page.Mouse.WheelAsync(0, 100);
        // Grid square g1250 (row 25, column 0) is at canvas (0, 2100), now at screen (0, 600): its middle at (20, 620).
        await PixelAsync(page, 20, 620, Grey, "a grey square that came into view");
        await EditorSteps.DragAsync(page, stage.X + 20, stage.Y + 620, stage.X + 120, stage.Y + 620);
        await Eventually.Until(async () =>
        {
            var moved = (await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").GetProperty("g1250");
            return moved.GetProperty("x").GetDouble() == 100 && moved.GetProperty("y").GetDouble() == 2100;
        }, "the dragged square at x = 100 on the server");
        await PixelAsync(page, 120, 620, Grey, "the dragged square where it was dropped");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "big-canvas-panned.png") });
    }

    /// <summary>Waits until the canvas's pixel at (x, y) (stage coordinates) has the colour.</summary>
    private static async Task PixelAsync(IPage page, float x, float y, string colour, string what)
    {
        var stage = (await page.Locator(".stage").BoundingBoxAsync())!;
        Rgba seen = default;
        try
        {
            await Eventually.Until(async () =>
            {
                seen = Png.Decode(await page.ScreenshotAsync())[(int)(stage.X + x), (int)(stage.Y + y)];
                return seen.DistanceTo(Rgba.Parse(colour)) <= 8;
            }, what);
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "big-canvas-last-seen.png") });
            throw new TimeoutException($"{what}: the pixel at ({x}, {y}) stayed {seen}, not {colour}");
        }
    }
}
