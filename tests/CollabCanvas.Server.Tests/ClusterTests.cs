using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Tests.Infrastructure;
using System.Runtime.InteropServices;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Several real server processes on one host sharing their storage: one SQLite file (the SharedSqlite log), or
/// PostgreSQL with Redis between the instances. The tests that hold for every multi-instance deployment run on both
/// (<see cref="ClusterBackend.All"/>); those about SQLite's own cleanup and locking run on SharedSqlite.
/// </summary>
public class ClusterTests
{
    public static TheoryData<string> Backends => ClusterBackend.All;

    private static string Json(CanvasState state) => Encoding.UTF8.GetString(state.ObjectsToUtf8());

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Clients_on_three_instances_converge_and_see_one_order(string backendName)
    {
        await using var backend = await ClusterBackend.StartAsync(backendName);
        var servers = await backend.StartInstancesAsync(3);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            var clients = new List<CanvasClient>();
            for (var i = 0; i < 6; i++) clients.Add(await CanvasClient.ConnectAsync(servers[i % 3], canvas, $"user{i}"));
            string[] ids = ["a", "b", "f"];
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                var random = new Random(c);
                for (var b = 0; b < 30; b++)
                {
                    var id = ids[random.Next(ids.Length)];
                    var ops = random.Next(5) switch
                    {
                        0 => Batch.Of(Batch.Delete(id)),
                        1 => Batch.Of(Batch.Put(id, new { type = "frame" }), Batch.Put(ids[random.Next(ids.Length)], new { parentId = id })),
                        _ => Batch.Rect(id, random.Next(1000), $"#{c}{c}{c}"),
                    };
                    await client.SendOpsAsync($"r{b}", ops);
                }
                for (var b = 0; b < 30; b++) await client.WaitForAckOfAsync($"r{b}");
            })));

            var allSeqs = clients.SelectMany(c => c.Acks.Select(a => a.Seq)).Order().ToList();
            Assert.Equal(180, allSeqs.Distinct().Count());
            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(allSeqs[^1]);
                Assert.Equal(allSeqs, client.Delivered); // every batch once, in the one seq order, on every instance
            }
            var expected = clients[0].ReplicaJson();
            foreach (var client in clients) Assert.Equal(expected, client.ReplicaJson());
            foreach (var server in servers)
            {
                var document = await server.DocumentAsync(canvas);
                Assert.Equal(allSeqs[^1], document.GetProperty("seq").GetInt64());
                Assert.Equal(expected, Json(CanvasState.Read(document.GetProperty("objects"))));
            }
            foreach (var client in clients) await client.DisposeAsync();
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restarting_every_instance_restores_every_canvas_exactly()
    {
        await using var backend = await ClusterBackend.StartAsync(ClusterBackend.SharedSqlite);
        var servers = await backend.StartInstancesAsync(2, ("Log:SnapshotEveryBatches", "7"));
        var canvases = new[] { await servers[0].CreateCanvasAsync("one"), await servers[1].CreateCanvasAsync("two") };
        for (var i = 0; i < 4; i++)
        {
            await using var client = await CanvasClient.ConnectAsync(servers[i % 2], canvases[i / 2]);
            for (var b = 0; b < 12; b++)
                await client.SendOpsAsync($"r{b}", Batch.Of(Batch.Put($"o{i}-{b % 5}", new { type = "rect", x = b }), Batch.Put("shared", new { type = "ellipse", y = i * 100 + b })));
            await client.WaitForAckOfAsync("r11");
        }
        var before = new Dictionary<string, string>();
        foreach (var canvas in canvases)
        {
            // Both instances agree once the last batches have reached the one that did not append them.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            string[] documents;
            do documents = await Task.WhenAll(servers.Select(async s => (await s.DocumentAsync(canvas)).GetRawText()));
            while (documents.Distinct().Count() > 1 && DateTime.UtcNow < deadline);
            Assert.Single(documents.Distinct());
            before[canvas] = documents[0];
        }
        foreach (var server in servers) await server.StopAsync();

        var restarted = await Task.WhenAll(servers.Select(s => s.RestartAsync(backend.Settings)));
        try
        {
            foreach (var server in restarted)
                foreach (var canvas in canvases)
                    Assert.Equal(before[canvas], (await server.DocumentAsync(canvas)).GetRawText());
        }
        finally
        {
            foreach (var server in servers.Concat(restarted)) await server.DisposeAsync();
        }
    }

    /// <summary>Also on PostgreSQL without Redis, where presence travels by NOTIFY.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    [InlineData(ClusterBackend.Postgres)]
    public async Task Presence_join_and_leave_cross_instances(string backendName)
    {
        await using var backend = await ClusterBackend.StartAsync(backendName);
        var servers = await backend.StartInstancesAsync(2);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            await using var bob = await CanvasClient.ConnectAsync(servers[1], canvas, "Bob", cookies: await servers[0].MemberAsync(canvas, "Bob"));
            var alice = await CanvasClient.ConnectAsync(servers[0], canvas, "Alice", cookies: await servers[0].MemberAsync(canvas, "Alice"));
            var join = await bob.NextAsync("join");
            Assert.Equal("Alice", join.GetProperty("peer").GetProperty("user").GetProperty("name").GetString());

            await alice.SendJsonAsync(new { type = "presence", cursor = new { x = 10, y = 20 }, selection = new[] { "a" } });
            var presence = await bob.NextAsync("presence", m => m.GetProperty("cursor").ValueKind == System.Text.Json.JsonValueKind.Object);
            Assert.Equal(alice.Session, presence.GetProperty("session").GetString());
            Assert.Equal(20, presence.GetProperty("cursor").GetProperty("y").GetDouble());

            await alice.CloseAsync();
            var leave = await bob.NextAsync("leave", m => m.GetProperty("session").GetString() == alice.Session);
            Assert.NotNull(leave.GetProperty("session").GetString());
            await alice.DisposeAsync();
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_rename_and_a_member_removal_on_one_instance_reach_the_socket_on_another_within_a_second(string backendName)
    {
        await using var backend = await ClusterBackend.StartAsync(backendName);
        var servers = await backend.StartInstancesAsync(2);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            var cookies = await servers[0].MemberAsync(canvas, "Remy");
            await using var remy = await CanvasClient.ConnectAsync(servers[1], canvas, "Remy", cookies: cookies);
            var members = await servers[0].Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/canvases/{canvas}/members");
            var remyId = members.EnumerateArray().Single(m => m.GetProperty("displayName").GetString() == "Remy").GetProperty("userId").GetString();

            (await servers[0].Http.PatchAsJsonAsync($"/api/canvases/{canvas}", new { name = "Renamed elsewhere" })).EnsureSuccessStatusCode();
            Assert.Equal("Renamed elsewhere", (await remy.NextAsync("canvas")).GetProperty("name").GetString());

            // Within a second (bench/cluster.sh 2 revoke measures it); no time is asserted, a loaded machine is slower.
            // Nothing else would ever close this socket, so its close is the removal reaching the other instance.
            (await servers[0].Http.DeleteAsync($"/api/canvases/{canvas}/members/{remyId}")).EnsureSuccessStatusCode();
            await remy.Closed.WaitAsync(Eventually.Ceiling);
            Assert.Equal(4403, (int?)remy.CloseStatus);
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Signing_out_on_one_instance_closes_ticket_sockets_on_another_and_voids_the_unused_tickets(string backendName)
    {
        await using var backend = await ClusterBackend.StartAsync(backendName);
        var servers = await backend.StartInstancesAsync(2);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            var (signIn, _) = await servers[0].SignInAsync(ServerProcess.TestUser);
            using var __ = signIn;
            var used = await Tickets.MintAsync(signIn);
            var unused = await Tickets.MintAsync(signIn);
            await using var socket = await CanvasClient.ConnectAsync(servers[1].BaseUri, canvas, helloExtra: new() { ["ticket"] = used });

            (await signIn.PostAsync("/auth/logout", null)).Dispose();
            await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(4401, (int?)socket.CloseStatus);
            Assert.Equal(4401, await Tickets.CloseCodeOfAsync(servers[1].BaseUri, canvas, unused));
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Killing_an_instance_loses_no_acknowledged_batch_and_resends_are_applied_once(string backendName)
    {
        await using var backend = await ClusterBackend.StartAsync(backendName);
        var servers = await backend.StartInstancesAsync(3);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            await using var watcher = await CanvasClient.ConnectAsync(servers[2], canvas, "watcher");
            await using var writer = await CanvasClient.ConnectAsync(servers[0], canvas, "writer", clientId: "writer1");
            var sent = new Dictionary<string, string>();
            var sending = Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; i < 100_000; i++)
                    {
                        var ops = Batch.Of(Batch.Put($"o{i}", new { type = "rect", x = i }));
                        lock (sent) sent[$"r{i}"] = ops;
                        await writer.SendOpsAsync($"r{i}", ops);
                        if (i >= 100) await writer.WaitForAckOfAsync($"r{i - 100}"); // at most 100 in flight, like an editor
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or TimeoutException)
                {
                    // the instance is gone
                }
            });
            await Eventually.Until(() => writer.AckCount > 50, "50 acks before the kill");
            await servers[0].KillAsync();
            await sending;
            await writer.Closed.WaitAsync(Eventually.Ceiling);
            var acked = writer.Acks.Select(a => a.Ref).ToHashSet();
            Assert.True(acked.Count > 50, $"only {acked.Count} acks before the kill");

            // Reconnect to another instance with since, and resend everything that was not acknowledged.
            await using var back = await CanvasClient.ConnectAsync(servers[1], canvas, "writer", since: writer.Seq, clientId: "writer1");
            var unacked = sent.Keys.Where(r => !acked.Contains(r)).ToList();
            foreach (var reference in unacked) await back.SendOpsAsync(reference, sent[reference]);
            foreach (var reference in unacked) await back.WaitForAckOfAsync(reference);

            var document = await servers[1].DocumentAsync(canvas);
            var objects = document.GetProperty("objects");
            Assert.Equal(sent.Count, objects.EnumerateObject().Count()); // every batch, acknowledged before or resent after
            var (batches, distinctRefs) = await backend.BatchesOfClientAsync(canvas, "writer1");
            Assert.Equal(distinctRefs, batches); // none applied twice
            Assert.Equal(sent.Count, distinctRefs);
            // The third instance, which watched throughout, reaches the same state.
            await watcher.WaitForSeqAsync(document.GetProperty("seq").GetInt64());
            Assert.Equal(Json(CanvasState.Read(objects)), watcher.ReplicaJson());
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_instances_writing_at_full_speed_never_show_a_busy_database_and_cleanup_loses_nothing()
    {
        await using var backend = await ClusterBackend.StartAsync(ClusterBackend.SharedSqlite);
        var servers = await backend.StartInstancesAsync(3, ("Log:SnapshotEveryBatches", "20"), ("History:RetentionDays", "0.00001"), ("History:CheckpointEveryBatches", "1"), ("Log:PruneEverySeconds", "1"));
        try
        {
            var canvases = new[] { await servers[0].CreateCanvasAsync("one"), await servers[1].CreateCanvasAsync("two") };
            var clients = new List<CanvasClient>();
            for (var i = 0; i < 9; i++) clients.Add(await CanvasClient.ConnectAsync(servers[i % 3], canvases[i % 2], $"w{i}"));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4)); // how long they write, not a ceiling
            var sent = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                var i = 0;
                for (; !stop.IsCancellationRequested; i++)
                {
                    await client.SendOpsAsync($"r{i}", Batch.Of(Batch.Put($"c{c}-{i % 200}", new { type = "rect", x = i })));
                    if (i % 50 == 49) await client.WaitForAckOfAsync($"r{i}");
                }
                return i;
            })));
            for (var c = 0; c < clients.Count; c++)
                if (sent[c] > 0) await clients[c].WaitForAckOfAsync($"r{sent[c] - 1}");
            Assert.DoesNotContain(clients.SelectMany(c => c.Received), type => type == "error");
            foreach (var canvas in canvases)
            {
                // Every instance reaches the last batch, and the cleanup has run over the log (retention 0).
                var last = clients.Where((_, i) => canvases[i % 2] == canvas).Max(c => c.Acks.Max(a => a.Seq));
                await servers[0].PrunedAsync(canvas, 1);
                await Eventually.Until(async () => (await Task.WhenAll(servers.Select(s => s.DocumentAsync(canvas))))
                    .All(d => d.GetProperty("seq").GetInt64() == last), $"every instance at seq {last}");
                var documents = await Task.WhenAll(servers.Select(s => s.DocumentAsync(canvas)));
                var expected = documents[0].GetRawText();
                foreach (var document in documents) Assert.Equal(expected, document.GetRawText());
            }
            Assert.DoesNotContain("SQLITE_BUSY", string.Join('\n', servers.Select(s => s.Output)));
            foreach (var client in clients) await client.DisposeAsync();
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }
}

/// <summary>deploy/local-cluster.sh: N instances behind nginx, used by clients that know only nginx's address.</summary>
public class NginxClusterTests
{
    [Fact]
    public async Task Clients_through_nginx_reach_different_instances_and_still_collaborate()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        var (http, cookies) = await ServerProcess.SignInAsync(cluster.Proxy, ServerProcess.TestUser);
        using var _ = http;
        var created = await http.PostAsync("/api/canvases", new StringContent("""{"name":"via nginx"}""", Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        var canvas = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var clients = new List<CanvasClient>();
        for (var i = 0; i < 4; i++) clients.Add(await CanvasClient.ConnectAsync(cluster.Proxy, canvas, $"via-nginx-{i}", cookies: cookies));
        for (var i = 0; i < clients.Count; i++) await clients[i].SendOpsAsync("r", Batch.Rect($"o{i}", i * 10));
        foreach (var client in clients) await client.WaitForAckOfAsync("r");
        var last = clients.Max(c => c.Acks.Single().Seq);
        foreach (var client in clients) await client.WaitForSeqAsync(last);
        Assert.All(clients, c => Assert.Equal(clients[0].ReplicaJson(), c.ReplicaJson()));
        Assert.Equal(4, clients[0].Replica.Count);
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task Behind_nginx_the_client_is_the_address_nginx_names_and_never_one_the_client_names()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        using var http = new HttpClient { BaseAddress = cluster.Proxy };
        // A scraper on the host, through nginx: the instances believe nginx that the client is on loopback.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
        // A client that names another address in front of nginx's entry is not taken for a local one.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forged.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forged)).StatusCode);
    }
}

/// <summary>An instance paused for longer than the instance timeout finds the log cleaned under it.</summary>
public class PausedInstanceTests
{
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int signal);

    [Fact]
    public async Task An_instance_that_fell_behind_the_cleanup_sends_its_clients_to_reload()
    {
        var data = Directory.CreateTempSubdirectory("collabcanvas-paused-").FullName;
        (string, string)[] settings =
        [
            ("Backend:Provider", "SharedSqlite"), ("Log:InstanceTimeoutSeconds", "2"), ("History:RetentionDays", "0.00001"), ("History:CheckpointEveryBatches", "1"),
            ("Log:PruneEverySeconds", "1"), ("Log:SnapshotEveryBatches", "1"),
        ];
        await using var live = await ServerProcess.StartAsync(data, settings);
        await using var paused = await ServerProcess.StartAsync(data, settings);
        var canvas = await live.CreateCanvasAsync();
        await using var writer = await CanvasClient.ConnectAsync(live, canvas, "writer");
        await using var sleeper = await CanvasClient.ConnectAsync(paused, canvas, "sleeper");

        Assert.Equal(0, Signal(paused.Pid, 19)); // SIGSTOP
        for (var i = 0; i < 5; i++)
        {
            await writer.SendOpsAsync($"r{i}", Batch.Rect($"o{i}", i));
            await writer.AckAsync($"r{i}");
        }
        // The paused instance times out, snapshots cover the rows, and the cleanup deletes them under it.
        await live.PrunedAsync(canvas, writer.Seq);
        Assert.Equal(0, Signal(paused.Pid, 18)); // SIGCONT

        await sleeper.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)CloseCodes.Reload, sleeper.CloseStatus);
        await using var back = await CanvasClient.ConnectAsync(paused, canvas, "sleeper", since: sleeper.Seq);
        Assert.Equal(writer.ReplicaJson(), back.ReplicaJson());
    }
}
