using System.Text;
using System.Threading.Channels;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// What every <see cref="ICanvasLog"/> promises: seq strictly increasing per canvas, the committed stream carrying every
/// batch of a watched canvas once and in seq order (across instances too), idempotent resends, durability before the
/// append completes, exact restore, gaps reported instead of skipped, a bounded queue; and presence between instances.
/// </summary>
public sealed class CanvasLogContractTests
{
    private static NewBatch Batch(string canvas, string client, string reference, string text = "x") =>
        new(canvas, "user-1", client, reference, Encoding.UTF8.GetBytes($$$"""[{"op":"put","id":"{{{reference}}}","props":{"type":"text","text":"{{{text}}}"}}]"""), []);

    /// <summary>Reads the stream until <paramref name="count"/> batches came out (failing after the ceiling).</summary>
    private static async Task<List<LogRecord>> ReadBatchesAsync(ChannelReader<LogEvent> stream, int count)
    {
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        var read = new List<LogRecord>();
        while (read.Count < count)
        {
            var next = await stream.ReadAsync(ceiling.Token);
            if (next is LogRecord record) read.Add(record);
        }
        return read;
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Concurrent_appends_get_increasing_seqs_per_canvas_and_each_comes_out_once_in_seq_order(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await log.WatchAsync("a");
        await log.WatchAsync("b");

        var appends = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var results = new List<(string Canvas, long Seq)>();
            for (var i = 0; i < 40; i++)
            {
                var canvas = i % 2 == 0 ? "a" : "b";
                var result = await log.AppendAsync(Batch(canvas, $"client-{writer}", $"r{i}"));
                Assert.Equal(AppendOutcome.Appended, result.Outcome);
                results.Add((canvas, result.Seq));
            }
            return results;
        })).ToList();
        await log.AppendAsync(Batch("unwatched", "client-x", "r0"));
        var appended = (await Task.WhenAll(appends)).SelectMany(r => r).ToList();

        var streamed = await ReadBatchesAsync(log.Committed, 320);
        foreach (var canvas in new[] { "a", "b" })
        {
            var seqs = streamed.Where(r => r.CanvasId == canvas).Select(r => r.Seq).ToList();
            Assert.Equal(appended.Where(a => a.Canvas == canvas).Select(a => a.Seq).Order(), seqs); // all, once, in order
            Assert.Equal(160, seqs.Distinct().Count());
        }
        Assert.DoesNotContain(streamed, r => r.CanvasId == "unwatched");
        Assert.False(log.Committed.TryRead(out var extra), $"more came out than was appended: {extra}");
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task An_unwatched_canvas_no_longer_comes_out_while_a_second_watch_keeps_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await log.WatchAsync("c");
        await log.WatchAsync("c");
        log.Unwatch("c");
        var kept = await log.AppendAsync(Batch("c", "k", "r1"));
        log.Unwatch("c");
        await log.AppendAsync(Batch("c", "k", "r2"));
        await log.WatchAsync("d");
        var marker = await log.AppendAsync(Batch("d", "k", "r3"));

        var streamed = await ReadBatchesAsync(log.Committed, 2);
        Assert.Equal([("c", kept.Seq), ("d", marker.Seq)], streamed.Select(r => (r.CanvasId, r.Seq)));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_cancelled_watch_leaves_no_watch_behind(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.WatchAsync("c", new CancellationToken(canceled: true)));
        await log.WatchAsync("c");
        var watched = await log.AppendAsync(Batch("c", "k", "r1"));
        log.Unwatch("c"); // the one watch that completed: none is left

        await log.AppendAsync(Batch("c", "k", "r2"));
        await log.WatchAsync("d");
        var marker = await log.AppendAsync(Batch("d", "k", "r3"));

        var streamed = await ReadBatchesAsync(log.Committed, 2);
        Assert.Equal([("c", watched.Seq), ("d", marker.Seq)], streamed.Select(r => (r.CanvasId, r.Seq)));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_resend_by_client_and_ref_returns_the_original_seq_and_other_ops_under_that_ref_conflict(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await log.WatchAsync("c");
        var first = await log.AppendAsync(Batch("c", "client-1", "r1"));
        await log.AppendAsync(Batch("c", "client-2", "r1")); // another client's r1 is another batch

        var resent = await log.AppendAsync(Batch("c", "client-1", "r1"));
        var conflict = await log.AppendAsync(Batch("c", "client-1", "r1", text: "other"));

        Assert.Equal(new AppendResult(AppendOutcome.Duplicate, first.Seq), resent);
        Assert.Equal(new AppendResult(AppendOutcome.RefConflict, first.Seq), conflict);
        var stored = await log.LoadAsync("c");
        Assert.Equal(2, stored.Batches.Count);
        Assert.Equal(2, (await ReadBatchesAsync(log.Committed, 2)).Count);
        Assert.False(log.Committed.TryRead(out _), "a resend came out on the stream again");
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_completed_append_is_read_by_a_fresh_reader(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        var appended = await log.AppendAsync(Batch("c", "client-1", "r1"));

        // SQLite, PostgreSQL: another instance on the same data, with its own connections, reads it: it is committed, not cached.
        await using var fresh = provider == nameof(BackendProvider.Memory) ? null : await backend.StartAnotherAsync();
        var stored = await (fresh ?? backend).Get<ICanvasLog>().LoadAsync("c");

        var batch = Assert.Single(stored.Batches);
        Assert.Equal((appended.Seq, "user-1", "client-1", "r1"), (batch.Seq, batch.Actor, batch.ClientId, batch.Ref));
        Assert.Equal(Batch("c", "client-1", "r1").OpsJson, batch.OpsJson);
    }

    [Theory, MemberData(nameof(BackendUnderTest.DurableProviders), MemberType = typeof(BackendUnderTest))]
    public async Task A_restart_restores_every_canvas_exactly(string provider)
    {
        await using var owner = await BackendUnderTest.StartAsync(provider);
        var expected = new Dictionary<string, StoredCanvas>();
        await using (var before = await owner.StartAnotherAsync())
        {
            var log = before.Get<ICanvasLog>();
            for (var i = 0; i < 30; i++) await log.AppendAsync(Batch($"canvas-{i % 3}", "client", $"r{i}", text: $"t{i}"));
            await log.SaveSnapshotAsync("canvas-1", new Snapshot(25, "{\"snap\":{}}"u8.ToArray()));
            foreach (var canvas in new[] { "canvas-0", "canvas-1", "canvas-2" }) expected[canvas] = await log.LoadAsync(canvas);
        }
        Assert.Equal(10, expected["canvas-0"].Batches.Count);

        await using var after = await owner.StartAnotherAsync();
        foreach (var (canvas, stored) in expected)
        {
            var restored = await after.Get<ICanvasLog>().LoadAsync(canvas);
            Assert.Equal(stored.Snapshot?.Seq, restored.Snapshot?.Seq);
            Assert.Equal(stored.Snapshot?.ObjectsJson, restored.Snapshot?.ObjectsJson);
            Assert.Equal(Describe(stored.Batches), Describe(restored.Batches));
        }
        Assert.Equal(25, expected["canvas-1"].Snapshot!.Seq);
    }

    private static List<string> Describe(IEnumerable<LogRecord> batches) =>
        [.. batches.Select(b => $"{b.CanvasId} {b.Seq} {b.Actor} {b.ClientId} {b.Ref} {Encoding.UTF8.GetString(b.OpsJson)}")];

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Batches_older_than_the_retention_that_a_snapshot_and_a_checkpoint_cover_are_thinned_and_a_read_across_them_says_so(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("History:RetentionDays", "0.00001"), ("History:CheckpointEveryBatches", "1"));
        var log = backend.Get<ICanvasLog>();
        var seqs = new List<long>();
        for (var i = 0; i < 5; i++) seqs.Add((await log.AppendAsync(Batch("c", "client", $"r{i}"))).Seq);
        await log.SaveSnapshotAsync("c", new Snapshot(seqs[2], "{}"u8.ToArray()));

        // Shared: cleanup waits until this instance has reported reading them (its heartbeat, once a second).
        await Eventually.Until(async () =>
        {
            await log.PruneAsync();
            return await log.ReadAfterAsync("c", seqs[1], 100) is null;
        }, "the covered batches pruned"); // (rows are older than the retention one after the other)

        Assert.Null(await log.ReadAfterAsync("c", seqs[1], 100)); // a gap, not a silent skip
        Assert.Equal(seqs[3..], (await log.ReadAfterAsync("c", seqs[2], 100))!.Select(r => r.Seq));
        var stored = await log.LoadAsync("c");
        Assert.Equal(seqs[2], stored.Snapshot!.Seq);
        Assert.Equal(seqs[3..], stored.Batches.Select(r => r.Seq));
        // A pruned batch is forgotten: the same client and ref is a new batch now.
        Assert.Equal(AppendOutcome.Appended, (await log.AppendAsync(Batch("c", "client", "r0"))).Outcome);
    }

    [Theory, MemberData(nameof(BackendUnderTest.DurableProviders), MemberType = typeof(BackendUnderTest))]
    public async Task A_full_append_queue_answers_busy_at_once_and_appends_nothing(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("Log:MaxQueuedAppends", "3"));
        var log = backend.Get<ICanvasLog>();
        var accepted = new List<Task<AppendResult>>();
        CanvasLogBusyException? busy = null;

        await using (await StallStorageAsync(backend))
        {
            for (var i = 0; i < 6 && busy is null; i++)
            {
                var append = log.AppendAsync(Batch("c", "client", $"r{i}"));
                if (append.IsFaulted) busy = Assert.IsType<CanvasLogBusyException>(append.Exception!.InnerException);
                else accepted.Add(append);
            }
        }

        Assert.NotNull(busy);
        // The queue holds 3; the writer may have taken the first off it already.
        Assert.InRange(accepted.Count, 3, 4);
        var results = await Task.WhenAll(accepted);
        Assert.All(results, r => Assert.Equal(AppendOutcome.Appended, r.Outcome));
        Assert.Equal(accepted.Count, (await log.LoadAsync("c")).Batches.Count);
    }

    /// <summary>
    /// Holds the storage so that no append commits until disposed: SQLite, another writer holds the file (both locks a
    /// SharedSqlite writer takes); PostgreSQL, another transaction locks the canvas heads that every append updates.
    /// </summary>
    private static async Task<IAsyncDisposable> StallStorageAsync(BackendUnderTest backend)
    {
        if (backend.Postgres is not null)
        {
            var connection = new NpgsqlConnection(backend.Postgres);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using (var lockHeads = new NpgsqlCommand("LOCK TABLE canvas_heads IN EXCLUSIVE MODE", connection, transaction))
                await lockHeads.ExecuteNonQueryAsync();
            return new Stall(transaction, connection);
        }
        var database = backend.Get<SqliteDatabase>();
        var writerLock = new WriterLock(database.DatabasePath);
        var held = writerLock.Acquire();
        var stall = database.Open();
        return new Stall(stall.BeginTransaction(), stall, held, writerLock);
    }

    /// <summary>Rolls the stalling transaction back, then lets go of the rest in order.</summary>
    private sealed class Stall(System.Data.Common.DbTransaction transaction, params IDisposable[] held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            foreach (var disposable in held) disposable.Dispose();
        }
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task Appends_on_two_instances_come_out_on_both_once_each_in_one_seq_order(string provider)
    {
        await using var first = await BackendUnderTest.StartAsync(provider);
        await using var second = await first.StartAnotherAsync();
        var logs = new[] { first.Get<ICanvasLog>(), second.Get<ICanvasLog>() };
        foreach (var log in logs) await log.WatchAsync("c");

        var appends = logs.SelectMany((log, instance) => Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            var seqs = new List<long>();
            for (var i = 0; i < 30; i++) seqs.Add((await log.AppendAsync(Batch("c", $"client-{instance}-{writer}", $"r{i}"))).Seq);
            return seqs;
        }))).ToList();
        var appended = (await Task.WhenAll(appends)).SelectMany(s => s).Order().ToList();

        foreach (var log in logs)
        {
            var streamed = await ReadBatchesAsync(log.Committed, 120);
            Assert.Equal(appended, streamed.Select(r => r.Seq));
        }
    }

    [Theory, MemberData(nameof(BackendUnderTest.MultiInstanceProviders), MemberType = typeof(BackendUnderTest))]
    public async Task Presence_published_on_one_instance_reaches_the_other_and_so_does_leaving(string provider)
    {
        await using var first = await BackendUnderTest.StartAsync(provider);
        await using var second = await first.StartAnotherAsync();
        var peer = new PeerInfo("session-1", new UserInfo("user-1", "Ada", "#123456"), new Cursor(10, 20), ["o1"]);

        second.Get<IPresenceBus>().Publish("c", peer with { Session = "session-2" }); // someone there to tell
        first.Get<IPresenceBus>().Publish("c", peer);
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        var remote = second.Get<IPresenceBus>().Remote;
        var arrived = Assert.IsType<RemotePeer>(await remote.ReadAsync(ceiling.Token));
        Assert.Equal(("c", "session-1", "Ada", 10.0, 20.0, "o1"),
            (arrived.CanvasId, arrived.Peer.Session, arrived.Peer.User.Name, arrived.Peer.Cursor!.X, arrived.Peer.Cursor.Y, arrived.Peer.Selection.Single()));

        first.Get<IPresenceBus>().Left("c", "session-1");
        PresenceEvent next;
        do next = await remote.ReadAsync(ceiling.Token); while (next is RemotePeer);
        Assert.Equal(new RemoteLeft("c", "session-1"), next);
    }

    /// <summary>
    /// A batch whose notice never came (its process committed and died before nudging, or the nudge was dropped on a
    /// full queue) still comes out, once, by the safety check. SharedSqlite: a row written straight into the file, with
    /// no nudge, stands for that process; Postgres: a row and head written straight into the database, with no notice.
    /// </summary>
    [Theory, InlineData(nameof(BackendProvider.SharedSqlite)), InlineData(nameof(BackendProvider.Postgres))]
    public async Task A_batch_whose_notice_was_lost_still_comes_out_once_in_its_place(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await log.WatchAsync("c");
        var before = await log.AppendAsync(Batch("c", "client", "r1"));
        Assert.Equal(before.Seq, Assert.Single(await ReadBatchesAsync(log.Committed, 1)).Seq);

        var silent = CommitWithoutNotice(backend, "c", ("silent-client", "r1"));
        var streamed = Assert.Single(await ReadBatchesAsync(log.Committed, 1));
        Assert.Equal(("c", silent.Single(), "silent-client", "r1"), (streamed.CanvasId, streamed.Seq, streamed.ClientId, streamed.Ref));

        var after = await log.AppendAsync(Batch("c", "client", "r2"));
        Assert.Equal(after.Seq, Assert.Single(await ReadBatchesAsync(log.Committed, 1)).Seq); // not the silent one again
        Assert.False(log.Committed.TryRead(out var extra), $"more came out than was committed: {extra}");
    }

    /// <summary>
    /// Rows of a watched canvas cleaned up before this instance read them (it paused past the instance timeout, so
    /// cleanup did not wait for it): its rooms of that canvas are stale, and the stream says so once with
    /// <see cref="CanvasLost"/> instead of skipping the batches silently. Nothing for a canvas it does not watch.
    /// </summary>
    [Theory, InlineData(nameof(BackendProvider.SharedSqlite)), InlineData(nameof(BackendProvider.Postgres))]
    public async Task A_watched_canvas_whose_unread_batches_were_cleaned_up_comes_out_lost_once(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var log = backend.Get<ICanvasLog>();
        await log.WatchAsync("c");

        CommitAndCleanUp(backend, "d", ("other", "r1")); // unwatched, cleaned up the same way: nothing comes out
        CommitAndCleanUp(backend, "c", ("other", "r1"), ("other", "r2"), ("other", "r3"));

        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        Assert.Equal(new CanvasLost("c"), await log.Committed.ReadAsync(ceiling.Token));
        // Once per cleanup: the heartbeats (SharedSqlite) or safety checks (Postgres) after it, one a second, stay quiet.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.False(log.Committed.TryRead(out var again), $"came out after the lost canvas: {again}");
    }

    /// <summary>
    /// Commits batches straight into the shared file, in one transaction and without the log: no nudge, and nothing for
    /// this instance's writer to see until it looks by itself. Returns their seqs.
    /// </summary>
    private static List<long> CommitWithoutNotice(BackendUnderTest backend, string canvas, params (string Client, string Ref)[] batches)
    {
        if (backend.Postgres is not null)
        {
            using var postgres = new NpgsqlConnection(backend.Postgres);
            postgres.Open();
            using var committing = postgres.BeginTransaction();
            var appended = Insert(postgres, canvas, batches);
            committing.Commit();
            return appended;
        }
        using var connection = backend.Get<SqliteDatabase>().Open();
        using var transaction = connection.BeginTransaction();
        var seqs = Insert(connection, canvas, batches);
        transaction.Commit();
        return seqs;
    }

    /// <summary>
    /// Batches committed and cleaned up before this instance could read them, in one transaction so that it never sees
    /// them: what another instance's cleanup does once it stops waiting for this one. A snapshot covers them and
    /// <c>pruned_seq</c> says how far rows are gone.
    /// </summary>
    private static void CommitAndCleanUp(BackendUnderTest backend, string canvas, params (string Client, string Ref)[] batches)
    {
        if (backend.Postgres is not null)
        {
            using var postgres = new NpgsqlConnection(backend.Postgres);
            postgres.Open();
            using var committing = postgres.BeginTransaction();
            var upTo = Insert(postgres, canvas, batches).Max();
            using var cleanUp = new NpgsqlBatch(postgres, committing);
            foreach (var sql in new[]
            {
                "INSERT INTO canvas_snapshots (canvas_id, seq, objects) VALUES ($1, $2, '{}') ON CONFLICT (canvas_id) DO UPDATE SET seq = excluded.seq",
                "UPDATE canvas_heads SET pruned_seq = $2 WHERE canvas_id = $1",
                "DELETE FROM canvas_log WHERE canvas_id = $1 AND seq <= $2",
            })
                cleanUp.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new() { Value = canvas }, new() { Value = upTo } } });
            cleanUp.ExecuteNonQuery();
            committing.Commit();
            return;
        }
        using var connection = backend.Get<SqliteDatabase>().Open();
        using var transaction = connection.BeginTransaction();
        var last = Insert(connection, canvas, batches).Max();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvas_states (canvas_id, seq, objects, pruned_seq, updated_at) VALUES ($canvas, $seq, '{}', $seq, 0)
            ON CONFLICT (canvas_id) DO UPDATE SET seq = excluded.seq, objects = excluded.objects, pruned_seq = excluded.pruned_seq;
            DELETE FROM message_queue WHERE canvas_id = $canvas AND seq <= $seq;
            """;
        command.Parameters.AddWithValue("$canvas", canvas);
        command.Parameters.AddWithValue("$seq", last);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Postgres: each batch takes the next seq from its canvas's head, as an append does.</summary>
    private static List<long> Insert(NpgsqlConnection connection, string canvas, (string Client, string Ref)[] batches)
    {
        var seqs = new List<long>();
        foreach (var (client, reference) in batches)
        {
            using var insert = new NpgsqlCommand("""
                WITH head AS (
                    INSERT INTO canvas_heads (canvas_id, seq) VALUES ($1, 1)
                    ON CONFLICT (canvas_id) DO UPDATE SET seq = canvas_heads.seq + 1 RETURNING seq)
                INSERT INTO canvas_log (canvas_id, seq, client_id, ref, actor, ops) SELECT $1, seq, $2, $3, 'user-1', $4 FROM head
                RETURNING seq
                """, connection)
            {
                Parameters = { new() { Value = canvas }, new() { Value = client }, new() { Value = reference }, new() { Value = Batch(canvas, client, reference).OpsJson } },
            };
            seqs.Add((long)insert.ExecuteScalar()!);
        }
        return seqs;
    }

    private static List<long> Insert(SqliteConnection connection, string canvas, (string Client, string Ref)[] batches)
    {
        var seqs = new List<long>();
        foreach (var (client, reference) in batches)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO message_queue (canvas_id, client_id, ref, actor, ops, created_at)
                VALUES ($canvas, $client, $ref, 'user-1', $ops, 0) RETURNING seq
                """;
            insert.Parameters.AddWithValue("$canvas", canvas);
            insert.Parameters.AddWithValue("$client", client);
            insert.Parameters.AddWithValue("$ref", reference);
            insert.Parameters.AddWithValue("$ops", Batch(canvas, client, reference).OpsJson);
            seqs.Add((long)insert.ExecuteScalar()!);
        }
        return seqs;
    }
}
