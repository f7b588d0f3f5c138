namespace CollabCanvas.Core.Model;

/// <summary>
/// The ops that turn one state into another, as one batch (a version restored through the log like any edit, and its
/// undo): objects whose type changed are deleted first, then every object of the target is created or has its
/// differing props set, parents before children (so a parent exists before anything is put into it), and last
/// what the target lacks is deleted (children it keeps were moved out before). Applying the ops to
/// <c>from</c> gives exactly <c>to</c>; <see cref="Ops"/> checks it unless told not to.
/// </summary>
public static class CanvasDiff
{
    /// <param name="check">
    /// Whether to check that the ops reach <paramref name="to"/> (two writes of a whole state): a restore checks its
    /// batch and skips the check of the batch's undo, the same algorithm the other way, which would double its cost on
    /// a canvas of 10,000 objects.
    /// </param>
    public static Op[] Ops(CanvasState from, CanvasState to, bool check = true)
    {
        var working = from.Clone();
        var ops = new List<Op>();
        void Emit(Op op)
        {
            ops.Add(op);
            working.Apply([op]);
        }

        foreach (var (id, obj) in from.Objects)
            if (to.Objects.TryGetValue(id, out var target) && target.Type != obj.Type) ops.Add(new DeleteOp(id));
        working.Apply(ops);

        foreach (var (id, target) in to.Objects.OrderBy(o => Depth(to, o.Key)).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            var changes = new List<PropChange>();
            if (!working.Objects.TryGetValue(id, out var current))
            {
                changes.Add(new PropChange("type", PropValue.String(target.Type)));
                if (target.ParentId is { } parent) changes.Add(new PropChange("parentId", PropValue.String(parent)));
                foreach (var (name, value) in target.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) changes.Add(new PropChange(name, value));
            }
            else
            {
                if (current.ParentId != target.ParentId)
                    changes.Add(new PropChange("parentId", target.ParentId is { } parent ? PropValue.String(parent) : null));
                foreach (var (name, value) in target.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                    if (!current.Properties.TryGetValue(name, out var old) || !old.Equals(value)) changes.Add(new PropChange(name, value));
                foreach (var name in current.Properties.Keys.Where(n => !target.Properties.ContainsKey(n)).Order(StringComparer.Ordinal))
                    changes.Add(new PropChange(name, null));
            }
            if (changes.Count > 0) Emit(new PutOp(id, changes));
        }

        foreach (var id in working.Objects.Keys.Where(id => !to.Objects.ContainsKey(id)).Order(StringComparer.Ordinal).ToList())
            if (working.Objects.ContainsKey(id)) Emit(new DeleteOp(id)); // a deleted frame takes its children with it

        if (check && !working.ObjectsToUtf8().AsSpan().SequenceEqual(to.ObjectsToUtf8()))
            throw new InvalidOperationException("the diff does not reach the target state");
        return [.. ops];
    }

    private static int Depth(CanvasState state, string id)
    {
        var depth = 0;
        for (var parent = state.Objects[id].ParentId; parent is not null; parent = state.Objects[parent].ParentId) depth++;
        return depth;
    }
}
