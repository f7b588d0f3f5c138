using System.Net.WebSockets;
using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>Invariant 1: a batch is acknowledged only once it is durably in the log. Real processes, real kills.</summary>
public class DurabilityTests
{
    private static readonly (string, string)[] Fast = [("Realtime:BatchesPerSecond", "5000"), ("Realtime:BatchBurst", "5000"), ("Realtime:MessagesPerSecond", "10000")];

    [Fact]
    public async Task Every_acknowledged_batch_survives_a_kill_9()
    {
        var server = await ServerProcess.StartAsync(null, [.. Fast, ("Log:SnapshotEveryBatches", "50")]);
        var canvas = await server.CreateCanvasAsync();
        var clients = new List<CanvasClient>();
        for (var c = 0; c < 3; c++) clients.Add(await CanvasClient.ConnectAsync(server, canvas, $"writer{c}"));

        // Writers keep sending; the server is killed while batches are in flight.
        var sending = clients.Select((client, c) => Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < 100_000; i++)
                    await client.SendOpsAsync($"r{i}", Batch.Of(Batch.Put($"w{c}-{i}", new { type = "rect", x = i })));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // the server is gone
            }
        })).ToList();
        await Eventually.Until(() => clients.Sum(c => c.AckCount) > 100, "100 acks before the kill");
        await server.KillAsync();
        await Task.WhenAll(sending);
        await Task.WhenAll(clients.Select(c => c.Closed.WaitAsync(Eventually.Ceiling)));
        var acked = clients.SelectMany((client, c) => client.Acks.Select(a => $"w{c}-{a.Ref[1..]}")).ToList();
        Assert.True(acked.Count > 100, $"only {acked.Count} acks before the kill");

        await using var restarted = await server.RestartAsync();
        var objects = (await restarted.DocumentAsync(canvas)).GetProperty("objects");
        var missing = acked.Where(id => !objects.TryGetProperty(id, out _)).ToList();
        Assert.Empty(missing);
        await server.DisposeAsync();
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task A_restart_restores_every_canvas_exactly_and_a_graceful_stop_closes_sockets_with_1001()
    {
        var server = await ServerProcess.StartAsync(null, [.. Fast, ("Log:SnapshotEveryBatches", "7")]);
        var canvases = new[] { await server.CreateCanvasAsync("one"), await server.CreateCanvasAsync("two") };
        var before = new Dictionary<string, string>();
        var open = new List<CanvasClient>();
        foreach (var canvas in canvases)
        {
            var client = await CanvasClient.ConnectAsync(server, canvas);
            open.Add(client);
            for (var i = 0; i < 20; i++)
            {
                var ops = i % 5 == 4
                    ? Batch.Of(Batch.Delete($"o{i - 2}"))
                    : Batch.Of(Batch.Put("frame", new { type = "frame", width = 500 }),
                        Batch.Put($"o{i}", new { type = "text", text = $"item {i}", parentId = "frame", fontSize = 12 + i }));
                await client.SendOpsAsync($"r{i}", ops);
            }
            await client.AckAsync("r19");
            before[canvas] = (await server.DocumentAsync(canvas)).GetRawText();
        }

        await server.StopAsync();
        foreach (var client in open)
        {
            await client.Closed.WaitAsync(Eventually.Ceiling);
            Assert.Equal((WebSocketCloseStatus)CloseCodes.GoingAway, client.CloseStatus);
            Assert.Equal(20, client.Acks.Count); // everything sent before the stop was acknowledged before the close
        }

        await using var restarted = await server.RestartAsync();
        foreach (var canvas in canvases) Assert.Equal(before[canvas], (await restarted.DocumentAsync(canvas)).GetRawText());
        await server.DisposeAsync();
        foreach (var client in open) await client.DisposeAsync();
    }

    [Fact]
    public async Task A_kill_after_snapshots_restores_snapshot_plus_later_batches()
    {
        var server = await ServerProcess.StartAsync(null, [.. Fast, ("Log:SnapshotEveryBatches", "5")]);
        var canvas = await server.CreateCanvasAsync();
        var client = await CanvasClient.ConnectAsync(server, canvas);
        for (var i = 0; i < 13; i++) await client.SendOpsAsync($"r{i}", Batch.Of(Batch.Put("a", new { type = "rect", x = i }), Batch.Put($"b{i}", new { type = "ellipse" })));
        await client.AckAsync("r12");
        var before = (await server.DocumentAsync(canvas)).GetRawText();
        await server.KillAsync();

        await using var restarted = await server.RestartAsync();
        Assert.Equal(before, (await restarted.DocumentAsync(canvas)).GetRawText());
        await using var back = await CanvasClient.ConnectAsync(restarted, canvas, since: 0);
        Assert.Equal(JsonDocument.Parse(before).RootElement.GetProperty("seq").GetInt64(), back.Seq);
        await server.DisposeAsync();
        await client.DisposeAsync();
    }
}
