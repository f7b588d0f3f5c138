using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Return targets and where each must lead: the path on this site, <c>/</c> for everything that is not one. One
/// table for the server's provider sign-in (here) and the sign-in page in Chromium (the E2E tests), because the
/// rule is one: no control character, and resolved against the site's origin it keeps that origin.
/// </summary>
public static class ReturnTargetTable
{
    /// <summary><c>{host}</c> stands for the site's host and port.</summary>
    public static readonly IReadOnlyList<(string Target, string Expected)> Cases =
    [
        // Control characters: browsers drop tab, CR and LF, so these would read as //evil.example.
        ("/\t/evil.example/x", "/"), ("/\n/evil.example/x", "/"), ("/\r/evil.example/x", "/"), ("\t//evil.example/x", "/"),
        ("/\r\n/evil.example/x", "/"), ("/\0/evil.example/x", "/"), ("/x\u007f", "/"), ("/\u0085/evil.example", "/"),
        // Another host by slashes and backslashes (browsers read \ as / in http URLs).
        ("//evil.example/x", "/"), ("///evil.example/x", "/"), ("/\\evil.example/x", "/"), ("\\\\evil.example/x", "/"),
        ("\\/evil.example/x", "/"), ("/\\/evil.example/x", "/"), ("http:/\\evil.example/x", "/"), ("http:\\\\evil.example/x", "/"),
        // Leading spaces are dropped by browsers too.
        (" //evil.example/x", "/"), ("  /\\evil.example/x", "/"),
        // Other sites, other schemes, and this host under another scheme.
        ("https://evil.example/x", "/"), ("HTTP://evil.example/x", "/"), ("https://{host}/x", "/"), ("javascript:alert(document.domain)", "/"),
        (" javascript:alert(1)", "/"), ("JaVaScRiPt:alert(1)", "/"), ("data:text/html,<script>alert(1)</script>", "/"),
        // User info: the host is what follows the @.
        ("//{host}@evil.example/x", "/"), ("http://{host}@evil.example/x", "/"),
        // International and look-alike hosts.
        ("//exаmple.com/x", "/"), ("https://ｅvil.example/x", "/"), ("//xn--e1afmkfd.example/", "/"),
        // Encoded slashes stay characters of a path on this site; a path that starts with // is not another site.
        ("/%2F%2Fevil.example/x", "/%2F%2Fevil.example/x"), ("/%09/evil.example/x", "/%09/evil.example/x"),
        ("/%5Cevil.example", "/%5Cevil.example"), ("/.//evil.example/x", "//evil.example/x"),
        // Targets on this site go through.
        ("/c/abc123?view=1#top", "/c/abc123?view=1#top"), ("http://{host}/c/abc123", "/c/abc123"), ("/", "/"),
    ];

    public static string Fill(string target, Uri site) => target.Replace("{host}", site.Authority);

    public static TheoryData<int> Indexes => [.. Enumerable.Range(0, Cases.Count)];
}

public class ReturnTargetTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    private ServerProcess Server => fixture.Server;

    [Theory]
    [MemberData(nameof(ReturnTargetTable.Indexes), MemberType = typeof(ReturnTargetTable))]
    public async Task A_provider_sign_in_returns_only_to_this_site(int index)
    {
        var (target, expected) = ReturnTargetTable.Cases[index];
        await fixture.Provider.SetAccountAsync("rita-sub", "rita@idp.example", emailVerified: true, "Rita");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Server.BaseUri,
        };
        var response = await browser.GetAsync("/auth/login/test?returnUrl=" + Uri.EscapeDataString(ReturnTargetTable.Fill(target, Server.BaseUri)));
        // Through the provider and back to the callback, whose answer sends the browser on.
        while (!response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/auth/callback/", StringComparison.Ordinal))
        {
            Assert.True(response.Headers.Location is not null, $"{response.RequestMessage.RequestUri} answered {(int)response.StatusCode}");
            response = await browser.GetAsync(new Uri(response.RequestMessage.RequestUri, response.Headers.Location));
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Server.BaseUri.GetLeftPart(UriPartial.Authority) + expected, response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_provider_identity_waiting_to_be_linked_keeps_its_return_target()
    {
        await ServerProcess.SignInAsync(Server.BaseUri, "gina@idp.example");
        await fixture.Provider.SetAccountAsync("gina-sub", "gina@idp.example", emailVerified: true, "Gina");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Server.BaseUri };
        var landed = await browser.GetAsync("/auth/login/test?returnUrl=" + Uri.EscapeDataString("/c/abc123"));
        Assert.Equal("/signin", landed.RequestMessage!.RequestUri!.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(landed.RequestMessage.RequestUri.Query);
        Assert.Equal("pending", query["link"]);
        Assert.Equal(Server.BaseUri.GetLeftPart(UriPartial.Authority) + "/c/abc123", query["returnUrl"]);
        var config = await browser.GetFromJsonAsync<JsonElement>("/auth/config");
        Assert.Equal("gina@idp.example", config.GetProperty("pendingLink").GetProperty("email").GetString());
    }
}
