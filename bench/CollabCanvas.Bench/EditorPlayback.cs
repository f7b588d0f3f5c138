using System.Diagnostics;
using CookieContainer = System.Net.CookieContainer;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CollabCanvas.Bench;

/// <summary>
/// Playback in the editor (issue 17): a canvas of <c>--count</c> batches (10,000 by default) by three authors (the
/// bench user and two other editors, each on a socket of their own, 32 batches in flight each): the first 1,000 create
/// rectangles in a grid, every other one moves one of them or changes its fill, as drags and the style panel do. Then,
/// <c>--rounds</c> times, Debian's Chromium (headless, software rendering) opens the canvas zoomed to fit, opens the
/// scrubber, picks 1024× (every batch is due at once: playback runs as fast as the frame budget lets it) and presses
/// Play, the way a person does (no test hook). Reported: frames per second while it plays (from the gaps between
/// animation frames: median and 5th percentile), and the time from Play to the scrubber saying "now".
/// </summary>
public static class EditorPlayback
{
    private const int Objects = 1000;
    private const int Window = 32;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        var lastSeq = await SeedAsync(o.Url, canvas, o.Count);

        await using var chromium = await BenchBrowser.OpenAsync(o.Url, PageScript);
        var context = chromium.Context;
        var shots = Environment.GetEnvironmentVariable("SCREENSHOTS");
        var frames = new List<double>();
        var toEnd = new List<double>();
        for (var round = 0; round < o.Rounds; round++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(o.Url, $"/c/{canvas}").ToString());
            await page.Locator(".status[data-status=online]").WaitForAsync(new() { Timeout = 60_000 });
            await page.Locator(".stage").FocusAsync();
            await page.Keyboard.PressAsync("Shift+Digit1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Playback", Exact = true }).ClickAsync();
            var position = page.Locator(".playback-position");
            await Assertions.Expect(position).ToContainTextAsync("now", new() { Timeout = 60_000 });
            await page.GetByLabel("Speed").SelectOptionAsync("1024");
            await page.EvaluateAsync("() => window.__bench.record()");
            await page.GetByRole(AriaRole.Button, new() { Name = "Play", Exact = true }).ClickAsync();
            if (round == 0 && shots != null)
            {
                await page.WaitForTimeoutAsync(1500);
                await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "playback.png") });
            }
            var result = await page.EvaluateAsync<PlayResult?>("() => Promise.race([window.__bench.ended, new Promise(r => setTimeout(() => r(null), 300000))])")
                ?? throw new InvalidOperationException($"playback did not reach the end within 300 s: {await position.TextContentAsync()}");
            var text = await position.TextContentAsync();
            if (!text!.StartsWith($"{lastSeq:N0} / {lastSeq:N0}", StringComparison.Ordinal))
                throw new InvalidOperationException($"playback ended at '{text}', not at seq {lastSeq}");
            frames.AddRange(result.Frames);
            toEnd.Add(result.Ms);
            Out($"round {round + 1}: {result.Frames.Length} frames, Play to the end {result.Ms:F0} ms");
            await page.CloseAsync();
        }
        var sorted = frames.OrderBy(f => f).ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Out($"RESULT editor-playback batches={o.Count} objects={Objects} fps median={1000 / P(0.5):F1} p5={1000 / P(0.95):F1} " +
            $"(frame p50={P(0.5):F1}ms p95={P(0.95):F1}ms p99={P(0.99):F1}ms max={sorted[^1]:F1}ms)");
        Out($"RESULT editor-playback Play to the end at 1024x: {string.Join(" ", toEnd.Select(t => $"{t / 1000:F2}s"))}");
        return 0;
    }

    private sealed class PlayResult
    {
        public double[] Frames { get; set; } = [];
        public double Ms { get; set; }
    }

    /// <summary>The page side: from the press of Play, the gaps between animation frames until the scrubber says "now".</summary>
    private const string PageScript = """
        (() => {
          const bench = window.__bench = {};
          bench.record = () => {
            bench.ended = new Promise(resolve => {
              const times = [];
              let start = 0, last = 0;
              const step = now => {
                if (start === 0) { start = last = now; requestAnimationFrame(step); return; }
                times.push(now - last);
                last = now;
                const text = document.querySelector('.playback-position')?.textContent ?? '';
                if (times.length > 5 && text.endsWith('now')) resolve({ frames: times, ms: now - start });
                else requestAnimationFrame(step);
              };
              requestAnimationFrame(step);
            });
          };
        })();
        """;

    /// <summary>Puts the batches through three authors' sockets; returns the last seq.</summary>
    private static async Task<long> SeedAsync(Uri server, string canvas, int count)
    {
        using var owner = new HttpClient(new HttpClientHandler { CookieContainer = BenchClient.Cookies }) { BaseAddress = server };
        var authors = new List<CookieContainer> { BenchClient.Cookies };
        foreach (var name in new[] { "Ann", "Ben" })
        {
            var email = $"{name.ToLowerInvariant()}-{canvas}@example.test";
            authors.Add(await BenchClient.SignInAsync(server, email, name));
            (await owner.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email, role = "editor" })).EnsureSuccessStatusCode();
        }
        var watch = Stopwatch.StartNew();
        var lastSeq = 0L;
        var windows = authors.Select(_ => new SemaphoreSlim(Window)).ToArray();
        var clients = new BenchClient[authors.Count];
        for (var a = 0; a < authors.Count; a++)
        {
            var window = windows[a];
            clients[a] = await BenchClient.ConnectAsync(server, canvas, $"author{a}", frame =>
            {
                BenchClient.ForEachNumberAfter(frame.Span, "\"seq\":"u8, seq =>
                {
                    if (seq > Interlocked.Read(ref lastSeq)) Interlocked.Exchange(ref lastSeq, seq);
                });
                BenchClient.ForEachNumberAfter(frame.Span, "\"type\":\"ack\",\"ref\":\"p"u8, _ => window.Release());
            }, 64 * 1024, authors[a]);
        }
        string[] fills = ["#fa5252", "#228be6", "#40c057", "#fab005", "#7950f2"];
        for (var i = 0; i < count; i++)
        {
            var author = i % authors.Count;
            await windows[author].WaitAsync();
            var k = i % Objects;
            var (col, row) = (k % 40, k / 40);
            var props = i < Objects
                ? $"{{\"type\":\"rect\",\"x\":{col * 60},\"y\":{row * 60},\"width\":48,\"height\":48,\"fill\":\"#adb5bd\"}}"
                : i % 5 == 0 ? $"{{\"fill\":\"{fills[i / Objects % fills.Length]}\"}}"
                : $"{{\"x\":{col * 60 + i % 7 * 2},\"y\":{row * 60 + i % 5 * 2}}}";
            await clients[author].SendAsync(BenchClient.Utf8($"{{\"type\":\"ops\",\"ref\":\"p{i}\",\"ops\":[{{\"op\":\"put\",\"id\":\"p{k:D4}\",\"props\":{props}}}]}}"));
        }
        for (var a = 0; a < authors.Count; a++)
        {
            for (var w = 0; w < Window; w++) await windows[a].WaitAsync(TimeSpan.FromSeconds(120));
            await clients[a].DisposeAsync();
        }
        Out($"seeded {count} batches by {authors.Count} authors ({Objects} objects) in {watch.Elapsed.TotalSeconds:F0} s, last seq {lastSeq}");
        return lastSeq;
    }

    private static void Out(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
