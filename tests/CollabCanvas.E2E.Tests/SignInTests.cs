using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class SignInTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static string Shot(string name) => Path.Combine(BrowserFixture.Screenshots, name);

    [Fact]
    public async Task A_first_visit_opens_on_sign_up_and_after_signing_out_the_page_opens_on_sign_in()
    {
        var page = await fixture.NewPageAsync("Nora", signedIn: false);
        await page.GotoAsync("/");
        // Polled, here and below: waiting for the navigation event sometimes missed one that had already happened.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
        // A browser that never had an account here is asked to make one, with signing in one click away.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in instead" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("first-run-signup.png") });
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nora Newcomer");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("nora@example.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(fixture.Server.BaseUri.ToString());
        await Assertions.Expect(page.GetByLabel("Account: Nora Newcomer")).ToBeVisibleAsync();

        // Signing out from the account menu comes back to the sign-in page, and the dashboard is closed again.
        await page.GetByLabel("Account: Nora Newcomer").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
        // This browser has had an account: it opens on signing in, and the name field is gone.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Shot("signin.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account instead" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_saying_which_part_was_wrong()
    {
        var page = await fixture.NewPageAsync("Olga", signedIn: false);
        await page.GotoAsync("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in instead" }).ClickAsync(); // a first visit opens on sign-up
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(ServerProcess.TestUser);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The email or password is not right.");
    }

    [Fact]
    public async Task Signing_in_through_the_identity_provider_in_the_browser()
    {
        var port = ServerProcess.FreePort();
        await using var provider = await OidcProvider.StartAsync(port);
        await using var server = await ServerProcess.StartAsync(null, port, provider.ServerSettings);
        await provider.SetAccountAsync("paula-sub", "paula@idp.example", emailVerified: true, "Paula Provider");
        var page = await fixture.NewPageAsync("Paula", server: server, signedIn: false);
        await page.GotoAsync("/signin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue with Test IdP" }).ClickAsync();
        await page.WaitForURLAsync(server.BaseUri.ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByLabel("Account: Paula Provider")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("dashboard-signed-in.png") });
    }

    [Fact]
    public async Task The_owner_shares_a_view_link_and_an_edit_link_and_guests_come_in_through_them()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Shared");
        var owner = await fixture.NewPageAsync("Owner", signedIn: false);
        await BrowserFixture.SignInAsync(owner.Context, fixture.Server.Cookies, fixture.Server.BaseUri);
        await owner.GotoAsync($"/c/{canvas}");
        await owner.Locator(".status[data-status=online]").WaitForAsync();

        async Task<string> NewLinkAsync(string button)
        {
            await owner.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
            await owner.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Assertions.Expect(owner.GetByLabel("New link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("#link="));
            var url = await owner.GetByLabel("New link").InputValueAsync();
            await owner.ScreenshotAsync(new() { Path = Shot("share-dialog.png") });
            await owner.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            return url;
        }
        var viewUrl = await NewLinkAsync("New view link");
        Assert.Contains($"/c/{canvas}#link=", viewUrl);

        var viewer = await fixture.NewPageAsync("Vera", signedIn: false);
        var prompts = new List<string>();
        viewer.Dialog += (_, dialog) => prompts.Add(dialog.Message);
        await viewer.GotoAsync(viewUrl);
        // The guest's name is asked in the page, not by a browser prompt.
        await viewer.GetByLabel("Your name, as others will see it").FillAsync("Vera");
        await viewer.ScreenshotAsync(new() { Path = Shot("guest-name.png") });
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await viewer.Locator(".status[data-status=online]").WaitForAsync();
        Assert.Empty(prompts);
        await Assertions.Expect(viewer.GetByText("View only")).ToBeVisibleAsync();
        Assert.DoesNotContain("#link=", viewer.Url); // taken off the address bar
        await Assertions.Expect(owner.Locator(".peers .avatar[aria-label='Vera (guest)']")).ToBeVisibleAsync();
        await viewer.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(viewer, 300, 300, 400, 400);
        Assert.Empty((await EditorSteps.ExportedObjectsAsync(viewer)).EnumerateObject());
        await viewer.ScreenshotAsync(new() { Path = Shot("view-only-guest.png") });

        var editUrl = await NewLinkAsync("New edit link");
        var editor = await fixture.NewPageAsync("Ed", signedIn: false);
        await editor.GotoAsync(editUrl);
        await editor.GetByLabel("Your name, as others will see it").FillAsync("Ed");
        await editor.Keyboard.PressAsync("Enter");
        await editor.Locator(".status[data-status=online]").WaitForAsync();
        await Assertions.Expect(owner.Locator(".peers .avatar[aria-label='Ed (guest)']")).ToBeVisibleAsync();
        await editor.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(editor, 300, 300, 400, 400);
        foreach (var page in new[] { owner, viewer })
            await EditorSteps.ExportedObjectsWhenAsync(page, o => o.EnumerateObject().Count() == 1, "the guest editor's rectangle arrives");
    }

    [Fact]
    public async Task The_owner_invites_an_address_sees_it_pending_and_the_invited_person_signs_up_and_opens_the_canvas()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Invitation board");
        var owner = await fixture.NewPageAsync("Owner", signedIn: false);
        await BrowserFixture.SignInAsync(owner.Context, fixture.Server.Cookies, fixture.Server.BaseUri);
        await owner.GotoAsync($"/c/{canvas}");
        await owner.Locator(".status[data-status=online]").WaitForAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync("Ines@Example.test");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        var pending = owner.GetByRole(AriaRole.List, new() { Name = "Invitations" }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(pending).ToHaveCountAsync(1);
        await Assertions.Expect(pending).ToContainTextAsync("ines@example.test");
        await Assertions.Expect(pending).ToContainTextAsync("Invited · can edit");
        // A second invitation, made by mistake, is revoked.
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync("wrong.person@example.test");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        await Assertions.Expect(pending).ToHaveCountAsync(2);
        await owner.ScreenshotAsync(new() { Path = Shot("share-invited.png") });
        await owner.GetByRole(AriaRole.Button, new() { Name = "Revoke the invitation of wrong.person@example.test" }).ClickAsync();
        await Assertions.Expect(pending).ToHaveCountAsync(1);
        await Assertions.Expect(pending).ToContainTextAsync("ines@example.test");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // She has no account yet: the address the owner sent her asks her to sign in, and she makes one.
        var ines = await fixture.NewPageAsync("Ines", signedIn: false);
        await ines.GotoAsync($"/signin?returnUrl=/c/{canvas}");
        await ines.GetByLabel("Name", new() { Exact = true }).FillAsync("Ines Invited");
        await ines.GetByLabel("Email", new() { Exact = true }).FillAsync("ines@example.test");
        await ines.GetByLabel("Password", new() { Exact = true }).FillAsync("a long enough password");
        await ines.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await ines.WaitForURLAsync($"**/c/{canvas}", new() { WaitUntil = WaitUntilState.Commit });
        await ines.Locator(".status[data-status=online]").WaitForAsync();
        await ines.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(ines, 300, 300, 400, 400); // an editor, as invited
        await EditorSteps.ExportedObjectsWhenAsync(owner, o => o.EnumerateObject().Count() == 1, "the invited editor's rectangle arrives");

        // The owner now sees her as a member, and the invitation is gone.
        await owner.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.List, new() { Name = "Members" })).ToContainTextAsync("Ines Invited");
        await Assertions.Expect(owner.GetByRole(AriaRole.List, new() { Name = "Invitations" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_member_sees_their_role_on_the_dashboard_and_can_leave()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Team board");
        var page = await fixture.NewPageAsync("Lena", canvas);
        await page.GotoAsync("/");
        var item = page.Locator(".canvases li", new() { HasText = "Team board" });
        await Assertions.Expect(item.Locator(".role")).ToHaveTextAsync("editor");
        await Assertions.Expect(item.GetByRole(AriaRole.Button, new() { Name = "Delete Team board" })).ToBeHiddenAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = "Leave Team board" }).ClickAsync(); // the confirm is accepted
        await Assertions.Expect(page.Locator(".canvases li", new() { HasText = "Team board" })).ToHaveCountAsync(0);
        var members = await fixture.Server.Http.GetStringAsync($"/api/canvases/{canvas}/members");
        Assert.DoesNotContain("lena@example.test", members);
    }
}
