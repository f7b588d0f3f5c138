using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Canvases;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Realtime;

namespace CollabCanvas.Server.History;

/// <summary>One change of one object: who, when, which props from what to what, and the version it belongs to.</summary>
public sealed record ObjectChange(long Seq, DateTimeOffset? At, string Actor, string Kind, IReadOnlyList<PropDiff> Changes, CanvasVersion? Version);

/// <summary>A prop's value before and after a change (null: not set).</summary>
public sealed record PropDiff(string Prop, object? Before, object? After);

/// <summary>
/// What the history endpoints do, over the log (the batches, each with its time and author), the history store
/// (checkpoints, versions) and the rooms (the current state; restores go through a room like any edit).
/// </summary>
public sealed class CanvasHistoryService(StateReplay replay, ICanvasHistory history, RoomManager rooms, CanvasStore canvases)
{
    public Task<HistoricState> StateAtAsync(string canvasId, long seq, CancellationToken cancellationToken) =>
        replay.StateAtAsync(canvasId, seq, cancellationToken);

    /// <summary>Saves the canvas as it is now (its room's state) as a version; null when an automatic one is not needed.</summary>
    public async Task<CanvasVersion?> SaveVersionAsync(string canvasId, VersionKind kind, string? name, string? author, CancellationToken cancellationToken)
    {
        var room = await rooms.GetAsync(canvasId);
        var (seq, objects, _) = await room.DocumentAsync();
        _ = rooms.ReleaseAsync(room);
        return await history.AddVersionAsync(new CanvasVersion(Ids.New(12), canvasId, seq, kind, name, author, Now()), new Snapshot(seq, objects), cancellationToken);
    }

    /// <summary>
    /// An automatic version at <paramref name="seq"/> (the seq a room showed when its edits went quiet; its state from
    /// history, since the room may have unloaded meanwhile).
    /// </summary>
    public async Task<CanvasVersion?> SaveAutomaticVersionAsync(string canvasId, long seq, CancellationToken cancellationToken)
    {
        var at = await replay.StateAtAsync(canvasId, seq, cancellationToken);
        if (!at.Exact || at.Seq != seq) return null;
        return await history.AddVersionAsync(new CanvasVersion(Ids.New(12), canvasId, seq, VersionKind.Auto, null, null, Now()),
            new Snapshot(seq, at.State.ObjectsToUtf8()), cancellationToken);
    }

    /// <summary>
    /// Restores a version: one batch of ordinary ops, appended through the canvas's room by <paramref name="userId"/>,
    /// that turns the current state into the version's (so every session sees it, it can be undone, and the log keeps
    /// everything before it). Returns its seq (null: nothing to change) and the ops that undo it; or null when the canvas
    /// would hold too many objects.
    /// </summary>
    public async Task<(long? Seq, Op[] Undo)?> RestoreAsync(string canvasId, CanvasState target, string userId)
    {
        var room = await rooms.GetAsync(canvasId);
        try
        {
            var (_, current) = await room.StateCopyAsync();
            var ops = CanvasDiff.Ops(current, target);
            if (ops.Length == 0) return (null, []);
            var appended = await room.SubmitFromServerAsync(userId, "restore-" + userId, ops, OpJson.ToUtf8(ops));
            // The undo only for the answer: worked out once the batch is on its way to every session.
            return appended is { } result ? (result.Seq, CanvasDiff.Ops(target, current, check: false)) : null;
        }
        finally
        {
            _ = rooms.ReleaseAsync(room);
        }
    }

    /// <summary>A new canvas owned by <paramref name="userId"/> whose first batch creates the objects of <paramref name="state"/>.</summary>
    public async Task<Canvas> DuplicateAsync(CanvasState state, string name, string userId, CancellationToken cancellationToken)
    {
        var canvas = await canvases.CreateAsync(name, userId, cancellationToken);
        var ops = CanvasDiff.Ops(new CanvasState(), state);
        if (ops.Length == 0) return canvas;
        var room = await rooms.GetAsync(canvas.Id);
        try
        {
            await room.SubmitFromServerAsync(userId, "duplicate-" + userId, ops, OpJson.ToUtf8(ops));
        }
        finally
        {
            _ = rooms.ReleaseAsync(room);
        }
        return canvas;
    }

    /// <summary>
    /// Every change of one object still in the log, oldest first: the props each batch set (from what to what), its
    /// creation and deletion, and the first version that holds the change. The values before the first change after a
    /// thinned part of the log come from the checkpoint before it.
    /// </summary>
    public async Task<IReadOnlyList<ObjectChange>> ObjectHistoryAsync(string canvasId, string objectId, CancellationToken cancellationToken)
    {
        var batches = await history.BatchesTouchingAsync(canvasId, objectId, cancellationToken);
        var versions = (await history.VersionsAsync(canvasId, cancellationToken)).OrderBy(v => v.Seq).ToList();
        Dictionary<string, PropValue>? props = null;
        var thinned = await history.ThinnedSeqAsync(canvasId, cancellationToken);
        if (thinned > 0 && await history.CheckpointAtOrBeforeAsync(canvasId, batches.Count > 0 ? batches[0].Seq - 1 : thinned, cancellationToken) is { } checkpoint
            && StateReplay.Read(checkpoint.ObjectsJson).Objects.TryGetValue(objectId, out var known))
            props = AllProps(known);
        var changes = new List<ObjectChange>();
        foreach (var batch in batches)
        {
            foreach (var op in batch.Ops ?? OpJson.ReadLogged(batch.OpsJson))
            {
                if (op.Id != objectId) continue;
                var version = versions.Find(v => v.Seq >= batch.Seq);
                switch (op)
                {
                    case DeleteOp when props is not null:
                        changes.Add(new ObjectChange(batch.Seq, batch.At, batch.Actor, "deleted",
                            [.. props.Select(p => new PropDiff(p.Key, Plain(p.Value), null))], version));
                        props = null;
                        break;
                    case PutOp put when props is not null || put.Props.Any(p => p.Name == "type"):
                        var created = props is null;
                        props ??= new Dictionary<string, PropValue>(StringComparer.Ordinal);
                        var diffs = new List<PropDiff>();
                        foreach (var change in put.Props)
                        {
                            if (change.Name == "type" && !created) continue; // a type is fixed at creation
                            PropValue? before = props.TryGetValue(change.Name, out var old) ? old : null;
                            if (before.Equals(change.Value)) continue;
                            diffs.Add(new PropDiff(change.Name, Plain(before), Plain(change.Value)));
                            if (change.Value is { } value) props[change.Name] = value;
                            else props.Remove(change.Name);
                        }
                        if (created || diffs.Count > 0) changes.Add(new ObjectChange(batch.Seq, batch.At, batch.Actor, created ? "created" : "changed", diffs, version));
                        break;
                }
            }
        }
        return changes;
    }

    private static Dictionary<string, PropValue> AllProps(CanvasObject obj)
    {
        var props = new Dictionary<string, PropValue>(obj.Properties, StringComparer.Ordinal) { ["type"] = PropValue.String(obj.Type) };
        if (obj.ParentId is { } parent) props["parentId"] = PropValue.String(parent);
        return props;
    }

    /// <summary>A prop value as the ops write it (whatever its kind), for the JSON answer.</summary>
    private static JsonElement? Plain(PropValue? value)
    {
        if (value is not { } v) return null;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer)) v.WriteTo(writer);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
