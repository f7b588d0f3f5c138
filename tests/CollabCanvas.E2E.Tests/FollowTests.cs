using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>Another person's cursor and view as this window shows them: following them, and their cursor at any zoom.</summary>
public class FollowTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    /// <summary>The default fill of a new rectangle: no person's colour is near it.</summary>
    private static readonly Rgba RectangleFill = Rgba.Parse("#4dabf7");

    private sealed record Box(int X, int Y, int Width, int Height)
    {
        public bool Near(Box other) =>
            Math.Abs(X - other.X) <= 2 && Math.Abs(Y - other.Y) <= 2 && Math.Abs(Width - other.Width) <= 2 && Math.Abs(Height - other.Height) <= 2;

        public Box Moved(int dx, int dy) => this with { X = X + dx, Y = Y + dy };
    }

    /// <summary>A screenshot of the canvas area of <paramref name="page"/>.</summary>
    private static async Task<Png> CanvasShotAsync(IPage page) => Png.Decode(await page.Locator(".stage").ScreenshotAsync());

    /// <summary>Where the rectangle shows in the canvas area (pixels from its top-left corner), or null when it does not.</summary>
    private static Box? RectangleIn(Png shot)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < shot.Height; y++)
            for (var x = 0; x < shot.Width; x++)
                if (shot[x, y].DistanceTo(RectangleFill) <= 12)
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        return right < 0 ? null : new Box(left, top, right - left + 1, bottom - top + 1);
    }

    private static async Task<Box?> RectangleOnScreenAsync(IPage page) => RectangleIn(await CanvasShotAsync(page));

    /// <summary>Waits until the rectangle shows in both windows at the same place and size; returns that box.</summary>
    private static async Task<Box> SameViewAsync(IPage follower, IPage followed)
    {
        Box? seen = null, shown = null;
        try
        {
            await Eventually.Until(async () =>
            {
                (seen, shown) = (await RectangleOnScreenAsync(follower), await RectangleOnScreenAsync(followed));
                return seen is not null && shown is not null && seen.Near(shown);
            }, "the follower sees the rectangle where the followed does");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen at {seen} against {shown}", e);
        }
        return shown!;
    }

    /// <summary>A person's colour, from their avatar in the top bar.</summary>
    private static async Task<Rgba> ColourOfAsync(ILocator avatar)
    {
        // rgb(r, g, b); nothing while the avatar is being replaced (the avatars are made again on each change of the peers).
        byte[] channels = [];
        await Eventually.Until(async () => (channels = Regex.Matches(await avatar.EvaluateAsync<string>("a => getComputedStyle(a).backgroundColor"), @"\d+")
            .Select(m => byte.Parse(m.Value)).ToArray()).Length >= 3, "the person's colour, from their avatar");
        return new Rgba(channels[0], channels[1], channels[2], 255);
    }

    private async Task<IPage> OpenAsync(string canvas, string name)
    {
        var page = await fixture.NewPageAsync(name, canvas);
        await page.GotoAsync($"/c/{canvas}");
        await page.Locator(".status[data-status=online]").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task Following_someone_shows_their_view_as_they_pan_and_zoom_until_you_move_your_own()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Follow");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        await bob.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(bob, 560, 360, 680, 440);
        await bob.Keyboard.PressAsync("Escape"); // no handles over the fill
        await Eventually.Until(async () => await RectangleOnScreenAsync(alice) is { Width: > 100 }, "Alice sees Bob's rectangle");
        var unzoomed = (await RectangleOnScreenAsync(bob))!;

        var bobsAvatar = alice.GetByRole(AriaRole.Button, new() { Name = "Bob" });
        await bobsAvatar.ClickAsync();
        await Assertions.Expect(bobsAvatar).ToHaveAttributeAsync("aria-pressed", "true");

        // Bob zooms in at the rectangle (Ctrl+wheel) and pans (wheel).
        await bob.Mouse.MoveAsync(620, 400);
        await bob.Keyboard.DownAsync("Control");
        await bob.Mouse.WheelAsync(0, -300);
        await bob.Keyboard.UpAsync("Control");
        await bob.Mouse.WheelAsync(150, 80);
        var followed = await SameViewAsync(alice, bob);
        Assert.True(followed.Width > unzoomed.Width * 2, $"Bob zoomed in: {unzoomed} then {followed}");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "follow-alice.png") });
        await bob.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "follow-bob.png") });

        // Alice moves her own view: she stops following, and her view is hers.
        await alice.Mouse.MoveAsync(640, 600);
        await alice.Mouse.WheelAsync(0, 120);
        await Assertions.Expect(bobsAvatar).ToHaveAttributeAsync("aria-pressed", "false");
        var own = followed.Moved(0, -120);
        Assert.True((await RectangleOnScreenAsync(alice))?.Near(own), $"Alice's wheel moved her view: {own} expected");

        // Bob pans again and selects the rectangle. The same presence brings his new view and his selection: once
        // Alice sees his selection (an outline in his colour along the top edge), she has his view, and did not follow.
        await bob.Mouse.WheelAsync(0, -200);
        Box? bobs = null;
        await Eventually.Until(async () => (bobs = await RectangleOnScreenAsync(bob)) is { } b && b.Near(followed.Moved(0, 200)), "Bob's view moved");
        var stage = (await bob.Locator(".stage").BoundingBoxAsync())!;
        await bob.Mouse.ClickAsync(stage.X + bobs!.X + bobs.Width / 2, stage.Y + bobs.Y + bobs.Height / 2);
        var bobsColour = await ColourOfAsync(bobsAvatar);
        Png? shot = null;
        await Eventually.Until(async () =>
        {
            shot = await CanvasShotAsync(alice);
            var outline = shot.Region(own.X, own.Y - 4, own.Width, 9).Count(p => p.DistanceTo(bobsColour) <= 24);
            return outline > own.Width / 3;
        }, "Alice sees Bob's selection");
        Assert.True(RectangleIn(shot!)?.Near(own), $"Alice's view stayed hers ({own}) while Bob panned: {RectangleIn(shot!)}");
        await Assertions.Expect(bobsAvatar).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task Another_persons_cursor_and_name_keep_their_size_on_screen_when_you_zoom()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Cursors");
        var alice = await OpenAsync(canvas, "Alice");
        var bob = await OpenAsync(canvas, "Bob");
        var bobsColour = await ColourOfAsync(alice.GetByRole(AriaRole.Button, new() { Name = "Bob" }));
        // A rectangle shows how far Alice zoomed; Bob's cursor rests beside it (the two views are the same).
        await bob.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(bob, 560, 340, 620, 380);
        await bob.Keyboard.PressAsync("Escape");
        await bob.Mouse.MoveAsync(500, 400);
        await bob.Mouse.MoveAsync(520, 420);
        var stage = (await alice.Locator(".stage").BoundingBoxAsync())!;
        var (cursorX, cursorY) = ((int)(520 - stage.X), (int)(420 - stage.Y));

        // Bob's colour below and right of his cursor's tip, where his arrow and name label are drawn.
        async Task<int> CursorPixelsAsync() =>
            (await CanvasShotAsync(alice)).Region(cursorX - 2, cursorY - 2, 200, 80).Count(p => p.DistanceTo(bobsColour) <= 24);
        var unzoomed = 0;
        await Eventually.Until(async () => (unzoomed = await CursorPixelsAsync()) > 200, "Alice sees Bob's cursor");
        var rectangle = (await RectangleOnScreenAsync(alice))!;

        // Alice zooms in about threefold at Bob's cursor: his cursor stays where it is, and as large as it was.
        await alice.Mouse.MoveAsync(520, 420);
        await alice.Keyboard.DownAsync("Control");
        await alice.Mouse.WheelAsync(0, -330);
        await alice.Keyboard.UpAsync("Control");
        await Eventually.Until(async () => await RectangleOnScreenAsync(alice) is { } r && r.Width > rectangle.Width * 2.5, "Alice's view zoomed in");
        await alice.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, "cursor-zoomed.png") });
        Assert.InRange(await CursorPixelsAsync(), unzoomed * 0.7, unzoomed * 1.3);
    }
}
