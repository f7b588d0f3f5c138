using System.Net;
using System.Text;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Three instances on PostgreSQL + Redis while one of the two real servers fails under load. Each test has the
/// failing server to itself (the run's shared servers never stop under other tests).
/// </summary>
public class ClusterFailureTests
{
    [Fact]
    public async Task Redis_stopped_and_restarted_mid_load_delays_delivery_but_loses_nothing_and_the_instances_resubscribe_and_repair()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var backend = await ClusterBackend.StartAsync(ClusterBackend.PostgresRedis, redis: redis);
        var servers = await backend.StartInstancesAsync(3);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            var channel = $"{backend.RedisChannelPrefix()}collabcanvas:commits:{canvas}";
            await using var load = await Load.StartAsync(servers, canvas);
            await Eventually.Until(async () => await redis.SubscribersAsync(channel) == 3, "every instance subscribed");
            await load.AckedAsync(60);
            var repairsBefore = await Task.WhenAll(servers.Select(server => server.MetricAsync("collabcanvas_log_gap_repairs_total")));

            await redis.StopAsync();
            await load.AckedAsync(load.Acked + 60); // PostgreSQL still takes appends; only the fast path is gone
            // The health check reports Redis away, and the instances stay ready: they serve, only later.
            await Eventually.Until(async () => await servers[1].ReadinessAsync() == (HttpStatusCode.OK, "Degraded"), "/readyz degraded without Redis");
            await redis.RestartAsync();
            await Eventually.Until(async () => await redis.SubscribersAsync(channel) == 3, "every instance subscribed again");
            await Eventually.Until(async () => await servers[1].ReadinessAsync() == (HttpStatusCode.OK, "Healthy"), "/readyz healthy with Redis back");
            await load.AckedAsync(load.Acked + 60);

            await load.StopAndAssertConvergedAsync(backend);
            // Each instance learnt that notices were lost while Redis was away and read what it missed from PostgreSQL:
            // on resubscribing, or earlier by its head check or a gap (a canvas marked for repair keeps its first reason).
            foreach (var (server, before) in servers.Zip(repairsBefore))
            {
                Assert.True(await server.MetricAsync("collabcanvas_log_gap_repairs_total") > before,
                    "an instance did not repair its canvas from PostgreSQL while or after Redis was away");
                // And it measured how late the other instances' notices arrived.
                Assert.True(await server.MetricAsync("collabcanvas_log_feed_lag_milliseconds_count") > 0, "no feed lag measured");
            }
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_load_refuses_appends_as_retryable_and_resends_lose_nothing_and_apply_nothing_twice()
    {
        await using var postgres = await PostgresServer.StartOwnAsync();
        await using var backend = await ClusterBackend.StartAsync(ClusterBackend.PostgresRedis, postgres: postgres);
        var servers = await backend.StartInstancesAsync(3);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            await using var load = await Load.StartAsync(servers, canvas);
            await load.AckedAsync(60);

            // While PostgreSQL is away the health check takes the instance out of rotation (503), and back after; a
            // signed-in request (its cookie is checked against the database) hears "try again" (503), not a server error.
            var readiness = new List<(HttpStatusCode, string)>();
            var signedIn = new List<(HttpStatusCode Status, bool RetryAfter)>();
            using var restarted = new CancellationTokenSource();
            var probing = Task.Run(async () =>
            {
                while (!restarted.IsCancellationRequested)
                {
                    readiness.Add(await servers[2].ReadinessAsync());
                    using (var response = await servers[2].Http.GetAsync("/api/canvases"))
                        signedIn.Add((response.StatusCode, response.Headers.RetryAfter is not null));
                    await Task.Delay(100);
                }
            });
            await postgres.RestartAsync(down: TimeSpan.FromSeconds(3));
            await load.AckedAsync(load.Acked + 60);
            await restarted.CancelAsync();
            await probing;
            Assert.True(readiness.Contains((HttpStatusCode.ServiceUnavailable, "Unhealthy")),
                $"/readyz never said Unhealthy while PostgreSQL was down: {string.Join(", ", readiness.Distinct())}");
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await servers[2].ReadinessAsync());
            Assert.Contains((HttpStatusCode.ServiceUnavailable, true), signedIn);
            Assert.All(signedIn, answer => Assert.Contains(answer.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));

            await load.StopAndAssertConvergedAsync(backend);
            // The outage was seen: batches in flight were refused (internal: not stored, send again) and sent again.
            Assert.True(load.Resent > 0, "no batch was refused while PostgreSQL was down: the restart did not hit the load");
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    /// <summary>
    /// A writer on each instance (own client id, up to <see cref="Window"/> batches in flight, each batch a new object,
    /// resending what the server refuses as the protocol says) and a watcher on each instance that only receives.
    /// </summary>
    private sealed class Load : IAsyncDisposable
    {
        private const int Window = 20;
        private readonly List<ServerProcess> _servers;
        private readonly string _canvas;
        private readonly List<CanvasClient> _writers;
        private readonly List<CanvasClient> _watchers;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<(int Sent, int Resent)>[] _writing;

        private Load(List<ServerProcess> servers, string canvas, List<CanvasClient> writers, List<CanvasClient> watchers)
        {
            _servers = servers;
            _canvas = canvas;
            _writers = writers;
            _watchers = watchers;
            _writing = [.. writers.Select((writer, w) => Task.Run(() => WriteAsync(writer, w)))];
        }

        public static async Task<Load> StartAsync(List<ServerProcess> servers, string canvas)
        {
            var watchers = new List<CanvasClient>();
            var writers = new List<CanvasClient>();
            for (var i = 0; i < servers.Count; i++)
            {
                watchers.Add(await CanvasClient.ConnectAsync(servers[i], canvas, $"watcher{i}"));
                writers.Add(await CanvasClient.ConnectAsync(servers[i], canvas, $"writer{i}", clientId: $"writer{i}"));
            }
            return new Load(servers, canvas, writers, watchers);
        }

        /// <summary>Acknowledged batches so far, over all writers.</summary>
        public int Acked => _writers.Sum(w => w.AckCount);

        /// <summary>Batches sent again after a refusal (valid once stopped).</summary>
        public int Resent => _writing.Sum(w => w.Result.Resent);

        public Task AckedAsync(int count) => Eventually.Until(() => Acked >= count || _writing.Any(w => w.IsFaulted), $"{count} acks");

        private async Task<(int Sent, int Resent)> WriteAsync(CanvasClient writer, int w)
        {
            var resent = 0;
            var i = 0;
            for (; !_stop.IsCancellationRequested; i++)
            {
                await writer.SendOpsAsync($"r{i}", Batch.Of(Batch.Put($"w{w}-{i}", new { type = "rect", x = i })));
                if (i >= Window) resent += await writer.WaitForAckResendingAsync($"r{i - Window}");
            }
            for (var j = Math.Max(0, i - Window); j < i; j++) resent += await writer.WaitForAckResendingAsync($"r{j}");
            return (i, resent);
        }

        /// <summary>
        /// Stops writing and waits for every ack, then: every batch is in the log once (dense seqs 1..N on PostgreSQL,
        /// one row per ref), every watcher received each seq once and in order, and every replica and instance agree.
        /// </summary>
        public async Task StopAndAssertConvergedAsync(ClusterBackend backend)
        {
            _stop.Cancel();
            var written = await Task.WhenAll(_writing);
            var total = written.Sum(w => w.Sent);
            for (var w = 0; w < _writers.Count; w++)
            {
                var (batches, distinctRefs) = await backend.BatchesOfClientAsync(_canvas, _writers[w].ClientId);
                Assert.Equal(distinctRefs, batches); // none applied twice
                Assert.Equal(written[w].Sent, distinctRefs); // none lost
            }
            var last = _writers.Max(w => w.Acks.Max(a => a.Seq)); // every ack is in: nothing adds to them now
            Assert.Equal(total, last);
            foreach (var watcher in _watchers)
            {
                await watcher.WaitForSeqAsync(last);
                Assert.Equal(Enumerable.Range(1, total).Select(s => (long)s), watcher.Delivered);
            }
            foreach (var server in _servers)
            {
                var document = await server.DocumentAsync(_canvas);
                Assert.Equal(last, document.GetProperty("seq").GetInt64());
                var objects = Encoding.UTF8.GetString(CanvasState.Read(document.GetProperty("objects")).ObjectsToUtf8());
                Assert.All(_watchers, watcher => Assert.Equal(objects, watcher.ReplicaJson()));
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_writing).ContinueWith(_ => { }); // a failed writer has failed the test already
            foreach (var client in _writers.Concat(_watchers)) await client.DisposeAsync();
            _stop.Dispose();
        }
    }
}
