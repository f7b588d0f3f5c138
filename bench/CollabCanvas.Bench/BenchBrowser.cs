using Microsoft.Playwright;

namespace CollabCanvas.Bench;

/// <summary>
/// The editor benchmarks' browser: Debian's Chromium headless with the project's arguments and one 1280×800 context
/// signed in with the load generator's cookies, so that its pages open canvases as their owner.
/// </summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
    }

    public IBrowserContext Context { get; }

    /// <param name="initScript">Run in every page before the editor's own scripts (a benchmark's probes), if given.</param>
    public static async Task<BenchBrowser> OpenAsync(Uri server, string? initScript = null)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await context.AddCookiesAsync(BenchClient.Cookies.GetAllCookies().Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Url = server.GetLeftPart(UriPartial.Authority), HttpOnly = true, SameSite = SameSiteAttribute.Lax,
        }));
        if (initScript is not null) await context.AddInitScriptAsync(initScript);
        return new BenchBrowser(playwright, browser, context);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
