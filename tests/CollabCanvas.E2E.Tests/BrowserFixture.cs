using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CollabCanvas.E2E.Tests;

/// <summary>A real server process and Debian's Chromium, driven by Playwright. Screenshots go to artifacts/screenshots.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public ServerProcess Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

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

    /// <summary>A fresh browser profile (its own storage) with the guest name answered.</summary>
    public async Task<IPage> NewPageAsync(string name)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = Server.BaseUri.ToString() });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(name);
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }
}
