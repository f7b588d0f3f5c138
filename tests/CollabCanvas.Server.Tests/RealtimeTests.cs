using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

public class RealtimeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_batch_reaches_its_sender_as_ack_and_everyone_else_as_ops()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var alice = await CanvasClient.ConnectAsync(Server, canvas, "Alice");
        await using var bob = await CanvasClient.ConnectAsync(Server, canvas, "Bob");

        await alice.SendOpsAsync("r1", """[{"op":"put","id":"box","props":{"type":"rect","x":10,"y":20,"width":100,"height":50,"fill":"#ff0000"}}]""");
        var ack = await alice.AckAsync("r1");
        var ops = await bob.NextAsync("ops");

        Assert.Equal(ack.GetProperty("seq").GetInt64(), ops.GetProperty("seq").GetInt64());
        var me = await Server.Http.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(me.GetProperty("id").GetString(), ops.GetProperty("actor").GetString());
        Assert.Equal("box", ops.GetProperty("ops")[0].GetProperty("id").GetString());
        Assert.Equal(alice.ReplicaJson(), bob.ReplicaJson());

        await using var carol = await CanvasClient.ConnectAsync(Server, canvas, "Carol");
        Assert.Equal(alice.ReplicaJson(), carol.ReplicaJson());
        Assert.Equal(ack.GetProperty("seq").GetInt64(), carol.Seq);
    }

    [Fact]
    public async Task Welcome_names_the_user_and_lists_the_peers_already_there()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var alice = await CanvasClient.ConnectAsync(Server, canvas, "Alice", cookies: await Server.MemberAsync(canvas, "Alice"));
        var bob = await CanvasClient.ConnectAsync(Server, canvas, "Bob", hello: false, cookies: await Server.MemberAsync(canvas, "Bob"));
        await bob.SendJsonAsync(new { type = "hello" });
        var welcome = await bob.NextAsync("welcome");

        Assert.Equal("Bob", welcome.GetProperty("user").GetProperty("name").GetString());
        Assert.Matches("^#[0-9a-f]{6}$", welcome.GetProperty("user").GetProperty("color").GetString());
        var peer = Assert.Single(welcome.GetProperty("peers").EnumerateArray());
        Assert.Equal("Alice", peer.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, welcome.GetProperty("objects").ValueKind);
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task Presence_join_and_leave_reach_the_other_sessions()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var alice = await CanvasClient.ConnectAsync(Server, canvas, "Alice", cookies: await Server.MemberAsync(canvas, "Alice"));
        var bob = await CanvasClient.ConnectAsync(Server, canvas, "Bob", cookies: await Server.MemberAsync(canvas, "Bob"));
        var join = await alice.NextAsync("join");
        Assert.Equal("Bob", join.GetProperty("peer").GetProperty("user").GetProperty("name").GetString());

        await bob.SendJsonAsync(new
        {
            type = "presence", cursor = new { x = 12.5, y = -3 }, selection = new[] { "a", "b" },
            viewport = new { x = -40, y = 20.5, width = 1280, height = 752 },
        });
        var presence = await alice.NextAsync("presence");
        Assert.Equal(bob.Session, presence.GetProperty("session").GetString());
        Assert.Equal(12.5, presence.GetProperty("cursor").GetProperty("x").GetDouble());
        Assert.Equal(2, presence.GetProperty("selection").GetArrayLength());
        Assert.Equal("""{"x":-40,"y":20.5,"width":1280,"height":752}""", presence.GetProperty("viewport").GetRawText());

        await bob.CloseAsync();
        var leave = await alice.NextAsync("leave");
        Assert.Equal(bob.Session, leave.GetProperty("session").GetString());
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task A_message_split_over_many_frames_is_read_whole()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas);
        var text = new string('é', 9_000); // multi-byte characters cut across frame boundaries
        var raw = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var message = JsonSerializer.Serialize(new { type = "ops", @ref = "big", ops = new[] { Batch.Put("t", new { type = "text", text }) } }, raw);
        await client.SendFragmentedAsync(message, parts: 7);
        await client.AckAsync("big");
        var document = await Server.DocumentAsync(canvas);
        Assert.Equal(text, document.GetProperty("objects").GetProperty("t").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas);
        await client.SendJsonAsync(new { type = "ping" });
        await client.NextAsync("pong");
    }

    [Fact]
    public async Task An_unknown_canvas_closes_the_socket_with_4404()
    {
        await using var client = await CanvasClient.ConnectAsync(Server, "no-such-canvas", hello: false);
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.CanvasNotFound, client.CloseStatus);
    }

    [Fact]
    public async Task Deleting_a_canvas_closes_its_sessions_with_4410()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas);
        await Server.Http.DeleteAsync($"/api/canvases/{canvas}");
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.CanvasDeleted, client.CloseStatus);
    }

    [Fact]
    public async Task A_plain_HTTP_request_to_the_socket_endpoint_is_told_to_upgrade()
    {
        var response = await Server.Http.GetAsync("/ws/canvases/whatever");
        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, response.StatusCode);
    }
}
