using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace CollabCanvas.Bench;

/// <summary>
/// The editor on a big canvas (issue 16): <c>--count</c> objects (10,000 by default: frames holding rectangles,
/// ellipses and texts, some of them wrapping) put through the protocol, then opened in Debian's Chromium (headless,
/// software rendering) the way a person opens it, with nothing in the page but the editor itself (no test hook):
/// <list type="bullet">
/// <item>open: from navigation to the first animation frame after the status says the canvas is here (the frame in
/// which the editor draws it), a fresh page each time;</item>
/// <item>pan zoomed to fit (Shift+1) and at 100%, alone and while a peer moves 20 objects in view 20 times a second:
/// one wheel event per animation frame, dispatched on the canvas; frames per second and frame-time percentiles from
/// the gaps between animation frames;</item>
/// <item>wheel lag: real wheel events through Chromium's input pipeline, 60 a second, each one's wait from its
/// creation (<c>event.timeStamp</c>) to its handler;</item>
/// <item>main-thread time per remote change: Chromium's own task time (CDP <c>Performance.getMetrics</c>,
/// TaskDuration), and the thread's CPU time (ThreadTime), while a peer sends one change every 100 ms, minus the same span with no change; a move of an object
/// in view, and a change of stacking order (a new <c>z</c>).</item>
/// <item>a version of the whole canvas shown read-only (the History panel, issue 17): from the click on its row to the
/// animation frame after the banner shows (its state fetched and drawn), then panning it zoomed to fit.</item>
/// </list>
/// </summary>
public static class EditorBigCanvas
{
    /// <summary>Objects per frame (the frame itself and its children laid out in a 10 × 10 block of 60-unit cells).</summary>
    private const int PerFrame = 100;
    private const int Columns = 100;
    private const int Cell = 60;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var count = o.Count;
        var rounds = o.Rounds;
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        await SeedAsync(o.Url, canvas, count);
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = BenchClient.Cookies }) { BaseAddress = o.Url })
            (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, $"/api/canvases/{canvas}/versions", new { name = "Seeded" }))
                .EnsureSuccessStatusCode();
        Out($"seeded {count} objects ({count / PerFrame} frames with children); {rounds} rounds of each measurement");

        await using var chromium = await BenchBrowser.OpenAsync(o.Url, PageScript);
        var context = chromium.Context;
        var url = new Uri(o.Url, $"/c/{canvas}").ToString();
        var shots = Environment.GetEnvironmentVariable("SCREENSHOTS"); // a directory for pictures of the first round, to look at
        var profile = Environment.GetEnvironmentVariable("PROFILE") == "1"; // the functions that took the time of panning zoomed to fit
        var trace = Environment.GetEnvironmentVariable("TRACE"); // a directory for Chromium traces of the remote changes (chrome://tracing, Perfetto)


        var open = new List<double>();
        var fitFrames = new List<double>(); var fullFrames = new List<double>(); var peerFrames = new List<double>();
        var lag = new List<double>();
        var moveCost = new List<double>(); var restackCost = new List<double>();
        var previewOpen = new List<double>(); var previewFrames = new List<double>();
        var moveCpu = new List<double>(); var restackCpu = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);
            page.Console += (_, m) => Out($"console: {m.Text}");
            var drawn = await page.EvaluateAsync<double>("() => Promise.race([window.__bench.drawn, new Promise(r => setTimeout(() => r(-1), 60000))])");
            if (drawn < 0)
            {
                await page.ScreenshotAsync(new() { Path = "/tmp/editor-big-stuck.png" });
                throw new InvalidOperationException($"the canvas was not drawn within 60 s: {await page.Locator(".status").TextContentAsync()}");
            }
            open.Add(drawn);
            Out($"round {round + 1}: drawn {open[^1]:F0} ms after navigation");
            if (round == 0 && shots != null) await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "open.png") });
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Performance.enable");
            await page.WaitForTimeoutAsync(500);

            // At 100%, as the canvas opens: remote changes, then panning alone and with the peer.
            var move = await Traced(cdp, trace, $"remote-moves-{round + 1}",
                () => Profiled(cdp, profile, "remote moves", () => RemoteChangeCostAsync(o.Url, canvas, cdp, restack: false)));
            var restack = await Traced(cdp, trace, $"remote-restacks-{round + 1}",
                () => Profiled(cdp, profile, "remote restacks", () => RemoteChangeCostAsync(o.Url, canvas, cdp, restack: true)));
            moveCost.Add(move.Task); moveCpu.Add(move.Cpu); restackCost.Add(restack.Task); restackCpu.Add(restack.Cpu);
            Out($"round {round + 1}: remote move {move.Task:F2} ms ({move.Cpu:F2} ms CPU), restack {restack.Task:F2} ms ({restack.Cpu:F2} ms CPU) of main thread");
            fullFrames.AddRange(await Profiled(cdp, profile, "pan at 100%", () => PanAsync(page)));
            using (var peer = new Peer())
            {
                await peer.StartAsync(o.Url, canvas);
                peerFrames.AddRange(await PanAsync(page));
            }

            // Zoomed to fit: everything in view.
            await page.Locator(".stage").FocusAsync();
            await page.Keyboard.PressAsync("Shift+Digit1");
            await page.WaitForTimeoutAsync(500);
            if (round == 0 && shots != null) await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "fit.png") });
            fitFrames.AddRange(await Profiled(cdp, profile, "pan zoomed to fit", () => PanAsync(page)));
            if (round == 0 && shots != null) await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "fit-panned.png") });
            lag.AddRange(await WheelLagAsync(page));

            previewOpen.Add(await PreviewVersionAsync(page));
            Out($"round {round + 1}: version shown {previewOpen[^1]:F0} ms after the click");
            if (round == 0 && shots != null) await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "version.png") });
            previewFrames.AddRange(await PanAsync(page));
            await page.CloseAsync();
        }

        Out($"RESULT editor-big objects={count} open to drawn {Summary(open)}");
        Out($"RESULT editor-big pan zoomed to fit {Fps(fitFrames, rounds)}");
        Out($"RESULT editor-big pan zoomed to fit: wheel event wait {Summary(lag)}");
        Out($"RESULT editor-big pan at 100% {Fps(fullFrames, rounds)}");
        Out($"RESULT editor-big pan at 100%, peer editing 20 objects 20x/s {Fps(peerFrames, rounds)}");
        Out($"RESULT editor-big main-thread time per remote move {Summary(moveCost)}");
        Out($"RESULT editor-big main-thread time per remote restack {Summary(restackCost)}");
        Out($"RESULT editor-big version shown read-only, click to drawn {Summary(previewOpen)}");
        Out($"RESULT editor-big pan a version shown read-only, zoomed to fit {Fps(previewFrames, rounds)}");
        Out($"RESULT editor-big main-thread CPU time per remote move {Summary(moveCpu)}");
        Out($"RESULT editor-big main-thread CPU time per remote restack {Summary(restackCpu)}");
        return 0;
    }

    /// <summary>The page side: when the canvas is first drawn, frame gaps while panning, the wait of real wheel events.</summary>
    private const string PageScript = """
        (() => {
          let resolveDrawn;
          const bench = window.__bench = { drawn: new Promise(r => { resolveDrawn = r; }), lags: [] };
          // The status turns online in the task that took the welcome in; Konva draws in the next animation frame,
          // before this one's callback (requested later).
          new MutationObserver((_, observer) => {
            const status = document.querySelector('.status[data-status=online]');
            if (!status) return;
            observer.disconnect();
            requestAnimationFrame(() => resolveDrawn(performance.now()));
          }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'], childList: true });
          addEventListener('wheel', e => { if (e.isTrusted) bench.lags.push(performance.now() - e.timeStamp); }, { capture: true, passive: true });
          bench.pan = seconds => new Promise((resolve, reject) => {
            const target = document.querySelector('.stage canvas');
            const box = target.getBoundingClientRect();
            const times = [];
            const start = performance.now();
            let last = start, i = 0;
            const step = now => { try { frame(now); } catch (e) { reject(e); } };
            const frame = now => {
              times.push(now - last);
              last = now;
              // Back and forth, 40 frames (240 px) each way, so the view stays over the objects even zoomed to fit.
              const direction = Math.floor(i++ / 40) % 2 === 0 ? 1 : -1;
              target.dispatchEvent(new WheelEvent('wheel', { deltaX: 6 * direction, deltaY: 4 * direction, clientX: box.x + 400, clientY: box.y + 300, bubbles: true, cancelable: true }));
              if (now - start < seconds * 1000) requestAnimationFrame(step); else resolve(times.slice(1));
            };
            requestAnimationFrame(step);
          });
        })();
        """;

    /// <summary>Opens the History panel and shows its version: ms from the click on the row to the frame after the banner shows.</summary>
    private static async Task<double> PreviewVersionAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Version history" }).ClickAsync();
        await page.Locator(".version").First.WaitForAsync();
        return await page.EvaluateAsync<double>("""
            async () => {
              const start = performance.now();
              document.querySelector('.version').click();
              while (document.querySelector('.version-banner').hidden) await new Promise(r => setTimeout(r, 1));
              await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
              return performance.now() - start;
            }
            """);
    }

    private static async Task<double[]> PanAsync(IPage page)
    {
        var frames = await page.EvaluateAsync<double[]?>("() => Promise.race([window.__bench.pan(5), new Promise(r => setTimeout(() => r(null), 60000))])");
        return frames ?? throw new InvalidOperationException("panning did not end within 60 s (no animation frames?)");
    }

    /// <summary>Real wheel events (Chromium's input path), one every 16 ms for 3 s; each one's wait before its handler ran.</summary>
    private static async Task<double[]> WheelLagAsync(IPage page)
    {
        await page.Mouse.MoveAsync(400, 300);
        await page.EvaluateAsync("() => { window.__bench.lags = []; }");
        var watch = Stopwatch.StartNew();
        for (var i = 0; watch.ElapsedMilliseconds < 3000; i++)
        {
            var direction = i / 90 % 2 == 0 ? 1 : -1;
            _ = page.Mouse.WheelAsync(6 * direction, 4 * direction); // not awaited: a device does not wait for the page
            await Task.Delay(16);
        }
        await page.WaitForTimeoutAsync(1000);
        var sent = watch.Elapsed;
        var lags = await page.EvaluateAsync<double[]>("() => window.__bench.lags");
        Out($"wheel: {lags.Length} events handled of about {sent.TotalMilliseconds / 16:F0} sent");
        return lags;
    }

    /// <summary>
    /// Main-thread task time per remote change, in ms: 30 changes 100 ms apart, less the task time of 3 s without any;
    /// and the main thread's CPU time the same way (CDP's ThreadTime), which a busy machine inflates less than task
    /// time (a task descheduled mid-way counts whole). The objects changed are in the view at 100% (the top-left block).
    /// </summary>
    private static async Task<(double Task, double Cpu)> RemoteChangeCostAsync(Uri server, string canvas, ICDPSession cdp, bool restack)
    {
        const int changes = 30;
        await using var peer = await BenchClient.ConnectAsync(server, canvas, "changer", _ => { });
        var idle = await TaskSecondsAsync(cdp, () => Task.Delay(3000));
        var busy = await TaskSecondsAsync(cdp, async () =>
        {
            for (var i = 0; i < changes; i++)
            {
                var id = ObjectId(1 + i % 20);
                var props = restack ? $"{{\"z\":\"W{Environment.TickCount64 % 1_000_000:D6}{i:D2}\"}}" : $"{{\"x\":{(1 + i % 20) * Cell + i % 7}}}";
                await peer.SendBatchAsync($"change{i}{(restack ? "z" : "x")}", $"[{{\"op\":\"put\",\"id\":\"{id}\",\"props\":{props}}}]");
                await Task.Delay(100);
            }
        });
        return (Math.Max(0, busy.Task - idle.Task) * 1000 / changes, Math.Max(0, busy.Cpu - idle.Cpu) * 1000 / changes);
    }

    /// <summary>The main thread's task time and CPU time (s) while <paramref name="during"/> runs, per 3 s.</summary>
    private static async Task<(double Task, double Cpu)> TaskSecondsAsync(ICDPSession cdp, Func<Task> during)
    {
        async Task<(double Task, double Cpu)> Read()
        {
            var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics");
            double? task = null, cpu = null;
            foreach (var m in metrics.EnumerateArray())
            {
                var name = m.GetProperty("name").GetString();
                if (name == "TaskDuration") task = m.GetProperty("value").GetDouble();
                else if (name == "ThreadTime") cpu = m.GetProperty("value").GetDouble();
            }
            return (task ?? throw new InvalidOperationException("no TaskDuration metric"), cpu ?? throw new InvalidOperationException("no ThreadTime metric"));
        }
        var before = await Read();
        var watch = Stopwatch.StartNew();
        await during();
        var after = await Read();
        var per3s = 3.0 / watch.Elapsed.TotalSeconds; // to compare with the idle span
        return ((after.Task - before.Task) * per3s, (after.Cpu - before.Cpu) * per3s);
    }

    /// <summary>A peer moving 20 objects in view 20 times a second, one batch each time, until disposed.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public async Task StartAsync(Uri server, string canvas)
        {
            var client = await BenchClient.ConnectAsync(server, canvas, "peer", _ => { });
            _running = Task.Run(async () =>
            {
                for (var tick = 0; !_stop.IsCancellationRequested; tick++)
                {
                    var ops = string.Join(',', Enumerable.Range(1, 20).Select(k =>
                        $"{{\"op\":\"put\",\"id\":\"{ObjectId(k)}\",\"props\":{{\"x\":{k % 10 * Cell + tick % 10}}}}}"));
                    await client.SendBatchAsync($"peer{tick}", $"[{ops}]");
                    await Task.Delay(50);
                }
                await client.DisposeAsync();
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _running.GetAwaiter().GetResult();
        }
    }

    private static string ObjectId(int i) => $"obj{i:D5}";

    /// <summary>
    /// Frame f covers a 10 × 10 block of cells; its other 99 cells hold a rectangle, an ellipse or a text (every other
    /// text wraps in a width), children of the frame. Every object has a `z`, in id order.
    /// </summary>
    private static async Task SeedAsync(Uri server, string canvas, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastRef = "";
        await using var seeder = await BenchClient.ConnectAsync(server, canvas, "seed", frame =>
        {
            if (lastRef.Length > 0 && frame.Span.IndexOf(BenchClient.Utf8($"\"type\":\"ack\",\"ref\":\"{lastRef}\"")) >= 0) done.TrySetResult();
        });
        const int perBatch = 500;
        for (var first = 0; first < count; first += perBatch)
        {
            var ops = new StringBuilder();
            for (var i = first; i < Math.Min(count, first + perBatch); i++)
            {
                var frame = i / PerFrame;
                var blockX = frame % (Columns / 10) * 10 * Cell;
                var blockY = frame / (Columns / 10) * 10 * Cell;
                var k = i % PerFrame;
                var x = blockX + k % 10 * Cell + 5;
                var y = blockY + k / 10 * Cell + 5;
                string props;
                if (k == 0)
                    props = $"\"type\":\"frame\",\"x\":{blockX},\"y\":{blockY},\"width\":{10 * Cell - 10},\"height\":{10 * Cell - 10},\"fill\":\"auto\",\"stroke\":\"auto\",\"strokeWidth\":1,\"name\":\"Frame {frame}\"";
                else
                {
                    var parent = $",\"parentId\":\"{ObjectId(i - k)}\"";
                    props = (k % 3) switch
                    {
                        0 => $"\"type\":\"rect\",\"x\":{x},\"y\":{y},\"width\":50,\"height\":40,\"fill\":\"#4dabf7\",\"cornerRadius\":4{parent}",
                        1 => $"\"type\":\"ellipse\",\"x\":{x},\"y\":{y},\"width\":50,\"height\":40,\"fill\":\"#ffa94d\",\"stroke\":\"#e8590c\",\"strokeWidth\":2{parent}",
                        _ => k % 2 == 0
                            ? $"\"type\":\"text\",\"x\":{x},\"y\":{y},\"text\":\"Item {i}\",\"fontSize\":12,\"fill\":\"auto\"{parent}"
                            : $"\"type\":\"text\",\"x\":{x},\"y\":{y},\"width\":50,\"text\":\"Note {i} wraps in its box\",\"fontSize\":10,\"fill\":\"auto\"{parent}",
                    };
                }
                if (ops.Length > 0) ops.Append(',');
                ops.Append($"{{\"op\":\"put\",\"id\":\"{ObjectId(i)}\",\"props\":{{{props},\"z\":\"V{i:D5}\"}}}}");
            }
            if (first + perBatch >= count) lastRef = $"seed{first}";
            await seeder.SendBatchAsync($"seed{first}", $"[{ops}]");
        }
        await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Runs <paramref name="measure"/>, with <c>TRACE=dir</c> under Chromium's tracing (CDP), the trace written to <c>dir/name.json</c>.</summary>
    private static async Task<T> Traced<T>(ICDPSession cdp, string? directory, string name, Func<Task<T>> measure)
    {
        if (directory == null) return await measure();
        var events = new List<string>();
        var complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collected(object? sender, System.Text.Json.JsonElement? e) { foreach (var item in e!.Value.GetProperty("value").EnumerateArray()) events.Add(item.GetRawText()); }
        void Completed(object? sender, System.Text.Json.JsonElement? e) => complete.TrySetResult();
        cdp.Event("Tracing.dataCollected").OnEvent += Collected;
        cdp.Event("Tracing.tracingComplete").OnEvent += Completed;
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "v8.execute", "toplevel" } },
        });
        var result = await measure();
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        cdp.Event("Tracing.dataCollected").OnEvent -= Collected;
        cdp.Event("Tracing.tracingComplete").OnEvent -= Completed;
        var path = Path.Combine(directory, $"{name}.json");
        await File.WriteAllTextAsync(path, $"{{\"traceEvents\":[{string.Join(',', events)}]}}");
        Out($"trace of {name}: {path}");
        return result;
    }

    /// <summary>Runs <paramref name="measure"/>, with <c>PROFILE=1</c> under Chromium's CPU profiler, and prints the functions that took its time.</summary>
    private static async Task<T> Profiled<T>(ICDPSession cdp, bool profile, string what, Func<Task<T>> measure)
    {
        if (!profile) return await measure();
        await cdp.SendAsync("Profiler.enable");
        await cdp.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 100 }); // µs: a remote change's work is a few ms
        await cdp.SendAsync("Profiler.start");
        var result = await measure();
        Out($"profile of {what}:");
        PrintProfile((await cdp.SendAsync("Profiler.stop"))!.Value.GetProperty("profile"));
        return result;
    }

    /// <summary>The functions with the most samples of a CPU profile (CDP Profiler), by self time.</summary>
    private static void PrintProfile(System.Text.Json.JsonElement profile)
    {
        var self = new Dictionary<int, int>();
        foreach (var id in profile.GetProperty("samples").EnumerateArray()) self[id.GetInt32()] = self.GetValueOrDefault(id.GetInt32()) + 1;
        var total = self.Values.Sum();
        var byName = new Dictionary<string, int>();
        foreach (var node in profile.GetProperty("nodes").EnumerateArray())
        {
            var frame = node.GetProperty("callFrame");
            var name = $"{frame.GetProperty("functionName").GetString()} {Path.GetFileName(frame.GetProperty("url").GetString())}:{frame.GetProperty("lineNumber").GetInt32()}";
            byName[name] = byName.GetValueOrDefault(name) + self.GetValueOrDefault(node.GetProperty("id").GetInt32());
        }
        foreach (var (name, n) in byName.OrderByDescending(p => p.Value).Take(15)) Out($"profile {100.0 * n / total,5:F1}% {name}");
    }

    private static string Fps(List<double> frames, int rounds)
    {
        var sorted = frames.OrderBy(f => f).ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return $"fps={frames.Count / (5.0 * rounds):F1} frame p50={P(0.5):F1}ms p95={P(0.95):F1}ms p99={P(0.99):F1}ms max={sorted[^1]:F1}ms";
    }

    private static string Summary(IEnumerable<double> samples)
    {
        var sorted = samples.OrderBy(s => s).ToArray();
        if (sorted.Length == 0) return "no samples";
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        var all = sorted.Length <= 10 ? $" (all: {string.Join(" ", sorted.Select(s => s.ToString("F1")))})" : "";
        return $"n={sorted.Length} p50={P(0.5):F1}ms p95={P(0.95):F1}ms max={sorted[^1]:F1}ms{all}";
    }

    private static void Out(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
