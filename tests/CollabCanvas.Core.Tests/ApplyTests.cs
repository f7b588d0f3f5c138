using CollabCanvas.Core.Model;
using static CollabCanvas.Core.Tests.Ops;

namespace CollabCanvas.Core.Tests;

public class ApplyTests
{
    [Fact]
    public void Put_with_type_creates_and_put_without_type_merges()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect", ("x", 1), ("fill", "#fff"))]);
        state.Apply([Put("a", ("x", 5), ("y", 2))]);
        Assert.Equal("""{"a":{"fill":"#fff","type":"rect","x":5,"y":2}}""", state.Json());
    }

    [Fact]
    public void A_snapshot_reads_back_what_was_written_with_children_before_their_frame()
    {
        // "a" sorts before its frame "f": the parent is linked once every object exists. Escapes as the writer writes them.
        const string snapshot = """{"a":{"parentId":"f","points":[0,0,10,5],"type":"line","x":1},"f":{"fill":"palette:blue","type":"frame"},"t":{"text":"h\u00E9 \u0022q\u0022","type":"text"}}""";
        var state = CanvasState.Read(System.Text.Encoding.UTF8.GetBytes(snapshot));
        Assert.Equal(snapshot, state.Json());
        Assert.Equal("f", state.Objects["a"].ParentId);
        state.Apply([Delete("f")]);
        Assert.Equal(["t"], state.Objects.Keys);
    }

    [Fact]
    public void A_clone_is_equal_and_independent_children_included()
    {
        var state = new CanvasState();
        state.Apply([Create("f", "frame"), Create("a", "rect", ("x", 1)), Put("a", ("parentId", "f")), Create("b", "rect")]);
        var clone = state.Clone();
        Assert.Equal(state.Json(), clone.Json());

        clone.Apply([Put("a", ("x", 9)), Put("b", ("parentId", "f")), Delete("f")]);
        Assert.Equal("""{"a":{"parentId":"f","type":"rect","x":1},"b":{"type":"rect"},"f":{"type":"frame"}}""", state.Json());
        Assert.Equal("{}", clone.Json()); // the frame took both children with it: the clone's child sets are its own
        state.Apply([Delete("f")]);
        Assert.Equal("""{"b":{"type":"rect"}}""", state.Json()); // and the original's still hold "a"
    }

    [Fact]
    public void A_diff_turns_one_state_into_the_other_both_ways()
    {
        var from = new CanvasState();
        from.Apply([Create("f", "frame"), Create("a", "rect", ("x", 1), ("fill", "#fff")), Put("a", ("parentId", "f")), Create("t", "text")]);
        var to = new CanvasState();
        to.Apply([Create("g", "frame"), Create("a", "rect", ("x", 2)), Put("a", ("parentId", "g")), Create("t", "ellipse"), Create("n", "line")]);
        foreach (var (source, target) in new[] { (from, to), (to, from) })
        {
            var ops = CanvasDiff.Ops(source, target);
            var replay = source.Clone();
            replay.Apply(ops);
            Assert.Equal(target.Json(), replay.Json());
        }
    }

    [Theory]
    [InlineData("""{"a":{"type":"rect","x":"1"}}""", "snapshot object a.props.x: must be a number")]
    [InlineData("""{"a":{"type":"rect","colour":"#fff"}}""", "snapshot object a.props.colour: unknown prop")]
    [InlineData("""{"a":{"type":"rect","x":1,"x":2}}""", "snapshot object a.props.x: given twice")]
    public void A_damaged_snapshot_is_refused_naming_the_object_and_prop(string snapshot, string error) =>
        Assert.Equal(error, Assert.Throws<InvalidDataException>(() => CanvasState.Read(System.Text.Encoding.UTF8.GetBytes(snapshot))).Message);

    [Fact]
    public void Put_without_type_to_a_missing_object_does_nothing()
    {
        var state = new CanvasState();
        state.Apply([Put("ghost", ("x", 1))]);
        Assert.Equal(0, state.Count);
    }

    [Fact]
    public void Put_without_type_to_a_deleted_object_does_nothing_and_a_recreate_starts_fresh()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect", ("x", 1), ("fill", "#fff")), Delete("a"), Put("a", ("x", 2))]);
        Assert.Equal(0, state.Count);
        state.Apply([Create("a", "ellipse", ("y", 3))]);
        Assert.Equal("""{"a":{"type":"ellipse","y":3}}""", state.Json());
    }

    [Fact]
    public void Null_removes_a_prop()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect", ("fill", "#fff")), Put("a", ("fill", null))]);
        Assert.Equal("""{"a":{"type":"rect"}}""", state.Json());
    }

    [Fact]
    public void Concurrent_puts_conflict_only_on_the_same_property_and_the_later_in_the_log_wins()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect", ("x", 0), ("y", 0))]);
        state.Apply([Put("a", ("x", 10), ("fill", "#111"))]); // alice
        state.Apply([Put("a", ("y", 20), ("fill", "#222"))]); // bob, later in the log
        Assert.Equal("""{"a":{"fill":"#222","type":"rect","x":10,"y":20}}""", state.Json());
    }

    [Fact]
    public void A_type_is_fixed_at_creation()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect"), Create("a", "text", ("text", "hi"))]);
        Assert.Equal("""{"a":{"text":"hi","type":"rect"}}""", state.Json());
    }

    [Fact]
    public void Delete_removes_children_and_grandchildren()
    {
        var state = new CanvasState();
        state.Apply([
            Create("f", "frame"), Create("g", "frame", ("parentId", "f")), Create("c", "rect", ("parentId", "g")),
            Create("other", "rect"),
        ]);
        state.Apply([Delete("f")]);
        Assert.Equal(["other"], state.Objects.Keys);
    }

    [Fact]
    public void A_parent_change_that_would_make_a_cycle_does_nothing()
    {
        var state = new CanvasState();
        state.Apply([Create("f", "frame"), Create("g", "frame", ("parentId", "f"))]);
        state.Apply([Put("f", ("parentId", "g"), ("x", 1))]);
        state.Apply([Put("f", ("parentId", "f"))]);
        Assert.Null(state.Objects["f"].ParentId);
        Assert.Equal(1, state.Objects["f"].Properties["x"].AsNumber);
    }

    [Fact]
    public void A_parent_must_be_an_existing_frame()
    {
        var state = new CanvasState();
        state.Apply([Create("r", "rect"), Create("a", "rect", ("parentId", "r")), Create("b", "rect", ("parentId", "missing"))]);
        Assert.Null(state.Objects["a"].ParentId);
        Assert.Null(state.Objects["b"].ParentId);
    }

    [Fact]
    public void Moving_a_child_out_of_a_frame_keeps_it_when_the_frame_is_deleted()
    {
        var state = new CanvasState();
        state.Apply([Create("f", "frame"), Create("c", "rect", ("parentId", "f"))]);
        state.Apply([Put("c", ("parentId", null)), Delete("f")]);
        Assert.Equal(["c"], state.Objects.Keys);
    }

    [Fact]
    public void The_count_after_a_batch_sees_only_new_objects_with_a_type_and_the_deletions()
    {
        var state = new CanvasState();
        state.Apply([Create("a", "rect")]);
        Assert.Equal(2, state.CountAfter([Create("a", "rect"), Create("b", "rect"), Put("c", ("x", 1))]));
        // A restore deletes as it creates: the canvas after the batch counts, not the creations alone.
        Assert.Equal(1, state.CountAfter([Create("b", "rect"), Delete("a"), Delete("a"), Delete("z")]));
        Assert.Equal(2, state.CountAfter([Delete("a"), Create("a", "rect"), Create("b", "rect"), Create("b", "ellipse")]));
    }
}
