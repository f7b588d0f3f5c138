using System.Net;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// Where there is nothing to edit (a canvas one may not open, one that does not exist, a path that is no page) the
/// page says so, offers a way on, and offers nothing that would not be kept.
/// </summary>
public class DeadEndTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    private static async Task ExpectNoToolsAsync(IPage page)
    {
        await Assertions.Expect(page.Locator(".stage")).ToBeHiddenAsync();
        foreach (var tool in await page.Locator("button[data-tool]").AllAsync()) await Assertions.Expect(tool).ToBeDisabledAsync();
    }

    [Fact]
    public async Task A_signed_in_stranger_is_told_they_have_no_access_can_ask_for_it_and_cannot_draw()
    {
        var canvas = await fixture.Server.CreateCanvasAsync("Private plans");
        var page = await fixture.NewPageAsync("Mallory");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync($"/c/{canvas}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this canvas" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You are signed in as mallory@example.test")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to your canvases" })).ToHaveAttributeAsync("href", "/");
        await ExpectNoToolsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(CollabCanvas.Server.Tests.Infrastructure.ServerProcess.RepositoryRoot, "docs", "images", "no-access.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy an access request" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied: send it to the owner" })).ToBeVisibleAsync();
        var request = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Contains("mallory@example.test", request);
        Assert.Contains(new Uri(fixture.Server.BaseUri, $"/c/{canvas}").ToString(), request);

        await page.Keyboard.PressAsync("r");
        await EditorSteps.DragAsync(page, 300, 300, 400, 400);
        Assert.Empty((await fixture.Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
    }

    [Fact]
    public async Task An_unknown_canvas_says_it_does_not_exist_and_leads_back()
    {
        var page = await fixture.NewPageAsync("Alice");
        await page.GotoAsync("/c/NoSuchCanvas42");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This canvas does not exist" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to your canvases" })).ToHaveAttributeAsync("href", "/");
        await ExpectNoToolsAsync(page);
    }

    [Fact]
    public async Task A_wrong_path_is_a_page_not_found_with_a_way_home()
    {
        var page = await fixture.NewPageAsync("Alice");
        var response = await page.GotoAsync("/canvases/oops");
        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to your canvases" })).ToHaveAttributeAsync("href", "/");
        await Assertions.Expect(page).ToHaveTitleAsync("Page not found · CollabCanvas");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/c/abc123")]
    public async Task The_pages_of_the_editor_answer_200(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/api/canvases/x/no-such-thing")]
    [InlineData("/auth/no-such-thing")]
    public async Task An_unknown_API_path_still_answers_problem_json(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8"); // as a browser asks
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
