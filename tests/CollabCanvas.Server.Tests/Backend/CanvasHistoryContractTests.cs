using System.Text;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.History;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// History on every backend (docs/architecture.md, "History"): the state at any seq is a checkpoint plus a replay that
/// equals replaying the whole log; versions keep their state through retention; automatic versions are saved once.
/// </summary>
public sealed class CanvasHistoryContractTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A canvas (versions and settings belong to one) owned by a user.</summary>
    private static async Task CreateCanvasAsync(BackendUnderTest backend, string canvasId)
    {
        await BackendUsers.AddAsync(backend, "olga-" + canvasId);
        await backend.Get<ICanvasStore>().CreateAsync(new Canvas(canvasId, "History", Monday, Monday), "olga-" + canvasId);
    }

    /// <summary>Batch <paramref name="i"/> of a history that creates, moves, restyles and deletes objects, with frames and children.</summary>
    private static Op[] Edit(int i)
    {
        var id = $"o{i % 7}";
        return (i % 5) switch
        {
            0 => [new PutOp(id, [new("type", PropValue.String(i % 2 == 0 ? "frame" : "rect")), new("x", PropValue.Number(i))])],
            1 => [new PutOp(id, [new("x", PropValue.Number(i * 3)), new("fill", PropValue.String(i % 3 == 0 ? "#ff0000" : "#00ff00"))])],
            2 => [new PutOp($"o{(i + 1) % 7}", [new("type", PropValue.String("rect")), new("parentId", PropValue.String(id))])],
            3 => [new PutOp(id, [new("fill", null)]), new PutOp($"o{(i + 2) % 7}", [new("type", PropValue.String("text")), new("text", PropValue.String($"t{i}"))])],
            _ => [new DeleteOp(id)],
        };
    }

    private static NewBatch Batch(string canvas, int i, Op[] ops) => new(canvas, $"user-{i % 3}", "client", $"r{i}", OpJson.ToUtf8(ops), ops);

    private static string Objects(CanvasState state) => Encoding.UTF8.GetString(state.ObjectsToUtf8());

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task The_state_at_every_seq_is_a_checkpoint_plus_a_replay_equal_to_replaying_the_whole_log(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("History:CheckpointEveryBatches", "10"));
        var log = backend.Get<ICanvasLog>();
        var history = backend.Get<ICanvasHistory>();
        var replay = new StateReplay(log, history);
        await CreateCanvasAsync(backend, "c");
        var full = new CanvasState();
        var expected = new List<(long Seq, string Objects)>();
        for (var i = 0; i < 60; i++)
        {
            var ops = Edit(i);
            var seq = (await log.AppendAsync(Batch("c", i, ops))).Seq;
            await log.AppendAsync(Batch("other", i, Edit(i + 1))); // another canvas's batches between (one seq counter on SQLite)
            full.Apply(ops);
            expected.Add((seq, Objects(full)));
            if (i % 7 == 6) await log.SaveSnapshotAsync("c", new Snapshot(seq, full.ObjectsToUtf8()));
        }

        foreach (var (seq, objects) in expected)
        {
            var state = await replay.StateAtAsync("c", seq);
            Assert.Equal((seq, true), (state.Seq, state.Exact));
            Assert.Equal(objects, Objects(state.State));
        }
        // Checkpoints were kept (snapshots every 7 batches, at least 10 apart), so the replay is bounded.
        var last = expected[^1].Seq;
        var checkpoint = await history.CheckpointAtOrBeforeAsync("c", last);
        Assert.NotNull(checkpoint);
        var replayed = (await log.ReadAfterAsync("c", checkpoint.Seq, 1000))!.Count;
        Assert.InRange(replayed, 0, 10 + 7);
        Assert.Equal(expected.Single(e => e.Seq == checkpoint.Seq).Objects, Encoding.UTF8.GetString(checkpoint.ObjectsJson));
        // Every batch keeps its time and author.
        Assert.All((await log.ReadAfterAsync("c", 0, 1000))!, b => Assert.True(b.At > DateTimeOffset.UtcNow.AddMinutes(-10) && b.Actor.StartsWith("user-")));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_named_version_keeps_its_state_when_retention_thins_the_log_around_it(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("History:CheckpointEveryBatches", "4"), ("History:RetentionDays", "0.00001"));
        var log = backend.Get<ICanvasLog>();
        var history = backend.Get<ICanvasHistory>();
        var replay = new StateReplay(log, history);
        await CreateCanvasAsync(backend, "c");
        var full = new CanvasState();
        CanvasVersion? version = null;
        string? versionObjects = null;
        long last = 0;
        for (var i = 0; i < 30; i++)
        {
            var ops = Edit(i);
            last = (await log.AppendAsync(Batch("c", i, ops))).Seq;
            full.Apply(ops);
            if (i == 13)
            {
                version = await history.AddVersionAsync(new CanvasVersion("v1", "c", last, VersionKind.Named, "Before the client review", "olga-c", Monday),
                    new Snapshot(last, full.ObjectsToUtf8()));
                versionObjects = Objects(full);
            }
            if (i % 5 == 4) await log.SaveSnapshotAsync("c", new Snapshot(last, full.ObjectsToUtf8()));
        }
        Assert.NotNull(version);

        // Shared: cleanup waits until this instance has reported reading them (its heartbeat, once a second).
        await Eventually.Until(async () =>
        {
            await log.PruneAsync();
            return await history.ThinnedSeqAsync("c") == last; // the last checkpoint (every 4 batches) is at the last seq
        }, "old batches thinned");

        var (kept, state) = (await history.FindVersionAsync("c", "v1"))!.Value;
        Assert.Equal(version, kept);
        Assert.Equal(versionObjects, Encoding.UTF8.GetString(state.ObjectsJson));
        var atVersion = await replay.StateAtAsync("c", version.Seq);
        Assert.Equal((version.Seq, true, versionObjects), (atVersion.Seq, atVersion.Exact, Objects(atVersion.State)));
        Assert.Null(await log.ReadAfterAsync("c", version.Seq, 100));
        // The present is still exact: the last checkpoint and what came after it.
        var now = await replay.StateAtAsync("c", last);
        Assert.Equal(Objects(full), Objects(now.State));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task By_default_every_batch_is_kept_and_a_canvas_retention_thins_only_that_canvas(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("History:CheckpointEveryBatches", "1"));
        var log = backend.Get<ICanvasLog>();
        var history = backend.Get<ICanvasHistory>();
        foreach (var canvas in new[] { "kept", "thinned" })
        {
            await CreateCanvasAsync(backend, canvas);
            var state = new CanvasState();
            long seq = 0;
            for (var i = 0; i < 5; i++)
            {
                var ops = Edit(i);
                seq = (await log.AppendAsync(Batch(canvas, i, ops))).Seq;
                state.Apply(ops);
            }
            await log.SaveSnapshotAsync(canvas, new Snapshot(seq, state.ObjectsToUtf8()));
        }
        await history.SetSettingsAsync("thinned", HistorySettings.Default with { RetentionDays = 0.00001 });

        await Eventually.Until(async () =>
        {
            await log.PruneAsync();
            return await log.ReadAfterAsync("thinned", 0, 100) is null;
        }, "the canvas with a retention thinned");
        await log.PruneAsync();
        Assert.Equal(5, (await log.ReadAfterAsync("kept", 0, 100))!.Count);
        Assert.Equal(0, await history.ThinnedSeqAsync("kept"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task An_automatic_version_is_saved_once_and_not_where_a_later_version_exists(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var history = backend.Get<ICanvasHistory>();
        await CreateCanvasAsync(backend, "c");
        var state = new Snapshot(5, "{}"u8.ToArray());
        CanvasVersion Auto(string id, long seq) => new(id, "c", seq, VersionKind.Auto, null, null, Monday);

        Assert.NotNull(await history.AddVersionAsync(Auto("a1", 5), state));
        Assert.Null(await history.AddVersionAsync(Auto("a2", 5), state)); // another instance noticed the same quiet
        Assert.NotNull(await history.AddVersionAsync(new CanvasVersion("n1", "c", 8, VersionKind.Named, "Mine", "olga-c", Monday.AddMinutes(1)),
            state with { Seq = 8 }));
        Assert.Null(await history.AddVersionAsync(Auto("a3", 7), state with { Seq = 7 }));
        Assert.NotNull(await history.AddVersionAsync(Auto("a4", 9), state with { Seq = 9 }));

        Assert.Equal(["a4", "n1", "a1"], (await history.VersionsAsync("c")).Select(v => v.Id));
        Assert.Null(await history.FindVersionAsync("c", "a2"));
        Assert.Null(await history.FindVersionAsync("other", "n1"));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Settings_default_to_viewers_yes_links_no_and_the_batches_touching_an_object_are_found(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        var history = backend.Get<ICanvasHistory>();
        var log = backend.Get<ICanvasLog>();
        await CreateCanvasAsync(backend, "c");
        Assert.Equal(HistorySettings.Default, await history.SettingsAsync("c"));
        var chosen = new HistorySettings(30, ViewersSeeHistory: false, LinksSeeHistory: true);
        await history.SetSettingsAsync("c", chosen);
        Assert.Equal(chosen, await history.SettingsAsync("c"));

        var touching = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var ops = Edit(i);
            var seq = (await log.AppendAsync(Batch("c", i, ops))).Seq;
            if (ops.Any(op => op.Id == "o1")) touching.Add(seq);
        }
        var found = await history.BatchesTouchingAsync("c", "o1");
        Assert.Equal(touching, found.Select(b => b.Seq));
        Assert.All(found, b => Assert.NotNull(b.At));
        Assert.Empty(await history.BatchesTouchingAsync("c", "o"));
    }
}
