using CollabCanvas.Server.Tests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// A real server process and Debian's Chromium, driven by Playwright. Screenshots go to artifacts/screenshots. Every
/// page it opens reports Content-Security-Policy violations; <see cref="FinishTestAsync"/> fails the test that had one.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public ServerProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _cspViolations = [];

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
    /// fly) and, when <paramref name="canvas"/> is given, an editor of that canvas. Dialogs are accepted (a prompt with
    /// the name); a share-link guest's name is asked in the page, not by a dialog.
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
        await WatchCspAsync(context);
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

    /// <summary>
    /// Both ways Chromium tells of a violation: the page's <c>securitypolicyviolation</c> event (through a binding,
    /// which CSP does not govern) and the console message, which also covers what happens outside the document.
    /// </summary>
    private async Task WatchCspAsync(IBrowserContext context)
    {
        lock (_contexts) _contexts.Add(context);
        void Report(string violation)
        {
            lock (_cspViolations) _cspViolations.Add(violation);
        }
        await context.ExposeFunctionAsync("__reportCspViolation", (string violation) => Report(violation));
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              window.__reportCspViolation(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} in ${e.documentURI} (${e.sourceFile}:${e.lineNumber})`));
            """);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) Report(message.Text);
        };
    }

    /// <summary>The violations reported so far (waiting up to a generous ceiling for at least one), forgotten once read.</summary>
    public async Task<IReadOnlyList<string>> TakeCspViolationsAsync()
    {
        for (var waited = 0; waited < 30_000; waited += 100)
        {
            lock (_cspViolations)
                if (_cspViolations.Count > 0)
                {
                    var taken = _cspViolations.ToList();
                    _cspViolations.Clear();
                    return taken;
                }
            await Task.Delay(100);
        }
        return [];
    }

    /// <summary>Closes the pages a test opened and fails it when one of them broke the Content-Security-Policy.</summary>
    public async Task FinishTestAsync()
    {
        List<IBrowserContext> contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in contexts) await context.CloseAsync();
        lock (_cspViolations)
        {
            var violations = string.Join("\n", _cspViolations);
            _cspViolations.Clear();
            Assert.True(violations.Length == 0, "The Content-Security-Policy was violated:\n" + violations);
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A test class on one <see cref="BrowserFixture"/>: each test ends with <see cref="BrowserFixture.FinishTestAsync"/>.</summary>
public abstract class BrowserTest : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    protected abstract BrowserFixture Fixture { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Fixture.FinishTestAsync();
}
