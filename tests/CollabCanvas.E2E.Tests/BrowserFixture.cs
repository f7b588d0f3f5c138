using CollabCanvas.Server.Tests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>A real server process and Debian's Chromium, driven by Playwright. Screenshots go to artifacts/screenshots.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public ServerProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    /// <summary>
    /// Playwright's ceilings for actions, navigations and expectations: generous, because a loaded machine makes the
    /// browser slow (a fresh browser's first page starts processes, and took over a minute on two busy cores); a wait
    /// ends as soon as its condition holds (see Eventually).
    /// </summary>
    public static readonly float Patience = (float)Eventually.ProcessStart.TotalMilliseconds;

    static BrowserFixture() => Assertions.SetDefaultExpectTimeout(Patience);

    public static string Screenshots { get; } =
        Directory.CreateDirectory(Path.Combine(ServerProcess.RepositoryRoot, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: scripts/test.sh installs it (apt-get install chromium).");
        Server = await ServerProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A fresh browser profile (its own storage) signed in as <paramref name="name"/> (a local account made on the
    /// fly) and, when <paramref name="canvas"/> is given, an editor of that canvas. A prompt for a guest name is
    /// answered with the name too.
    /// </summary>
    /// <param name="server">Another server than the fixture's (its owner adds the member).</param>
    /// <param name="baseUri">Where the browser goes (a proxy in front of <paramref name="server"/>); the server's own address by default.</param>
    public async Task<IPage> NewPageAsync(string name, string? canvas = null, ServerProcess? server = null, Uri? baseUri = null,
        bool signedIn = true)
    {
        server ??= Server;
        baseUri ??= server.BaseUri;
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = baseUri.ToString() });
        context.SetDefaultTimeout(Patience);
        if (signedIn)
        {
            var email = $"{name.ToLowerInvariant()}@example.test";
            if (canvas is not null)
            {
                using var owner = (await ServerProcess.SignInAsync(baseUri, ServerProcess.TestUser)).Http;
                (await owner.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email, role = "editor" })).EnsureSuccessStatusCode();
            }
            var (http, cookies) = await ServerProcess.SignInAsync(baseUri, email, ServerProcess.TestPassword, name); // accepts the invitation
            http.Dispose();
            await SignInAsync(context, cookies, baseUri);
        }
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(name);
        return page;
    }

    /// <summary>Gives a browser profile the session cookie an HTTP client signed in with.</summary>
    public static Task SignInAsync(IBrowserContext context, System.Net.CookieContainer cookies, Uri baseUri) =>
        context.AddCookiesAsync(cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Url = baseUri.GetLeftPart(UriPartial.Authority), HttpOnly = c.HttpOnly, SameSite = SameSiteAttribute.Lax,
        }));

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }
}
