using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Hostile frames by the thousand against a real server, from sockets that signed in and said hello and from
/// sockets that never signed in: no session ends with 1011, nothing a client sends reaches the error log, and a
/// well-behaved session on the same canvas goes on being served throughout.
/// </summary>
public partial class FuzzTests(ITestOutputHelper output)
{
    private const int Frames = 10_400;
    private const int MaxFrameBytes = 65_536;

    [Fact]
    public async Task Ten_thousand_hostile_frames_close_nothing_with_1011_log_no_error_and_harm_no_bystander()
    {
        await using var server = await ServerProcess.StartAsync(null,
            ("Realtime:MaxFrameBytes", MaxFrameBytes.ToString()), ("Realtime:MessagesPerSecond", "100000"),
            ("Realtime:BatchesPerSecond", "100000"), ("Realtime:BatchBurst", "100000"),
            ("Logging:Console:FormatterName", "simple"), ("Logging:Console:FormatterOptions:SingleLine", "true"));
        var canvas = await server.CreateCanvasAsync();
        await using var bystander = await CanvasClient.ConnectAsync(server, canvas, "bystander");

        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var fuzzers = new[]
        {
            new Fuzzer(server, canvas, server.Cookies, new Random(seed)),
            new Fuzzer(server, canvas, server.Cookies, new Random(seed + 1)),
            new Fuzzer(server, canvas, null, new Random(seed + 2)),
            new Fuzzer(server, canvas, null, new Random(seed + 3)),
        };
        using var done = new CancellationTokenSource();
        var served = 0;
        var bystanding = Task.Run(async () =>
        {
            // The bystander keeps editing while the fuzzers run, and every batch of it must be acknowledged.
            while (!done.IsCancellationRequested)
            {
                var reference = $"b{served}";
                await bystander.SendOpsAsync(reference, Batch.Rect("bystander", served));
                await bystander.AckAsync(reference).WaitAsync(TimeSpan.FromSeconds(60));
                served++;
                await Task.Delay(50);
            }
        });
        var fuzzing = fuzzers.Select(f => Task.Run(() => f.RunAsync(Frames / fuzzers.Length))).ToArray();
        await Task.WhenAll(fuzzing);
        done.Cancel();
        await bystanding;

        var closes = fuzzers.SelectMany(f => f.Closes).GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key.Kind} {g.Key.Code}×{g.Count()}");
        output.WriteLine($"{fuzzers.Sum(f => f.Handled)} frames; closed after: {string.Join(", ", closes)}; bystander batches: {served}");
        Assert.True(fuzzers.Sum(f => f.Handled) >= 10_000);
        Assert.DoesNotContain(fuzzers.SelectMany(f => f.Closes), c => c.Code == CollabCanvas.Core.Protocol.CloseCodes.InternalError.ToString());
        Assert.DoesNotContain(ErrorLine().Matches(server.Output), m => true);
        Assert.True(served > 0);
        Assert.Equal(WebSocketState.Open, bystander.State);
        await bystander.SendOpsAsync("last", Batch.Rect("bystander", -1));
        await bystander.AckAsync("last");
    }

    /// <summary>Lines the simple console formatter writes for Error and Critical entries.</summary>
    [GeneratedRegex(@"^(fail|crit): .*$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    /// <summary>
    /// One socket that sends hostile frames, each followed by a marker that the server answers (an <c>ops</c>
    /// message without ops, refused with its <c>ref</c>), so that every frame counts only once the server has read it;
    /// a frame after which the socket closed instead is recorded with the close code. A closed socket is replaced.
    /// </summary>
    private sealed class Fuzzer(ServerProcess server, string canvas, CookieContainer? cookies, Random random)
    {
        private ClientWebSocket? _socket;
        private Task<string> _draining = Task.FromResult("none");
        private volatile string? _marker;
        private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Each close: the kind of frame after which it came, and its code ("abort" without a closing handshake).</summary>
        public ConcurrentQueue<(string Kind, string Code)> Closes { get; } = new();
        /// <summary>Frames the server read: answered after, or closed on.</summary>
        public int Handled { get; private set; }

        public async Task RunAsync(int frames)
        {
            while (Handled < frames)
            {
                var (kind, frame) = FuzzFrames.Next(random);
                var marker = $"m{Handled}";
                _answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _marker = "\"ref\":\"" + marker + "\"";
                try
                {
                    if (_socket is not { State: WebSocketState.Open }) await ReconnectAsync();
                    await _socket!.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                    await _socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"ops","ref":"{{marker}}"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                {
                    // Closed by the server while sending: the drain loop records how.
                }
                var ended = _draining;
                await Task.WhenAny(_answered.Task, ended).WaitAsync(TimeSpan.FromSeconds(60));
                if (!_answered.Task.IsCompleted) Closes.Enqueue((kind, await ended));
                Handled++;
            }
            if (_socket is { State: WebSocketState.Open })
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            await _draining.WaitAsync(TimeSpan.FromSeconds(60));
        }

        private async Task ReconnectAsync()
        {
            await _draining.WaitAsync(TimeSpan.FromSeconds(60));
            _socket?.Dispose();
            _socket = new ClientWebSocket();
            if (cookies is not null) _socket.Options.Cookies = cookies;
            await _socket.ConnectAsync(new Uri($"ws://{server.BaseUri.Authority}/ws/canvases/{canvas}"), CancellationToken.None);
            _draining = DrainAsync(_socket);
            // Half of the fuzzing happens in an admitted session, where ops reach the room.
            if (cookies is not null)
                await _socket.SendAsync("""{"type":"hello"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        /// <summary>Reads everything the server sends until the socket ends, and says how it ended.</summary>
        private async Task<string> DrainAsync(ClientWebSocket socket)
        {
            var buffer = new byte[256 * 1024];
            try
            {
                while (true)
                {
                    var length = 0;
                    WebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length) length = 0; // longer than any marker's message: only its end matters
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                        length += result.Count;
                    } while (!result.EndOfMessage);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return ((int?)socket.CloseStatus)?.ToString() ?? "none";
                    }
                    if (_marker is { } marker && Encoding.UTF8.GetString(buffer, 0, length).Contains(marker)) _answered.TrySetResult();
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                return "abort";
            }
        }
    }
}

/// <summary>What the fuzzer sends: each frame hostile in one of many ways, and some plain valid ones in between.</summary>
internal static class FuzzFrames
{
    /// <summary>Each holds <c>@</c> where a string goes.</summary>
    private static readonly string[] StringPositions =
    [
        """{"type":@}""",
        """{"type":"hello","name":@}""",
        """{"type":"hello","client":@,"since":0}""",
        """{"type":"hello","link":@}""",
        """{"type":"hello","ticket":@}""",
        """{"type":"auth","token":@}""",
        """{"type":"auth","ticket":@}""",
        """{"type":"ops","ref":@,"ops":[{"op":"put","id":"f1","props":{"type":"rect"}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":@,"id":"f1"}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":@,"props":{"type":"rect"}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":@}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"text","text":@}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"fill":@,"name":@,"fontFamily":@,"z":@,"parentId":@,"textAlign":@}}]}""",
        """{"type":"presence","cursor":{"x":1,"y":2},"selection":[@]}""",
        """[{"type":"ping"},{"type":@}]""",
        """{"type":"ping",@:1}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{@:1}}]}""",
    ];

    private static readonly string[] Unreadable =
        ["\"\\ud800\"", "\"\\udfff\"", "\"x\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\uDBFF\\uDBFF\"", "\"\\ud800\\\\\""];

    /// <summary>Frames that are valid, for the mutations to break.</summary>
    private static readonly string[] Valid =
    [
        """{"type":"hello","since":0,"client":"fz","name":"Fuzz"}""",
        """{"type":"ops","ref":"v","ops":[{"op":"put","id":"f2","props":{"type":"text","text":"hi 😀","x":1.5,"y":-2,"fill":"#fff","points":[0,0,1,1],"locked":true,"z":"V0","fontWeight":700}},{"op":"delete","id":"f3"}]}""",
        """{"type":"presence","cursor":{"x":1,"y":2},"selection":["f1","f2"]}""",
        """[{"type":"ping"},{"type":"presence","cursor":null}]""",
        """{"type":"ops","ref":"w","ops":[{"op":"put","id":"f4","props":{"type":"frame","width":10,"height":10}},{"op":"put","id":"f5","props":{"type":"rect","parentId":"f4"}}]}""",
    ];

    private static readonly string[] HugeNumbers =
        ["1e308", "-1e309", "1e999", "123456789012345678901234567890", "-0", "0.00000000000000000000000000001", "9223372036854775808", "4.9e-324"];

    private static readonly string[] NumberPositions =
    [
        """{"type":"hello","since":#}""",
        """{"type":"presence","cursor":{"x":#,"y":#}}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"rect","x":#,"y":#,"width":#,"rotation":#,"opacity":#,"fontWeight":#,"fontSize":#}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"line","points":[#,#,#,#]}}]}""",
    ];

    /// <summary>Each field given a value of every other JSON type.</summary>
    private static readonly string[] WrongTypes = ["1", "true", "null", "{}", "[]", "\"s\"", "[1,\"a\",{}]", "{\"a\":[]}"];

    private static readonly string[] TypedPositions =
    [
        """{"type":"hello","since":#,"client":#,"link":#,"ticket":#,"name":#}""",
        """{"type":"auth","token":#,"ticket":#}""",
        """{"type":"ops","ref":#,"ops":#}""",
        """{"type":"ops","ref":"r","ops":[#]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":#}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"rect","x":#,"fill":#,"locked":#,"points":#,"parentId":#,"z":#}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"delete","id":#}]}""",
        """{"type":"presence","cursor":#,"selection":#}""",
        """{"type":#}""",
        """#""",
    ];

    /// <summary>A frame and the kind of hostility it carries.</summary>
    public static (string Kind, byte[] Frame) Next(Random random) => random.Next(100) switch
    {
        < 25 => ("lone surrogate", Utf8(Fill(Pick(random, StringPositions), '@', () => Pick(random, Unreadable)))),
        < 45 => ("mutated", Mutate(random, Encoding.UTF8.GetBytes(Pick(random, Valid)))),
        < 55 => ("wrong type", Utf8(Fill(Pick(random, TypedPositions), '#', () => Pick(random, WrongTypes)))),
        < 63 => ("huge number", Utf8(Fill(Pick(random, NumberPositions), '#', () => Pick(random, HugeNumbers)))),
        < 68 => ("deep", Deep(random)),
        < 71 => ("huge array", Huge(random)),
        < 74 => ("invalid UTF-8", InvalidUtf8(random)),
        < 76 => ("random bytes", RandomBytes(random)),
        _ => ("valid", Utf8(Pick(random, Valid))),
    };

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Fill(string template, char hole, Func<string> value)
    {
        var text = new StringBuilder();
        foreach (var c in template)
            if (c == hole) text.Append(value());
            else text.Append(c);
        return text.ToString();
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        var bytes = new List<byte>(frame);
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < bytes.Count: bytes[at] = (byte)random.Next(32, 127); break;
                case 1: bytes.Insert(at, (byte)"{}[]\",:\\0e-"[random.Next(11)]); break;
                case 2 when at < bytes.Count: bytes.RemoveAt(at); break;
                default: bytes.InsertRange(at, Utf8(Pick(random, Unreadable))); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Nesting within the frame limit, beyond the parser's depth limit or just inside it.</summary>
    private static byte[] Deep(Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(10, 20) : random.Next(100, 9_000);
        return random.Next(3) switch
        {
            0 => Utf8(new string('[', depth) + new string(']', depth)),
            1 => Utf8("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"text","text":""" +
                      string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}}]}"),
            _ => Utf8("""{"type":"presence","cursor":""" + new string('[', depth) + new string(']', depth) + "}"),
        };
    }

    /// <summary>Arrays as long as the frame limit allows: over the ops, selection and points limits, or many messages.</summary>
    private static byte[] Huge(Random random) => Utf8(random.Next(4) switch
    {
        0 => """{"type":"ops","ref":"r","ops":[""" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $$"""{"op":"delete","id":"d{{i}}"}""")) + "]}",
        1 => """{"type":"presence","selection":[""" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"s{i}\"")) + "]}",
        2 => """{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"path","points":[""" +
             string.Join(',', Enumerable.Repeat("0", 10_002)) + "]}}]}",
        _ => "[" + string.Join(',', Enumerable.Repeat("7", 2_000)) + "]",
    });

    /// <summary>A valid frame with bytes that are not UTF-8 inside one of its strings.</summary>
    private static byte[] InvalidUtf8(Random random)
    {
        byte[][] bad = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]];
        var frame = Utf8("""{"type":"ops","ref":"r","ops":[{"op":"put","id":"f1","props":{"type":"text","text":"ab"}}]}""").ToList();
        frame.InsertRange(frame.Count - 6, bad[random.Next(bad.Length)]);
        return [.. frame];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }
}
