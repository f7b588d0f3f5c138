using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>Invariants 2 and 3: every session gets every batch exactly once in seq order, and all replicas converge.</summary>
public class DeliveryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Concurrent_conflicting_batches_converge_on_every_client_and_the_document()
    {
        var canvas = await Server.CreateCanvasAsync();
        var clients = new List<CanvasClient>();
        for (var i = 0; i < 5; i++) clients.Add(await CanvasClient.ConnectAsync(Server, canvas, $"user{i}"));
        string[] ids = ["a", "b", "c", "f"];
        string[] fills = ["#111", "#222", "#333", "#444", "#555"];

        await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            var random = new Random(c);
            for (var b = 0; b < 40; b++)
            {
                var id = ids[random.Next(ids.Length)];
                var ops = random.Next(6) switch
                {
                    0 => Batch.Of(Batch.Delete(id)),
                    1 => Batch.Of(Batch.Put(id, new { type = "frame" }), Batch.Put(ids[random.Next(ids.Length)], new { parentId = id })),
                    2 => Batch.Of(Batch.Put(id, new { fill = fills[c], x = b })),
                    _ => Batch.Rect(id, random.Next(1000), fills[c]),
                };
                await client.SendOpsAsync($"r{b}", ops);
            }
            for (var b = 0; b < 40; b++) await client.AckAsync($"r{b}");
        })));

        var document = await Server.DocumentAsync(canvas);
        var finalSeq = document.GetProperty("seq").GetInt64();
        var expected = System.Text.Encoding.UTF8.GetString(CanvasState.Read(document.GetProperty("objects")).ObjectsToUtf8());
        var allSeqs = clients.SelectMany(c => c.Acks.Select(a => a.Seq)).Order().ToList();
        Assert.Equal(200, allSeqs.Count);
        Assert.Equal(finalSeq, allSeqs[^1]);
        foreach (var client in clients)
        {
            await client.WaitForSeqAsync(finalSeq);
            Assert.Equal(expected, client.ReplicaJson());
            Assert.Equal(allSeqs, client.Delivered); // every batch, once, in seq order
        }
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task Reconnecting_with_since_replays_exactly_the_missed_batches()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var writer = await CanvasClient.ConnectAsync(Server, canvas, "writer");
        var reader = await CanvasClient.ConnectAsync(Server, canvas, "reader");
        await writer.SendOpsAsync("r0", Batch.Rect("a", 0, "#000000"));
        var seen = (await reader.NextAsync("ops")).GetProperty("seq").GetInt64();
        reader.Abort();
        await reader.DisposeAsync();

        var missed = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            await writer.SendOpsAsync($"r{i}", Batch.Rect($"o{i}", i, "#ffffff"));
            missed.Add((await writer.AckAsync($"r{i}")).GetProperty("seq").GetInt64());
        }

        await using var back = await CanvasClient.ConnectAsync(Server, canvas, "reader", since: seen);
        Assert.Equal(missed, back.Delivered); // exactly the missed batches, in order
        Assert.Equal(missed[^1], back.Seq);
        await writer.SendOpsAsync("r6", Batch.Rect("o6", 6, "#ffffff"));
        var next = (await writer.AckAsync("r6")).GetProperty("seq").GetInt64();
        await back.NextAsync("ops");
        Assert.Equal([.. missed, next], back.Delivered);
    }

    [Fact]
    public async Task A_batch_resent_after_a_reconnect_gets_its_original_ack_and_is_not_logged_twice()
    {
        var canvas = await Server.CreateCanvasAsync();
        var first = await CanvasClient.ConnectAsync(Server, canvas, clientId: "editor1");
        await first.SendOpsAsync("r1", Batch.Rect("a", 1, "#000000"));
        var original = (await first.AckAsync("r1")).GetProperty("seq").GetInt64();
        first.Abort(); // as if the ack was lost with the connection
        await first.DisposeAsync();

        await using var again = await CanvasClient.ConnectAsync(Server, canvas, clientId: "editor1", since: 0);
        var replayed = Assert.Single(again.Delivered);
        Assert.Equal(original, replayed);
        await again.SendOpsAsync("r1", Batch.Rect("a", 1, "#000000"));
        Assert.Equal(original, (await again.AckAsync("r1")).GetProperty("seq").GetInt64());
        Assert.Equal(original, (await Server.DocumentAsync(canvas)).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_ref_reused_for_other_ops_is_refused()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas);
        await client.SendOpsAsync("r1", Batch.Rect("a", 1, "#000000"));
        var seq = (await client.AckAsync("r1")).GetProperty("seq").GetInt64();
        await client.SendOpsAsync("r1", Batch.Rect("a", 2, "#000000"));
        var error = await client.ErrorAsync("ref_conflict");
        Assert.Equal("r1", error.GetProperty("ref").GetString());
        var document = await Server.DocumentAsync(canvas);
        Assert.Equal(seq, document.GetProperty("seq").GetInt64());
        Assert.Equal(1, document.GetProperty("objects").GetProperty("a").GetProperty("x").GetInt32());
    }
}

/// <summary>Replays that reach past the in-memory buffer into the log, and past the retained log into a full state.</summary>
public class ReplayFromLogTests
{
    [Fact]
    public async Task A_since_older_than_the_memory_buffer_is_replayed_from_the_log()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Realtime:ReplayBufferBatches", "2"));
        var canvas = await server.CreateCanvasAsync();
        await using var writer = await CanvasClient.ConnectAsync(server, canvas);
        var seqs = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            await writer.SendOpsAsync($"r{i}", Batch.Rect($"o{i}", i));
            seqs.Add((await writer.AckAsync($"r{i}")).GetProperty("seq").GetInt64());
        }
        await using var reader = await CanvasClient.ConnectAsync(server, canvas, since: seqs[0]);
        Assert.Equal(seqs.Skip(1), reader.Delivered);
        Assert.Equal(["o1", "o2", "o3", "o4", "o5"], reader.Replica.Objects.Keys.Order());
    }

    [Fact]
    public async Task A_since_older_than_the_retained_log_gets_the_full_state()
    {
        await using var server = await ServerProcess.StartAsync(null,
            ("Realtime:ReplayBufferBatches", "0"), ("Log:SnapshotEveryBatches", "1"), ("History:RetentionDays", "0.00001"), ("History:CheckpointEveryBatches", "1"),
            ("Log:PruneEverySeconds", "1"));
        var canvas = await server.CreateCanvasAsync();
        await using var writer = await CanvasClient.ConnectAsync(server, canvas);
        for (var i = 0; i < 3; i++)
        {
            await writer.SendOpsAsync($"r{i}", Batch.Rect($"o{i}", i));
            await writer.AckAsync($"r{i}");
        }
        await server.PrunedAsync(canvas, writer.Seq);

        var welcomed = await CanvasClient.ConnectAsync(server, canvas, hello: false);
        await welcomed.SendJsonAsync(new { type = "hello", since = 1 });
        var welcome = await welcomed.NextAsync("welcome");
        Assert.False(welcome.TryGetProperty("replay", out _));
        Assert.Equal(3, welcome.GetProperty("objects").EnumerateObject().Count());
        Assert.Equal(writer.Seq, welcome.GetProperty("seq").GetInt64());
        await welcomed.DisposeAsync();
    }
}
