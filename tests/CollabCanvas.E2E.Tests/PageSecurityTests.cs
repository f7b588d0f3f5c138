using CollabCanvas.Server.Tests;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

public class PageSecurityTests(BrowserFixture fixture) : BrowserTest
{
    protected override BrowserFixture Fixture => fixture;

    [Fact]
    public async Task A_script_injected_into_the_editor_does_not_run_and_the_violation_is_caught()
    {
        var page = await fixture.NewPageAsync("Ivy");
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("Account: Ivy")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.head.append(s); }");
        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        var violations = await fixture.TakeCspViolationsAsync(); // taken, so that this test does not fail for it
        Assert.Contains(violations, v => v.Contains("script-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sign_in_page_sends_a_signed_in_user_only_to_a_target_on_this_site()
    {
        var page = await fixture.NewPageAsync("Rita");
        var origin = fixture.Server.BaseUri.GetLeftPart(UriPartial.Authority);
        // Any other site is answered here, so that a navigation off the site shows as its address, with no DNS.
        await page.Context.RouteAsync(url => !url.StartsWith(origin + "/", StringComparison.Ordinal),
            route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<p>another site</p>" }));
        var wrong = new List<string>();
        foreach (var (target, expected) in ReturnTargetTable.Cases)
        {
            var shown = System.Text.Json.JsonSerializer.Serialize(target);
            try
            {
                await page.GotoAsync("/signin?returnUrl=" + Uri.EscapeDataString(ReturnTargetTable.Fill(target, fixture.Server.BaseUri)),
                    new() { WaitUntil = WaitUntilState.Commit });
                await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("^" + Regex.Escape(origin) + "/signin\\?"), new() { Timeout = 30_000 });
            }
            catch (PlaywrightException e)
            {
                // Stayed on the sign-in page (a javascript: target, say) or a navigation failed: the page went nowhere it should.
                wrong.Add($"{shown}: {e.Message.Split('\n')[0]}");
                continue;
            }
            if (page.Url != origin + expected) wrong.Add($"{shown} went to {page.Url}, not {expected}");
        }
        Assert.True(wrong.Count == 0, "Not where they should go:\n" + string.Join("\n", wrong));
    }
}
