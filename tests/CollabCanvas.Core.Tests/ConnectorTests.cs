using System.Text.Json;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Core.Tests;

/// <summary>
/// Bindings of connector ends: what the schema takes, and the drawn points, from the cases the editor's tests read too
/// (<c>tests/vectors/connector-geometry.json</c>), so that the server and every editor draw the same ends.
/// </summary>
public class ConnectorTests
{
    private static (bool Ok, string Error) Read(string opsJson)
    {
        using var document = JsonDocument.Parse(opsJson);
        var ok = OpJson.TryRead(document.RootElement, Limits.Default, out _, out var error);
        return (ok, error);
    }

    [Theory]
    [InlineData("""{"id":"r1","x":0,"y":1}""")]
    [InlineData("""{"x":0.25,"y":0.5,"id":"a_b-C9"}""")]
    [InlineData("""null""")] // unbinds
    public void A_binding_is_an_id_and_an_anchor_in_the_unit_square(string binding)
    {
        var (ok, error) = Read($$$"""[{"op":"put","id":"a","props":{"startBinding":{{{binding}}},"endBinding":{{{binding}}}}}]""");
        Assert.True(ok, error);
    }

    [Theory]
    [InlineData("""{"id":"r1","x":1.01,"y":0}""")]
    [InlineData("""{"id":"r1","x":0,"y":-0.01}""")]
    [InlineData("""{"id":"r1","x":0}""")]
    [InlineData("""{"id":"r1","x":0,"y":0,"z":0}""")]
    [InlineData("""{"id":"r1","x":0,"y":0,"x":1}""")]
    [InlineData("""{"id":"r 1","x":0,"y":0}""")]
    [InlineData("""{"id":"","x":0,"y":0}""")]
    [InlineData("""{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","x":0,"y":0}""")] // 65 characters
    [InlineData("""{"id":7,"x":0,"y":0}""")]
    [InlineData("""{"id":"r1","x":"0","y":0}""")]
    [InlineData("""["r1",0,0]""")]
    [InlineData("""
                "r1"
                """)]
    public void A_binding_out_of_bounds_is_refused_with_the_prop_named(string binding)
    {
        var (ok, error) = Read($$$"""[{"op":"put","id":"a","props":{"endBinding":{{{binding}}}}}]""");
        Assert.False(ok);
        Assert.StartsWith("ops[0].props.endBinding: must be {\"id\": an object id, \"x\": 0 to 1, \"y\": 0 to 1}", error);
    }

    [Fact]
    public void A_binding_is_written_back_as_it_was_read_and_kept_in_snapshots()
    {
        var state = new CanvasState();
        using var ops = JsonDocument.Parse("""[{"op":"put","id":"a","props":{"type":"arrow","endBinding":{"y":0.5,"id":"r","x":0.25}}}]""");
        Assert.True(OpJson.TryRead(ops.RootElement, Limits.Default, out var read, out var error), error);
        Assert.Equal("""[{"op":"put","id":"a","props":{"type":"arrow","endBinding":{"id":"r","x":0.25,"y":0.5}}}]""",
            System.Text.Encoding.UTF8.GetString(OpJson.ToUtf8(read)));
        state.Apply(read);
        var json = System.Text.Encoding.UTF8.GetString(state.ObjectsToUtf8());
        Assert.Equal("""{"a":{"endBinding":{"id":"r","x":0.25,"y":0.5},"type":"arrow"}}""", json);
        using var snapshot = JsonDocument.Parse(json);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(CanvasState.Read(snapshot.RootElement).ObjectsToUtf8()));
        Assert.Equal(PropValue.Binding(new Binding("r", 0.25, 0.5)), state.Objects["a"].Properties["endBinding"]);
    }

    public static TheoryData<string> Cases() => [.. Vectors().Select(c => c.GetProperty("name").GetString()!)];

    [Theory, MemberData(nameof(Cases))]
    public void The_drawn_points_are_the_shared_vectors(string name)
    {
        var vector = Vectors().Single(c => c.GetProperty("name").GetString() == name);
        var state = new CanvasState();
        foreach (var obj in vector.GetProperty("objects").EnumerateObject())
        {
            Assert.True(OpJson.TryReadProps(obj.Value, Limits.Default, out var props, out var error), error);
            state.Apply([new PutOp(obj.Name, props)]);
        }
        var drawn = Connectors.DrawnPoints(state.Objects[vector.GetProperty("connector").GetString()!], state.Objects);
        var expected = vector.GetProperty("points");
        if (expected.ValueKind == JsonValueKind.Null) Assert.Null(drawn);
        else Assert.Equal(expected.EnumerateArray().Select(p => p.GetDouble()), drawn!);
    }

    [Fact]
    public void The_document_lists_the_drawn_points_of_bound_connectors_only()
    {
        var state = new CanvasState();
        using var ops = JsonDocument.Parse("""
            [{"op":"put","id":"r","props":{"type":"rect","x":100,"y":100,"width":50,"height":50}},
             {"op":"put","id":"free","props":{"type":"arrow","points":[0,0,1,1]}},
             {"op":"put","id":"tied","props":{"type":"arrow","x":10,"y":10,"points":[0,0,1,1],"endBinding":{"id":"r","x":1,"y":1}}}]
            """);
        Assert.True(OpJson.TryRead(ops.RootElement, Limits.Default, out var read, out var error), error);
        state.Apply(read);
        // Aiming from (10, 10) at r's bottom-right corner (150, 150), the end meets r's outline at its top-left corner.
        Assert.Equal("""{"tied":[0,0,90,90]}""", System.Text.Encoding.UTF8.GetString(Connectors.DrawnToUtf8(state)));

        // The bound shape moves: no op touches the arrow, its end follows (onto r's left edge, x = 200). Then the shape is
        // gone: the stored points.
        state.Apply([new PutOp("r", [new PropChange("x", PropValue.Number(200))])]);
        Assert.Equal("""{"tied":[0,0,190,110.83]}""", System.Text.Encoding.UTF8.GetString(Connectors.DrawnToUtf8(state)));
        state.Apply([new DeleteOp("r")]);
        Assert.Equal("""{"tied":[0,0,1,1]}""", System.Text.Encoding.UTF8.GetString(Connectors.DrawnToUtf8(state)));
    }

    private static IEnumerable<JsonElement> Vectors()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CollabCanvas.slnx"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("CollabCanvas.slnx not found above " + AppContext.BaseDirectory);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "tests", "vectors", "connector-geometry.json")));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    }
}
