using System.Text.Json.Nodes;
using CollabCanvas.Server.Ai;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>AI commands keep the connector rule (docs/protocol.md, "Connectors") when they delete or duplicate.</summary>
public class ConnectorPlanTests
{
    /// <summary>Rectangles r (0, 0) and s (400, 0), 100 by 100; an arrow from r's right middle to s's left middle.</summary>
    private static Dictionary<string, JsonObject> Canvas() => new()
    {
        ["r"] = JsonNode.Parse("""{"type":"rect","x":0,"y":0,"width":100,"height":100,"z":"V0001"}""")!.AsObject(),
        ["s"] = JsonNode.Parse("""{"type":"rect","x":400,"y":0,"width":100,"height":100,"z":"V0002"}""")!.AsObject(),
        ["a"] = JsonNode.Parse("""
            {"type":"arrow","x":200,"y":50,"points":[0,0,10,10],"z":"V0003",
             "startBinding":{"id":"r","x":1,"y":0.5},"endBinding":{"id":"s","x":0,"y":0.5}}
            """)!.AsObject(),
    };

    [Fact]
    public void Deleting_a_bound_shape_writes_the_connectors_points_as_drawn_and_unbinds_it_in_the_same_batch()
    {
        var result = new PlanExecutor(new AiContext(Canvas(), ["r"], null, "light"), () => "n").Run(new AiPlan([new DeleteSelection()]));
        Assert.Equal(
            """[{"op":"put","id":"a","props":{"startBinding":null,"points":[-100,0,200,0]}},{"op":"delete","id":"r"}]""",
            result.Ops.ToJsonString());
    }

    [Fact]
    public void A_duplicated_connector_stays_bound_to_copied_shapes_only()
    {
        var n = 0;
        var result = new PlanExecutor(new AiContext(Canvas(), ["s", "a"], null, "light"), () => $"n{n++}").Run(new AiPlan([new DuplicateSelection(1)]));
        var arrowCopy = result.Ops.Select(o => o!.AsObject()).Single(o => o["props"]!["type"]!.GetValue<string>() == "arrow");
        var shapeCopy = result.Ops.Select(o => o!.AsObject()).Single(o => o["props"]!["type"]!.GetValue<string>() == "rect")["id"]!.GetValue<string>();
        var props = arrowCopy["props"]!.AsObject();
        Assert.False(props.ContainsKey("startBinding")); // r was not copied: the copy starts where the original is drawn from
        Assert.Equal(shapeCopy, props["endBinding"]!["id"]!.GetValue<string>());
        Assert.Equal("[-100,0,200,0]", props["points"]!.ToJsonString());
    }
}
