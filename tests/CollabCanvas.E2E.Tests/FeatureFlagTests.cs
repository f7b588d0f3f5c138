using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// The editor hides what the feature flags switch off for the user (docs/configuration.md, "Feature flags"): switched
/// off while the server runs (its flags file rewritten), the controls are gone at the next page load, and back when
/// switched on.
/// </summary>
public class FeatureFlagTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static readonly string[] Flags = ["AiCommands", "ShareLinks", "Invitations", "ExportPng", "ExportSvg", "ExportJson", "StylePanel", "TextEditing"];

    [Fact]
    public async Task Controls_of_features_switched_off_while_the_server_runs_are_hidden_and_come_back_when_switched_on()
    {
        var server = fixture.Server;
        var canvas = await server.CreateCanvasAsync("Flags");
        await using (var drawer = await CanvasClient.ConnectAsync(server, canvas))
        {
            await drawer.SendOpsAsync("r1", Batch.Rect("box", 10));
            await drawer.AckAsync("r1");
        }
        var owner = await fixture.NewPageAsync("Owner", signedIn: false);
        await BrowserFixture.SignInAsync(owner.Context, server.Cookies, server.BaseUri);

        async Task ExpectControlsAsync(bool shown)
        {
            await owner.GotoAsync($"/c/{canvas}");
            await Assertions.Expect(owner.Locator(".topbar .status")).ToHaveAttributeAsync("data-status", "online");
            await Assertions.Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Share" })).ToBeVisibleAsync();
            async Task Expect(ILocator control)
            {
                if (shown) await Assertions.Expect(control).ToBeVisibleAsync();
                else await Assertions.Expect(control).ToBeHiddenAsync();
            }
            await Expect(owner.Locator(".ai-button"));
            await Expect(owner.Locator("[data-tool=text]"));
            await owner.Locator(".stage").ClickAsync(new() { Position = new() { X = 900, Y = 600 } });
            await owner.Keyboard.PressAsync("Control+a");
            await Expect(owner.GetByRole(AriaRole.Complementary, new() { Name = "Properties" }));
            await owner.Locator("details.menu:not(.account) summary").ClickAsync();
            await Assertions.Expect(owner.Locator(".menu-items .import")).ToBeVisibleAsync(); // what no flag governs stays
            foreach (var kind in new[] { "png", "svg", "json" }) await Expect(owner.Locator($"[data-export={kind}]"));
            await owner.Locator("details.menu:not(.account) summary").ClickAsync();

            await owner.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
            var dialog = owner.Locator("dialog.share");
            await Assertions.Expect(dialog.GetByRole(AriaRole.List, new() { Name = "Members" })).ToContainTextAsync("(you)");
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "New view link" }));
            await Expect(dialog.GetByRole(AriaRole.Textbox, new() { Name = "Email" }));
            // Nothing the dialog asked for was refused: it does not ask for what is off.
            await Assertions.Expect(dialog.Locator(".error")).ToBeHiddenAsync();
            await owner.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"feature-flags-{(shown ? "on" : "off")}.png") });
            await owner.Keyboard.PressAsync("Escape");
        }

        await ExpectControlsAsync(shown: true);
        await server.SetFlagsAsync(Flags.ToDictionary(f => f, _ => false));
        await ExpectControlsAsync(shown: false);
        await server.SetFlagsAsync(Flags.ToDictionary(f => f, _ => true));
        await ExpectControlsAsync(shown: true);
    }
}
