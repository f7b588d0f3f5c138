using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace CollabCanvas.Bench;

public static class Scenarios
{
    private static void Out(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    /// <summary>Opens <c>--count</c> idle sessions over <c>--canvases</c> canvases and reports the server's RSS per session.</summary>
    public static async Task<int> ConnectionsAsync(BenchOptions o)
    {
        if (o.ServerPid is not { } pid) throw new ArgumentException("--server-pid is required");
        var canvases = await BenchClient.CreateCanvasesAsync(o.Url, o.Canvases ?? 100);
        var clients = new List<BenchClient>();
        // One session per canvas first, so that rooms are loaded before the baseline.
        foreach (var canvas in canvases) clients.Add(await BenchClient.ConnectAsync(o.Url, canvas, "warm", _ => { }, 4096));
        await Task.Delay(3000);
        var before = Stats.RssKb(pid);
        Out($"baseline: {canvases.Length} rooms, server RSS {before / 1024.0:F1} MB");

        var opened = new BenchClient[o.Count];
        var started = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(200);
        await Task.WhenAll(Enumerable.Range(0, o.Count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                opened[i] = await BenchClient.ConnectAsync(o.Url, canvases[i % canvases.Length], $"idle{i}", _ => { }, 4096);
            }
            finally
            {
                gate.Release();
            }
        }));
        Out($"opened {o.Count} sessions in {started.Elapsed.TotalSeconds:F1}s");
        long after = 0;
        for (var i = 0; i < (o.Seconds ?? 15) / 5; i++)
        {
            await Task.Delay(5000);
            after = Stats.RssKb(pid);
            Out($"server RSS {after / 1024.0:F1} MB, {(after - before) * 1024.0 / o.Count / 1024:F2} KB per session");
        }
        var open = opened.Count(c => c.IsOpen);
        Out($"RESULT connections={o.Count} open={open} rss_before_mb={before / 1024.0:F1} rss_after_mb={after / 1024.0:F1} per_session_kb={(after - before) / (double)o.Count:F2}");
        await Task.WhenAll(opened.Concat(clients).Select(c => c.DisposeAsync().AsTask()));
        return open == o.Count ? 0 : 1;
    }

    /// <summary>
    /// <c>--clients</c> clients over <c>--canvases</c> canvases, each putting its own object at <c>--rate</c> per
    /// second. The sender's timestamp rides in the object's <c>name</c>; every receiver records send-to-receive time.
    /// </summary>
    public static async Task<int> FanoutAsync(BenchOptions o)
    {
        var clientCount = o.Clients ?? 1000;
        // The SignalR relay has no canvases to create: a canvas is a group name.
        var canvases = o.SignalR ? Enumerable.Range(0, o.Canvases ?? 50).Select(i => $"g{i}").ToArray()
            : await BenchClient.CreateCanvasesAsync(o.Url, o.Canvases ?? 50);
        var seconds = o.Seconds ?? 20;
        var delivery = new Recorder[clientCount];
        var acks = new Recorder[clientCount];
        var clients = new BenchClient[clientCount];
        long received = 0;
        for (var i = 0; i < clientCount; i++)
        {
            var d = delivery[i] = new Recorder();
            var a = acks[i] = new Recorder();
            // Spread over the instances so that most receivers are on another instance than the sender.
            void OnFrame(ReadOnlyMemory<byte> frame)
            {
                BenchClient.ForEachNumberAfter(frame.Span, "\"name\":\"t"u8, sent =>
                {
                    d.RecordSince(sent);
                    if (d.Recording) Interlocked.Increment(ref received);
                });
                BenchClient.ForEachNumberAfter(frame.Span, "\"ref\":\""u8, sent => a.RecordSince(sent));
            }
            var url = o.Urls[i % o.Urls.Length];
            clients[i] = o.SignalR ? await BenchClient.ConnectSignalRAsync(url, canvases[i % canvases.Length], OnFrame)
                : await BenchClient.ConnectAsync(url, canvases[i % canvases.Length], $"c{i}", OnFrame);
        }
        Out($"{clientCount} clients on {canvases.Length} canvases, {o.Urls.Length} instance(s); sending {o.Rate}/s each for {seconds}s after a 3s warm-up");

        using var stop = new CancellationTokenSource();
        var period = TimeSpan.FromSeconds(1 / o.Rate);
        long sent = 0;
        var senders = clients.Select((client, i) => Task.Run(async () =>
        {
            await Task.Delay(Random.Shared.Next((int)period.TotalMilliseconds));
            using var timer = new PeriodicTimer(period);
            var x = 0;
            while (await timer.WaitForNextTickAsync(stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result))
            {
                var now = Stopwatch.GetTimestamp();
                var ops = "[{\"op\":\"put\",\"id\":\"o" + i + "\",\"props\":{\"type\":\"rect\",\"x\":" + (x++ % 1000) + ",\"name\":\"t" + now + "\"}}]";
                try
                {
                    await client.SendBatchAsync(now.ToString(), ops);
                    Interlocked.Increment(ref sent);
                }
                catch (Exception)
                {
                    return;
                }
            }
        })).ToArray();

        await Task.Delay(3000);
        foreach (var r in delivery.Concat(acks)) r.Recording = true;
        var sentAtStart = Interlocked.Read(ref sent);
        var serverCpuAtStart = o.ServerPid is { } pid ? Stats.CpuTime(pid) : TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        foreach (var r in delivery.Concat(acks)) r.Recording = false;
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = o.ServerPid is { } p ? (Stats.CpuTime(p) - serverCpuAtStart).TotalSeconds : double.NaN;
        var sentInWindow = Interlocked.Read(ref sent) - sentAtStart;
        stop.Cancel();
        await Task.WhenAll(senders);

        Out($"RESULT fanout{(o.SignalR ? " signalr-relay" : "")} clients={clientCount} canvases={canvases.Length} rate={o.Rate}/s " +
            $"batches_in={sentInWindow / elapsed:F0}/s messages_out={Interlocked.Read(ref received) / elapsed:F0}/s");
        Out($"RESULT server cpu={serverCpu / elapsed * 100:F0}% of one core, {serverCpu * 1e6 / Interlocked.Read(ref received):F1} us per delivered message");
        Out($"RESULT delivery latency {Stats.Summary(delivery)}");
        Out($"RESULT ack latency {Stats.Summary(acks)}");
        var open = clients.Count(c => c.IsOpen);
        Out($"open sessions at the end: {open}/{clientCount}");
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        return open == clientCount ? 0 : 1;
    }

    /// <summary>
    /// The promise that a change of access reaches open sockets within a second, measured (the tests only check that
    /// it arrives: a loaded machine stretches it). Each round the owner adds a member, the member opens a socket (on
    /// the last of <c>--urls</c>, so with two instances the removal crosses them), and the owner removes them; the
    /// time runs from sending the removal to the socket's close.
    /// </summary>
    public static async Task<int> RevokeAsync(BenchOptions o)
    {
        var rounds = o.Count == 10_000 ? 200 : o.Count; // --count defaults to 10000 for the connections scenario
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        using var owner = new HttpClient(new HttpClientHandler { CookieContainer = BenchClient.Cookies }) { BaseAddress = o.Url };
        const string email = "member@example.test";
        var member = await BenchClient.SignInAsync(o.Url, email, "member");
        using var asMember = new HttpClient(new HttpClientHandler { CookieContainer = member }) { BaseAddress = o.Url };
        var memberId = (await asMember.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        var latency = new Recorder { Recording = true };
        for (var i = 0; i < rounds; i++)
        {
            (await owner.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email, role = "editor" })).EnsureSuccessStatusCode();
            await using var socket = await BenchClient.ConnectAsync(o.Urls[^1], canvas, "member", _ => { }, 4096, member);
            var sent = Stopwatch.GetTimestamp();
            (await owner.DeleteAsync($"/api/canvases/{canvas}/members/{memberId}")).EnsureSuccessStatusCode();
            await socket.Closed.WaitAsync(TimeSpan.FromSeconds(60));
            latency.RecordSince(sent);
        }
        Out($"RESULT revoke instances={o.Urls.Length} rounds={rounds} removal to close {Stats.Summary([latency])}");
        return 0;
    }

    /// <summary>Clients send batches with <c>--window</c> in flight each; reports acknowledged (committed) batches per second.</summary>
    public static async Task<int> DurableAsync(BenchOptions o)
    {
        var clientCount = o.Clients ?? 50;
        var canvases = await BenchClient.CreateCanvasesAsync(o.Url, o.Canvases ?? 1);
        var seconds = o.Seconds ?? 10;
        var acks = new Recorder[clientCount];
        long acked = 0;
        var clients = new BenchClient[clientCount];
        var windows = new SemaphoreSlim[clientCount];
        for (var i = 0; i < clientCount; i++)
        {
            var a = acks[i] = new Recorder();
            var window = windows[i] = new SemaphoreSlim(o.Window);
            clients[i] = await BenchClient.ConnectAsync(o.Urls[i % o.Urls.Length], canvases[i % canvases.Length], $"d{i}", frame =>
            {
                BenchClient.ForEachNumberAfter(frame.Span, "\"type\":\"ack\",\"ref\":\""u8, sentAt =>
                {
                    a.RecordSince(sentAt);
                    if (a.Recording) Interlocked.Increment(ref acked);
                    window.Release();
                });
            });
        }
        using var stop = new CancellationTokenSource();
        var senders = clients.Select((client, i) => Task.Run(async () =>
        {
            var n = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await windows[i].WaitAsync(stop.Token);
                    var now = Stopwatch.GetTimestamp();
                    await client.SendAsync(BenchClient.Utf8("{\"type\":\"ops\",\"ref\":\"" + now + "\",\"ops\":[{\"op\":\"put\",\"id\":\"d" + i + "-" + (n++ % 100) +
                        "\",\"props\":{\"type\":\"rect\",\"x\":" + n + "}}]}"));
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        await Task.Delay(2000);
        foreach (var r in acks) r.Recording = true;
        var serverCpuAtStart = o.ServerPid is { } pid ? Stats.CpuTime(pid) : TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        foreach (var r in acks) r.Recording = false;
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = o.ServerPid is { } p ? (Stats.CpuTime(p) - serverCpuAtStart).TotalSeconds : double.NaN;
        var rate = Interlocked.Read(ref acked) / elapsed;
        stop.Cancel();
        await Task.WhenAll(senders);
        Out($"RESULT durable clients={clientCount} canvases={canvases.Length} window={o.Window} acked_batches={rate:F0}/s");
        Out($"RESULT server cpu={serverCpu / elapsed * 100:F0}% of one core, {serverCpu * 1e6 / Interlocked.Read(ref acked):F1} us per acked batch");
        Out($"RESULT ack latency {Stats.Summary(acks)}");
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        return 0;
    }

    /// <summary>
    /// Joining a large canvas: <c>--count</c> objects (10,000 by default) are put through the protocol, in batches of
    /// 500, by one client; then <c>--joins</c> times, one after another, a fresh client connects, sends hello without
    /// <c>since</c> and waits for its welcome, which carries the whole state (docs/protocol.md). Reports the time from
    /// hello to the last byte of the welcome, and from opening the socket; a welcome without every object fails the run.
    /// </summary>
    public static async Task<int> JoinAsync(BenchOptions o)
    {
        var objects = o.Count;
        var canvas = (await BenchClient.CreateCanvasesAsync(o.Url, 1))[0];
        var lastRef = "";
        var seededUpTo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var seeder = await BenchClient.ConnectAsync(o.Url, canvas, "seed", frame =>
        {
            if (lastRef.Length > 0 && frame.Span.IndexOf(BenchClient.Utf8($"\"type\":\"ack\",\"ref\":\"{lastRef}\"")) >= 0) seededUpTo.TrySetResult();
        }))
        {
            const int perBatch = 500;
            for (var first = 0; first < objects; first += perBatch)
            {
                var ops = string.Join(',', Enumerable.Range(first, Math.Min(perBatch, objects - first)).Select(i =>
                    $"{{\"op\":\"put\",\"id\":\"seeded{i:D5}\",\"props\":{{\"type\":\"rect\",\"x\":{i % 100 * 30},\"y\":{i / 100 * 30},\"width\":24,\"height\":24,\"fill\":\"#3366cc\"}}}}"));
                if (first + perBatch >= objects) lastRef = $"seed{first}";
                await seeder.SendBatchAsync($"seed{first}", $"[{ops}]");
            }
            await seededUpTo.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        Out($"seeded {objects} objects on one canvas; measuring {o.Joins} joins one after another");

        var fromHello = new Recorder { Recording = true };
        var fromConnect = new Recorder { Recording = true };
        var welcomeBytes = 0;
        var serverCpuAtStart = o.ServerPid is { } pid ? Stats.CpuTime(pid) : TimeSpan.Zero;
        for (var j = 0; j < o.Joins; j++)
        {
            var marked = 0;
            var connecting = Stopwatch.GetTimestamp();
            await using var joiner = await BenchClient.ConnectAsync(o.Url, canvas, $"join{j}", frame =>
            {
                if (frame.Span.IndexOf("\"welcome\""u8) >= 0) marked = Count(frame.Span, "\"seeded"u8);
            }, 1 << 20);
            if (marked != objects) throw new InvalidOperationException($"join {j}: the welcome held {marked} objects, not {objects}");
            fromHello.Samples.Add((float)Stopwatch.GetElapsedTime(joiner.HelloSentAt, joiner.WelcomedAt).TotalMilliseconds);
            fromConnect.Samples.Add((float)Stopwatch.GetElapsedTime(connecting, joiner.WelcomedAt).TotalMilliseconds);
            welcomeBytes = joiner.WelcomeBytes;
        }
        var serverCpu = o.ServerPid is { } p ? (Stats.CpuTime(p) - serverCpuAtStart).TotalMilliseconds / o.Joins : double.NaN;
        Out($"RESULT join objects={objects} joins={o.Joins} welcome={welcomeBytes / 1024.0:F0} KB server cpu {serverCpu:F1} ms per join");
        Out($"RESULT join hello to full state {Stats.Summary([fromHello])}");
        Out($"RESULT join socket open to full state {Stats.Summary([fromConnect])}");
        return 0;
    }

    private static int Count(ReadOnlySpan<byte> text, ReadOnlySpan<byte> marker)
    {
        var count = 0;
        for (var at = text.IndexOf(marker); at >= 0; at = text.IndexOf(marker))
        {
            count++;
            text = text[(at + marker.Length)..];
        }
        return count;
    }
}
