using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace CollabCanvas.Bench;

/// <summary>
/// History reads (issue 17): one canvas gets <c>--count</c> batches through the protocol (one client, 64 in flight; the
/// first thousand create objects, the rest move one object each, as drags do), then <c>--joins</c> times, one after
/// another, <c>GET /api/canvases/{id}/history/state?seq=N</c> at a random seq (a checkpoint plus a bounded replay).
/// Reports the round trip and the server's CPU per read; a state missing its objects fails the run. bench/run.sh
/// prints the storage it took afterwards.
/// </summary>
public static class HistoryReads
{
    private const int Objects = 1000;
    private const int Window = 64;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var batches = o.Count;
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        var window = new SemaphoreSlim(Window);
        var lastSeq = 0L;
        var seeding = Stopwatch.StartNew();
        await using (var seeder = await BenchClient.ConnectAsync(o.Url, canvas, "seed", frame =>
        {
            BenchClient.ForEachNumberAfter(frame.Span, "\"seq\":"u8, seq =>
            {
                if (seq > Interlocked.Read(ref lastSeq)) Interlocked.Exchange(ref lastSeq, seq);
            });
            BenchClient.ForEachNumberAfter(frame.Span, "\"type\":\"ack\",\"ref\":\"h"u8, _ => window.Release());
        }))
        {
            for (var i = 0; i < batches; i++)
            {
                await window.WaitAsync();
                var id = $"h{i % Objects:D4}";
                var props = i < Objects
                    ? $"{{\"type\":\"rect\",\"x\":{i % 40 * 30},\"y\":{i / 40 * 30},\"width\":24,\"height\":24,\"fill\":\"#3366cc\"}}"
                    : $"{{\"x\":{i % 1200},\"y\":{i % 900}}}";
                await seeder.SendAsync(BenchClient.Utf8($"{{\"type\":\"ops\",\"ref\":\"h{i}\",\"ops\":[{{\"op\":\"put\",\"id\":\"{id}\",\"props\":{props}}}]}}"));
            }
            for (var i = 0; i < Window; i++) await window.WaitAsync(TimeSpan.FromSeconds(120));
        }
        Out($"seeded {batches} batches ({Objects} objects) on one canvas in {seeding.Elapsed.TotalSeconds:F0} s, last seq {lastSeq}; measuring {o.Joins} reads");

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = BenchClient.Cookies }) { BaseAddress = o.Url };
        var random = new Random(17);
        var reads = new Recorder { Recording = true };
        var serverCpuAtStart = o.ServerPid is { } pid ? Stats.CpuTime(pid) : TimeSpan.Zero;
        for (var r = 0; r < o.Joins; r++)
        {
            var seq = random.NextInt64(Objects, lastSeq + 1);
            var started = Stopwatch.GetTimestamp();
            var response = await http.GetAsync($"/api/canvases/{canvas}/history/state?seq={seq}");
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            reads.RecordSince(started);
            var count = body.GetProperty("objects").EnumerateObject().Count();
            if (count != Objects || !body.GetProperty("exact").GetBoolean())
                throw new InvalidOperationException($"state at {seq}: {count} objects, exact {body.GetProperty("exact")}");
        }
        var serverCpu = o.ServerPid is { } p ? (Stats.CpuTime(p) - serverCpuAtStart).TotalMilliseconds / o.Joins : double.NaN;
        Out($"RESULT history batches={batches} objects={Objects} reads={o.Joins} server cpu {serverCpu:F1} ms per read");
        Out($"RESULT history state at a random seq {Stats.Summary([reads])}");
        return 0;
    }

    private static void Out(string line) => Console.WriteLine(line);
}
