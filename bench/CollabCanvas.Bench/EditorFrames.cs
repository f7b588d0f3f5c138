using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace CollabCanvas.Bench;

/// <summary>
/// The editor's frame time in Debian's Chromium (headless, software rendering): a canvas with N objects, the view
/// panned every frame for 5 s while a peer moves objects 20 times a second. Frame times come from
/// requestAnimationFrame in the page.
/// </summary>
public static class EditorFrames
{
    public static async Task<int> RunAsync(BenchOptions o)
    {
        var count = o.Count == 10_000 ? 2000 : o.Count;
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        await using var chromium = await BenchBrowser.OpenAsync(o.Url);
        var context = chromium.Context;
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(o.Url, $"/c/{canvas}").ToString());
        await page.Locator(".status[data-status=online]").WaitForAsync();
        await page.EvaluateAsync("""
            count => {
              const kinds = ['rect', 'ellipse', 'text'];
              const ops = [];
              for (let i = 0; i < count; i++) {
                const type = kinds[i % 3];
                ops.push({ op: 'put', id: 'o' + i, props: { type, x: (i % 50) * 60, y: Math.floor(i / 50) * 60, width: 50, height: 40,
                  fill: ['#4dabf7', '#ffa94d', '#1f2328'][i % 3], ...(type === 'text' ? { text: 'Item ' + i, fontSize: 12 } : {}) } });
              }
              window.collabcanvas.client.submit(ops);
            }
            """, count);
        await page.WaitForFunctionAsync("() => window.collabcanvas.client.pendingCount === 0", null, new() { Timeout = 60_000 });

        // The peer: moves one of the objects 20 times a second over a real WebSocket.
        using var stop = new CancellationTokenSource();
        var peer = await BenchClient.ConnectAsync(o.Url, canvas, "peer", _ => { });
        var peerTask = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await peer.SendAsync(BenchClient.Utf8("{\"type\":\"ops\",\"ref\":\"p" + i + "\",\"ops\":[{\"op\":\"put\",\"id\":\"o" + (i % count) + "\",\"props\":{\"x\":" + (i % 700) + "}}]}"));
                i++;
                await Task.Delay(50);
            }
        });

        var frames = await page.EvaluateAsync<double[]>("""
            () => new Promise(resolve => {
              const stage = window.collabcanvas.stage;
              const times = [];
              let last = performance.now();
              const start = last;
              const step = now => {
                times.push(now - last);
                last = now;
                stage.position({ x: -((now - start) / 5) % 1500, y: -((now - start) / 9) % 900 });
                stage.batchDraw();
                if (now - start < 5000) requestAnimationFrame(step); else resolve(times.slice(1));
              };
              requestAnimationFrame(step);
            })
            """);
        stop.Cancel();
        await peerTask;
        await peer.DisposeAsync();

        Array.Sort(frames);
        double P(double q) => frames[Math.Min(frames.Length - 1, (int)(q * frames.Length))];
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] RESULT editor objects={count} frames={frames.Length} " +
            $"frame p50={P(0.5):F1}ms p95={P(0.95):F1}ms p99={P(0.99):F1}ms max={frames[^1]:F1}ms fps={frames.Length / 5.0:F0}");
        return 0;
    }
}
