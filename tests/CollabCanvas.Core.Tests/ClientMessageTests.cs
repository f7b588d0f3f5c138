using System.Text;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;

namespace CollabCanvas.Core.Tests;

public class ClientMessageTests
{
    private static List<ClientMessage> Parse(string json) => ClientMessages.Parse(Encoding.UTF8.GetBytes(json), Limits.Default);

    [Fact]
    public void A_frame_may_hold_one_message_or_an_array()
    {
        Assert.IsType<PingMessage>(Assert.Single(Parse("""{"type":"ping"}""")));
        var many = Parse("""[{"type":"hello","since":5,"client":"c1"},{"type":"ping"}]""");
        Assert.Equal(new HelloMessage(5, "c1"), many[0]);
        Assert.IsType<PingMessage>(many[1]);
    }

    [Theory]
    [InlineData("{not json", ErrorCodes.BadJson)]
    [InlineData("42", ErrorCodes.BadMessage)]
    [InlineData("[]", ErrorCodes.BadMessage)]
    [InlineData("""{"kind":"ping"}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"teleport"}""", ErrorCodes.UnknownType)]
    [InlineData("""{"type":"ops","ops":[]}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"ops","ref":"r1","ops":[{"op":"put","id":"a","props":{"bogus":1}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"hello","since":-1}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"presence","cursor":{"x":"1","y":2}}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"presence","selection":["bad id"]}""", ErrorCodes.BadMessage)]
    public void Bad_messages_become_errors_with_a_code(string json, string code)
    {
        var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse(json)));
        Assert.Equal(code, message.Code);
    }

    [Fact]
    public void A_presence_viewport_is_finite_bounded_and_at_least_one_unit_wide_and_tall()
    {
        var presence = Assert.IsType<PresenceMessage>(Assert.Single(Parse(
            """{"type":"presence","cursor":null,"selection":[],"viewport":{"x":-1e7,"y":2.5,"width":1,"height":1e7}}""")));
        Assert.Equal(new Viewport(-1e7, 2.5, 1, 1e7), presence.Viewport);
        Assert.Null(Assert.IsType<PresenceMessage>(Assert.Single(Parse("""{"type":"presence","viewport":null}"""))).Viewport);
        string[] bad =
        [
            """{"x":0,"y":0,"width":800}""", """{"x":0,"y":0,"width":"800","height":600}""", """{"x":1e308,"y":0,"width":800,"height":600}""",
            """{"x":0,"y":0,"width":1e999,"height":600}""", """{"x":0,"y":0,"width":0,"height":600}""", """{"x":0,"y":0,"width":800,"height":-600}""",
            """{"x":0,"y":0,"width":800,"height":10000001}""", """[0,0,800,600]""", """true""",
        ];
        foreach (var viewport in bad)
            Assert.Equal(ErrorCodes.BadMessage, Assert.IsType<InvalidMessage>(Assert.Single(Parse($$"""{"type":"presence","viewport":{{viewport}}}"""))).Code);
    }

    [Fact]
    public void An_auth_message_carries_exactly_one_of_a_token_or_a_ticket()
    {
        Assert.Equal(new AuthMessage("eyJ.a.b", null), Assert.Single(Parse("""{"type":"auth","token":"eyJ.a.b"}""")));
        Assert.Equal(new AuthMessage(null, "t1"), Assert.Single(Parse("""{"type":"auth","ticket":"t1"}""")));
        string[] bad =
        [
            """{"type":"auth"}""", """{"type":"auth","token":"a","ticket":"b"}""", """{"type":"auth","token":5}""",
            $$"""{"type":"auth","token":"{{new string('a', ClientMessages.MaxTokenLength + 1)}}"}""",
        ];
        foreach (var json in bad) Assert.Equal(ErrorCodes.BadMessage, Assert.IsType<InvalidMessage>(Assert.Single(Parse(json))).Code);
    }

    [Fact]
    public void An_invalid_batch_keeps_its_ref_so_the_client_knows_which_failed()
    {
        var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse("""{"type":"ops","ref":"r9","ops":[{"op":"put","id":"a","props":{"x":"1"}}]}""")));
        Assert.Equal("r9", message.Ref);
        Assert.Equal("ops[0].props.x: must be a number", message.Message);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_not_crashing()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.Equal(ErrorCodes.BadJson, Assert.IsType<InvalidMessage>(Assert.Single(Parse(deep))).Code);
    }
}
