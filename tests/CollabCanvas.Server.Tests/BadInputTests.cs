using System.Net.WebSockets;
using System.Text;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>Bad input is answered with a clear error and harms nobody else: a bystander's batches still go through.</summary>
public class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private async Task<(CanvasClient Offender, CanvasClient Bystander, string Canvas)> RoomAsync()
    {
        var canvas = await Server.CreateCanvasAsync();
        return (await CanvasClient.ConnectAsync(Server, canvas, "offender"), await CanvasClient.ConnectAsync(Server, canvas, "bystander"), canvas);
    }

    private static async Task AssertBystanderUnharmedAsync(CanvasClient bystander, string reference = "ok")
    {
        await bystander.SendOpsAsync(reference, Batch.Rect("fine", 1));
        await bystander.AckAsync(reference);
    }

    [Theory]
    [InlineData("{\"type\":\"ops\",", ErrorCodes.BadJson)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"x":NaN}}]}""", ErrorCodes.BadJson)]
    [InlineData("""{"type":"warp"}""", ErrorCodes.UnknownType)]
    [InlineData("""{"ref":"r"}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"rect","glow":1}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"rect","x":"10"}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"rect","width":1e308}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"rect","x":1e999}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a b","props":{"type":"rect"}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","props":{"type":"rect"}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"<script>","props":{"type":"rect"}}]}""", ErrorCodes.InvalidOp)]
    [InlineData("""{"type":"presence","cursor":{"x":1}}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"presence","viewport":{"x":0,"y":0,"width":1e9,"height":600}}""", ErrorCodes.BadMessage)]
    [InlineData("""{"type":"hello"}""", ErrorCodes.AlreadyHello)]
    [InlineData("""{"type":"\ud800"}""", ErrorCodes.BadJson)]
    [InlineData("""{"type":"ops","ref":"\ud800","ops":[{"op":"put","id":"a","props":{"type":"rect"}}]}""", ErrorCodes.BadJson)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"\udc00","props":{"type":"rect"}}]}""", ErrorCodes.BadJson)]
    [InlineData("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"text","text":"hi \ud83d"}}]}""", ErrorCodes.BadJson)]
    public async Task Bad_messages_are_answered_and_harm_nobody(string frame, string code)
    {
        var (offender, bystander, canvas) = await RoomAsync();
        await offender.SendTextAsync(frame);
        var error = await offender.ErrorAsync();
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        await AssertBystanderUnharmedAsync(bystander);
        await AssertBystanderUnharmedAsync(offender, "offender-still-fine");
        Assert.Single((await Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
        await offender.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task An_invalid_batch_is_refused_whole_and_the_error_names_the_op_and_prop()
    {
        var (offender, bystander, canvas) = await RoomAsync();
        await offender.SendOpsAsync("r1", Batch.Of(Batch.Put("good", new { type = "rect" }), Batch.Put("bad", new { type = "rect", fill = "blue" })));
        var error = await offender.ErrorAsync(ErrorCodes.InvalidOp);
        Assert.Equal("r1", error.GetProperty("ref").GetString());
        Assert.StartsWith("ops[1].props.fill:", error.GetProperty("message").GetString());
        Assert.Empty((await Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
        await offender.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task A_binary_frame_is_answered_with_an_error()
    {
        var (offender, bystander, _) = await RoomAsync();
        await offender.SendBinaryAsync([1, 2, 3]);
        await offender.ErrorAsync(ErrorCodes.BinaryFrame);
        await AssertBystanderUnharmedAsync(bystander);
        await offender.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task A_text_frame_that_is_not_UTF8_ends_only_that_session_with_1007_or_an_abort()
    {
        var (offender, bystander, _) = await RoomAsync();
        await offender.SendTextBytesAsync([.. "{\"type\":\"ping\",\"x\":\""u8, 0xC3, (byte)'"', (byte)'}']);
        await offender.Closed.WaitAsync(Eventually.Ceiling);
        // The close frame comes first, but a loaded machine may let the reset that ends the connection overtake it.
        Assert.True(offender.CloseStatus is WebSocketCloseStatus.InvalidPayloadData or null, $"closed with {offender.CloseStatus}");
        await AssertBystanderUnharmedAsync(bystander);
        await offender.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task A_frame_over_the_limit_closes_that_session_with_1009()
    {
        var (offender, bystander, _) = await RoomAsync();
        var huge = """{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"text","text":" """ + new string('x', 70_000) + "\"}}]}";
        await offender.SendTextAsync(huge);
        await offender.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, offender.CloseStatus);
        await AssertBystanderUnharmedAsync(bystander);
        await offender.DisposeAsync();
        await bystander.DisposeAsync();
    }

    [Fact]
    public async Task Ops_before_hello_are_answered_with_hello_required()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas, hello: false);
        await client.SendOpsAsync("early", Batch.Rect("a", 1));
        var error = await client.ErrorAsync(ErrorCodes.HelloRequired);
        Assert.Equal("early", error.GetProperty("ref").GetString());
        await client.SendJsonAsync(new { type = "hello" });
        await client.NextAsync("welcome");
        Assert.Equal(0, (await Server.DocumentAsync(canvas)).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_lone_surrogate_in_hello_without_sign_in_is_bad_json_and_the_socket_goes_on()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var stranger = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, hello: false);
        await stranger.SendTextAsync("""{"type":"hello","name":"\ud800"}""");
        Assert.Contains("lone surrogate", (await stranger.ErrorAsync(ErrorCodes.BadJson)).GetProperty("message").GetString());
        await stranger.SendTextAsync("""{"type":"ping"}""");
        await stranger.NextAsync("pong");
    }

    [Fact]
    public async Task A_bad_hello_closes_with_4400()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas, hello: false);
        await client.SendTextAsync("""{"type":"hello","since":"yesterday"}""");
        await client.ErrorAsync(ErrorCodes.BadMessage);
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.BadHello, client.CloseStatus);
    }

    [Fact]
    public async Task Arrays_of_messages_are_handled_one_by_one()
    {
        var canvas = await Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(Server, canvas, hello: false);
        await client.SendTextAsync("""[{"type":"hello"},{"type":"ping"},{"type":"nope"}]""");
        await client.NextAsync("welcome");
        await client.NextAsync("pong");
        await client.ErrorAsync(ErrorCodes.UnknownType);
    }
}

/// <summary>Limits that need a server configured low enough to reach them.</summary>
public class LimitTests
{
    [Fact]
    public async Task A_flood_over_the_rate_limit_is_refused_with_rate_limited_and_others_carry_on()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Realtime:BatchesPerSecond", "1"), ("Realtime:BatchBurst", "10"));
        var canvas = await server.CreateCanvasAsync();
        await using var flooder = await CanvasClient.ConnectAsync(server, canvas);
        await using var bystander = await CanvasClient.ConnectAsync(server, canvas);
        var flooding = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 40; i++) await flooder.SendOpsAsync($"f{i}", Batch.Rect($"f{i}", i));
        var limited = await flooder.ErrorAsync(ErrorCodes.RateLimited);
        Assert.StartsWith("f", limited.GetProperty("ref").GetString());
        await flooder.WaitForAckOfAsync("f0"); // the burst went through
        await bystander.SendOpsAsync("b", Batch.Rect("b", 1));
        await bystander.AckAsync("b");
        var count = (await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();
        // The burst, what the rate refilled while this ran (more on a slow machine), and the bystander's; not all 40.
        Assert.InRange(count, 11, 10 + (int)Math.Ceiling(flooding.Elapsed.TotalSeconds) + 1);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_and_the_room_is_not_slowed()
    {
        await using var server = await ServerProcess.StartAsync(null,
            ("Realtime:MaxQueuedBytes", "262144"), ("Realtime:BatchesPerSecond", "1000"), ("Realtime:BatchBurst", "1000"));
        var canvas = await server.CreateCanvasAsync();
        await using var sleeper = await CanvasClient.ConnectAsync(server, canvas, "sleeper", read: false, hello: false);
        await sleeper.SendJsonAsync(new { type = "hello" });
        await using var writer = await CanvasClient.ConnectAsync(server, canvas, "writer");
        await using var reader = await CanvasClient.ConnectAsync(server, canvas, "reader");

        // ~40 MB of broadcasts: far more than the socket buffers and the 256 KB queue can hold.
        var text = new string('x', 9_000);
        var ops = Batch.Of(Enumerable.Range(0, 100).Select(i => Batch.Put($"t{i}", new { type = "text", text })).ToArray());
        for (var i = 0; i < 45 && !reader.Received.Contains("leave"); i++)
        {
            await writer.SendOpsAsync($"r{i}", ops);
            var ack = await writer.AckAsync($"r{i}");
            // Paced by the reader, so that only the sleeper falls behind, however slow this machine is right now.
            await reader.WaitForSeqAsync(ack.GetProperty("seq").GetInt64(), timeoutMs: 30_000);
        }
        await reader.NextAsync("leave"); // the sleeper was dropped...
        await writer.SendOpsAsync("after", Batch.Rect("after", 1));
        await writer.AckAsync("after"); // ...and the room goes on
        await reader.NextAsync("ops", m => m.GetProperty("ops")[0].GetProperty("id").GetString() == "after");
    }

    [Fact]
    public async Task A_socket_without_hello_is_closed_with_4408()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Realtime:HelloTimeoutSeconds", "1"));
        var canvas = await server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(server, canvas, hello: false);
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.HelloTimeout, client.CloseStatus);
    }

    [Fact]
    public async Task The_object_limit_refuses_batches_that_would_exceed_it()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Realtime:MaxObjectsPerCanvas", "3"));
        var canvas = await server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(server, canvas);
        await client.SendOpsAsync("r1", Batch.Of(Batch.Put("a", new { type = "rect" }), Batch.Put("b", new { type = "rect" })));
        await client.AckAsync("r1");
        await client.SendOpsAsync("r2", Batch.Of(Batch.Put("c", new { type = "rect" }), Batch.Put("d", new { type = "rect" })));
        var error = await client.ErrorAsync(ErrorCodes.TooManyObjects);
        Assert.Equal("r2", error.GetProperty("ref").GetString());
        await client.SendOpsAsync("r3", Batch.Of(Batch.Put("a", new { x = 5 }), Batch.Put("c", new { type = "rect" })));
        await client.AckAsync("r3");
    }
}
