using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;

namespace CollabCanvas.Core.Tests;

public class OpValidationTests
{
    private static (bool Ok, string Error) Read(string opsJson, Limits? limits = null)
    {
        using var document = JsonDocument.Parse(opsJson);
        var ok = OpJson.TryRead(document.RootElement, limits ?? Limits.Default, out _, out var error);
        return (ok, error);
    }

    [Theory]
    [InlineData("""[{"op":"put","id":"a","props":{"type":"rect","x":1,"y":2,"width":3,"height":4,"fill":"#ff0000"}}]""")]
    [InlineData("""[{"op":"put","id":"a_b-C9","props":{"fill":"#fff","stroke":"#00ff0080","opacity":0.5,"locked":true,"hidden":false}}]""")]
    [InlineData("""[{"op":"put","id":"t","props":{"type":"text","text":"hi","fontSize":16,"fontWeight":700,"textAlign":"center","fontFamily":"Inter, sans-serif"}}]""")]
    [InlineData("""[{"op":"put","id":"p","props":{"type":"path","points":[0,0,10,10,20,5]}}]""")]
    [InlineData("""[{"op":"put","id":"r","props":{"dash":"dashed","cornerRadius":12,"strokeWidth":4}}]""")]
    [InlineData("""[{"op":"put","id":"l","props":{"dash":"dotted"}}]""")]
    [InlineData("""[{"op":"put","id":"l","props":{"dash":"solid"}}]""")]
    [InlineData("""[{"op":"put","id":"l","props":{"dash":null}}]""")] // back to solid
    [InlineData("""[{"op":"put","id":"f","props":{"type":"frame","fill":"auto","stroke":"auto"}}]""")] // the theme's colours
    [InlineData("""[{"op":"put","id":"r","props":{"fill":"transparent"}}]""")]
    [InlineData("""[{"op":"put","id":"r","props":{"fill":"palette:light-blue","stroke":"palette:violet"}}]""")] // palette colours: the theme picks the shade
    [InlineData("""[{"op":"put","id":"a","props":{"parentId":"f","z":"a0V","name":"Button","fill":null}}]""")]
    [InlineData("""[{"op":"delete","id":"a"}]""")]
    public void Valid_ops_are_accepted(string json) => Assert.True(Read(json).Ok, Read(json).Error);

    [Theory]
    [InlineData("""{"op":"delete","id":"a"}""", "ops: must be an array")]
    [InlineData("""[]""", "ops: must hold 1 to")]
    [InlineData("""[{"op":"move","id":"a"}]""", "ops[0].op: must be")]
    [InlineData("""[{"op":"put","id":"a","props":{"colour":"#fff"}}]""", "ops[0].props.colour: unknown prop")]
    [InlineData("""[{"op":"put","id":"a","props":{"x":"12"}}]""", "ops[0].props.x: must be a number")]
    [InlineData("""[{"op":"put","id":"a","props":{"x":1e300}}]""", "ops[0].props.x: must be between")]
    [InlineData("""[{"op":"put","id":"a","props":{"x":1e400}}]""", "ops[0].props.x:")]
    [InlineData("""[{"op":"put","id":"a","props":{"opacity":1.5}}]""", "ops[0].props.opacity: must be between 0 and 1")]
    [InlineData("""[{"op":"put","id":"a","props":{"fill":"red"}}]""", "ops[0].props.fill: must be a color")]
    [InlineData("""[{"op":"put","id":"a","props":{"fill":"#12345"}}]""", "ops[0].props.fill: must be a color")]
    [InlineData("""[{"op":"put","id":"a","props":{"stroke":"Auto"}}]""", "ops[0].props.stroke: must be a color: #rgb, #rgba, #rrggbb, #rrggbbaa, transparent, auto or a palette color")]
    [InlineData("""[{"op":"put","id":"a","props":{"fill":"palette:Light-Blue"}}]""", "ops[0].props.fill: must be a color")]
    [InlineData("""[{"op":"put","id":"a","props":{"fill":"palette:light-pink"}}]""", "ops[0].props.fill: must be a color")]
    [InlineData("""[{"op":"put","id":"a","props":{"fill":"blue"}}]""", "ops[0].props.fill: must be a color")] // CSS names are not colours here
    [InlineData("""[{"op":"put","id":"a","props":{"type":"circle"}}]""", "ops[0].props.type: must be one of")]
    [InlineData("""[{"op":"put","id":"a","props":{"type":null}}]""", "ops[0].props.type: cannot be removed")]
    [InlineData("""[{"op":"put","id":"a","props":{"points":[1,2,3]}}]""", "ops[0].props.points: must hold an even count")]
    [InlineData("""[{"op":"put","id":"a","props":{"points":[1,"2"]}}]""", "ops[0].props.points: must hold finite numbers")]
    [InlineData("""[{"op":"put","id":"a","props":{"z":"a-0"}}]""", "ops[0].props.z: must be")]
    [InlineData("""[{"op":"put","id":"a","props":{"fontWeight":450}}]""", "ops[0].props.fontWeight")]
    [InlineData("""[{"op":"put","id":"a","props":{"dash":"dash-dot"}}]""", "ops[0].props.dash: must be one of dashed, dotted, solid")]
    [InlineData("""[{"op":"put","id":"a","props":{"dash":[4,4]}}]""", "ops[0].props.dash: must be one of")]
    [InlineData("""[{"op":"put","id":"a","props":{"strokeWidth":1001}}]""", "ops[0].props.strokeWidth: must be between 0 and 1000")]
    [InlineData("""[{"op":"put","id":"a","props":{"cornerRadius":-1}}]""", "ops[0].props.cornerRadius: must be between")]
    [InlineData("""[{"op":"put","id":"a","props":{"fontSize":0}}]""", "ops[0].props.fontSize: must be between 1 and 1000")]
    [InlineData("""[{"op":"put","id":"a","props":{"textAlign":"justify"}}]""", "ops[0].props.textAlign: must be one of center, left, right")]
    [InlineData("""[{"op":"put","id":"a","props":{"locked":"yes"}}]""", "ops[0].props.locked: must be true or false")]
    [InlineData("""[{"op":"put","id":"a","props":{"hidden":1}}]""", "ops[0].props.hidden: must be true or false")]
    [InlineData("""[{"op":"put","id":"a","props":{"parentId":"a b"}}]""", "ops[0].props.parentId: must be an object id")]
    [InlineData("""[{"op":"put","id":"a","props":{"groupId":""}}]""", "ops[0].props.groupId: must be an object id")]
    [InlineData("""[{"op":"put","id":"a","props":{}}]""", "ops[0].props: must not be empty")]
    [InlineData("""[{"op":"put","id":"a"}]""", "ops[0].props: required")]
    [InlineData("""[{"op":"put","id":"a/b","props":{"x":1}}]""", "ops[0].id: must be")]
    [InlineData("""[{"op":"put","id":"","props":{"x":1}}]""", "ops[0].id: must be")]
    [InlineData("""[{"op":"put","props":{"x":1}}]""", "ops[0].id: required")]
    [InlineData("""[{"op":"delete","id":"a","props":{"x":1}}]""", "ops[0].props: not allowed on delete")]
    [InlineData("""[{"op":"put","id":"a","props":{"x":1},"extra":1}]""", "ops[0].extra: unknown field")]
    [InlineData("""[{"op":"put","id":"a","props":{"x":1,"x":2}}]""", "ops[0].props.x: given twice")]
    public void Invalid_ops_are_refused_with_a_precise_message(string json, string expected)
    {
        var (ok, error) = Read(json);
        Assert.False(ok);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void Ids_longer_than_64_characters_are_refused()
    {
        Assert.True(Read($$"""[{"op":"delete","id":"{{new string('a', 64)}}"}]""").Ok);
        Assert.False(Read($$"""[{"op":"delete","id":"{{new string('a', 65)}}"}]""").Ok);
    }

    [Fact]
    public void Configured_limits_bound_batches_text_and_points()
    {
        var limits = new Limits { MaxOpsPerBatch = 2, MaxTextLength = 5, MaxPointNumbers = 4 };
        Assert.False(Read("""[{"op":"delete","id":"a"},{"op":"delete","id":"b"},{"op":"delete","id":"c"}]""", limits).Ok);
        Assert.False(Read("""[{"op":"put","id":"a","props":{"text":"123456"}}]""", limits).Ok);
        Assert.True(Read("""[{"op":"put","id":"a","props":{"text":"12345"}}]""", limits).Ok);
        Assert.False(Read("""[{"op":"put","id":"a","props":{"points":[1,2,3,4,5,6]}}]""", limits).Ok);
    }

    [Fact]
    public void Canonical_form_round_trips()
    {
        using var document = JsonDocument.Parse("""[{"op":"put","id":"a","props":{"type":"rect","fill":"#FFF","x":1.5,"name":null}},{"op":"delete","id":"b"}]""");
        Assert.True(OpJson.TryRead(document.RootElement, Limits.Default, out var ops, out _));
        var json = System.Text.Encoding.UTF8.GetString(OpJson.ToUtf8(ops));
        Assert.Equal("""[{"op":"put","id":"a","props":{"type":"rect","fill":"#fff","x":1.5,"name":null}},{"op":"delete","id":"b"}]""", json);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(OpJson.ToUtf8(OpJson.ReadLogged(OpJson.ToUtf8(ops)))));
    }
}
