using System.Text.Json;
using CollabCanvas.Core.Model;
using CsCheck;
using static CollabCanvas.Core.Tests.Ops;

namespace CollabCanvas.Core.Tests;

/// <summary>
/// Random concurrent histories: several clients edit the same few objects (creates, merges, deletes, re-creates,
/// parent changes) and the log interleaves their batches. Every replica must reach the same state however it
/// receives the log, and the canvas invariants must hold after every batch.
/// </summary>
public class ConvergenceProperties
{
    private static readonly string[] Ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
    private static readonly string[] Types = ["rect", "ellipse", "text", "frame", "frame", "path"];
    private static readonly string[] Colors = ["#000", "#fff", "#ff0000", "#00ff0080"];

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (3, Gen.Select(Gen.OneOfConst(Ids), Gen.OneOfConst(Types), Gen.Int[-100, 100], Gen.OneOfConst(Colors),
            (id, type, x, fill) => (Op)Create(id, type, ("x", x), ("fill", fill)))),
        (4, Gen.Select(Gen.OneOfConst(Ids), Gen.Int[-100, 100], Gen.OneOfConst(Colors),
            (id, x, fill) => (Op)Put(id, ("x", x), ("fill", fill)))),
        (3, Gen.Select(Gen.OneOfConst(Ids), Gen.OneOfConst<string?>([.. Ids, null]),
            (id, parent) => (Op)Put(id, ("parentId", parent)))),
        (1, Gen.Select(Gen.OneOfConst(Ids), id => (Op)Put(id, ("fill", null)))),
        (2, Gen.OneOfConst(Ids).Select(id => (Op)Delete(id))));

    /// <summary>A history: each client's batches in its own order, and the log's interleaving of them.</summary>
    private static readonly Gen<(Op[][] Log, int Cut)> GenHistory =
        Gen.Int[1, 4].SelectMany(clients =>
            GenOp.Array[1, 4].Array[0, 15].Array[clients].SelectMany(perClient =>
            {
                var total = perClient.Sum(c => c.Length);
                return Gen.Int[0, clients - 1].Array[total * 2].Select(Gen.Int[0, Math.Max(total, 0)], (picks, cut) =>
                {
                    var next = new int[clients];
                    var log = new List<Op[]>();
                    foreach (var pick in picks)
                    {
                        if (next[pick] < perClient[pick].Length) log.Add(perClient[pick][next[pick]++]);
                    }
                    for (var c = 0; c < clients; c++)
                        while (next[c] < perClient[c].Length) log.Add(perClient[c][next[c]++]);
                    return (log.ToArray(), cut);
                });
            }));

    [Fact]
    public void Replicas_converge_however_they_receive_the_log()
    {
        GenHistory.Sample(history =>
        {
            var (log, cut) = history;
            var straight = new CanvasState();
            foreach (var batch in log) straight.Apply(batch);

            // A replica that loads a snapshot taken after `cut` batches and applies the rest, as a restarted server does.
            var first = new CanvasState();
            foreach (var batch in log.Take(cut)) first.Apply(batch);
            var restored = CanvasState.Read(first.ObjectsToUtf8());
            foreach (var batch in log.Skip(cut)) restored.Apply(batch);

            // A replica that receives the log through its canonical JSON form, as clients do.
            var wire = new CanvasState();
            foreach (var batch in log) wire.Apply(OpJson.ReadLogged(OpJson.ToUtf8(batch)));

            return straight.Json() == restored.Json() && straight.Json() == wire.Json();
        }, iter: 3000);
    }

    [Fact]
    public void Invariants_hold_after_every_batch()
    {
        GenHistory.Sample(history =>
        {
            var state = new CanvasState();
            foreach (var batch in history.Log)
            {
                state.Apply(batch);
                foreach (var (id, obj) in state.Objects)
                {
                    var seen = new HashSet<string> { id };
                    for (var parent = obj.ParentId; parent is not null; parent = state.Objects[parent].ParentId)
                    {
                        if (!state.Objects.TryGetValue(parent, out var p) || p.Type != ObjectSchema.ContainerType) return false;
                        if (!seen.Add(parent)) return false; // a cycle
                    }
                }
            }
            return true;
        }, iter: 3000);
    }
}
