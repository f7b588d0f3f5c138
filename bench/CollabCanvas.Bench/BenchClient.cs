using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CollabCanvas.Bench;

/// <summary>A lean protocol client: raw frames in, a callback per frame; no JSON parsing on the hot path.</summary>
public sealed class BenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task _receiving = Task.CompletedTask;

    /// <param name="cookies">Another user's session cookie; the bench user's by default.</param>
    public static async Task<BenchClient> ConnectAsync(Uri server, string canvasId, string name, Action<ReadOnlyMemory<byte>> onFrame,
        int bufferBytes = 64 * 1024, CookieContainer? cookies = null)
    {
        var client = new BenchClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        // Cookies on 127.0.0.1 go to every port: one sign-in serves every instance. With tickets, the upgrade carries
        // no cookie and hello carries a single-use ticket (what a non-browser client does).
        var hello = """{"type":"hello"}"""u8.ToArray();
        if (UseTickets)
        {
            var ticket = (await Http(server).PostAsync("/api/ws-tickets", null)).EnsureSuccessStatusCode();
            var value = (await ticket.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString();
            hello = Encoding.UTF8.GetBytes($$"""{"type":"hello","ticket":"{{value}}"}""");
        }
        else client._socket.Options.Cookies = cookies ?? Cookies;
        var ws = new Uri($"ws://{server.Authority}/ws/canvases/{canvasId}");
        await client._socket.ConnectAsync(ws, CancellationToken.None);
        var welcomed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client._receiving = client.ReceiveLoopAsync(bufferBytes, frame =>
        {
            if (!welcomed.Task.IsCompleted && frame.Span.IndexOf("\"welcome\""u8) >= 0)
            {
                client.WelcomedAt = Stopwatch.GetTimestamp();
                client.WelcomeBytes = frame.Length;
                onFrame(frame);
                welcomed.TrySetResult();
                return;
            }
            onFrame(frame);
        });
        client.HelloSentAt = Stopwatch.GetTimestamp();
        await client.SendAsync(hello);
        await welcomed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    /// <summary>When hello was sent and the whole welcome had arrived (<see cref="Stopwatch.GetTimestamp"/>), and the welcome's size.</summary>
    public long HelloSentAt { get; private set; }

    public long WelcomedAt { get; private set; }

    public int WelcomeBytes { get; private set; }

    public Task SendAsync(byte[] utf8) => _socket.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>
    /// A client of the SignalR relay (bench/SignalRRelay) in the same role: ASP.NET Core SignalR's JSON hub protocol
    /// spoken over a raw WebSocket (no negotiate; messages end with 0x1E), joined to the canvas's group.
    /// </summary>
    public static async Task<BenchClient> ConnectSignalRAsync(Uri server, string canvasId, Action<ReadOnlyMemory<byte>> onFrame)
    {
        var client = new BenchClient { _signalRGroup = canvasId };
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await client._socket.ConnectAsync(new Uri($"ws://{server.Authority}/hub"), CancellationToken.None);
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client._receiving = client.ReceiveLoopAsync(64 * 1024, frame =>
        {
            if (!joined.Task.IsCompleted && frame.Span.IndexOf("\"invocationId\":\"join\""u8) >= 0) joined.TrySetResult();
            onFrame(frame);
        });
        await client.SendAsync(Utf8("{\"protocol\":\"json\",\"version\":1}\u001e"));
        await client.SendAsync(Utf8($"{{\"type\":1,\"invocationId\":\"join\",\"target\":\"Join\",\"arguments\":[\"{canvasId}\"]}}\u001e"));
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return client;
    }

    private string? _signalRGroup;

    /// <summary>Sends a batch (its ref and its ops array, JSON) in this client's protocol.</summary>
    public Task SendBatchAsync(string reference, string opsJson) => SendAsync(Utf8(_signalRGroup is { } group
        ? $"{{\"type\":1,\"target\":\"Send\",\"arguments\":[\"{group}\",\"{reference}\",{opsJson}]}}\u001e"
        : $"{{\"type\":\"ops\",\"ref\":\"{reference}\",\"ops\":{opsJson}}}"));

    private async Task ReceiveLoopAsync(int bufferBytes, Action<ReadOnlyMemory<byte>> onFrame)
    {
        var buffer = new byte[bufferBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) return;
                onFrame(buffer.AsMemory(0, length));
            }
        }
        catch (WebSocketException)
        {
        }
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Completes when the server has closed the socket (or it broke).</summary>
    public Task Closed => _receiving;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        _socket.Abort();
        await _receiving.ContinueWith(_ => { });
        _socket.Dispose();
    }

    /// <summary>The bench user's session cookie (a local account, made on first use).</summary>
    public static CookieContainer Cookies { get; } = new();

    /// <summary>--auth ticket: sockets authenticate with a ticket in hello instead of the cookie.</summary>
    public static bool UseTickets { get; set; }

    private static readonly Dictionary<Uri, HttpClient> Clients = [];

    private static HttpClient Http(Uri server)
    {
        lock (Clients)
        {
            if (!Clients.TryGetValue(server, out var http))
                Clients[server] = http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies }) { BaseAddress = server };
            return http;
        }
    }

    private const string Email = "bench@example.test";
    private const string Password = "bench password, not a secret";

    /// <summary>Signs the bench user in (once), then creates canvases it owns.</summary>
    public static async Task<string[]> CreateCanvasesAsync(Uri server, int count)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies }) { BaseAddress = server };
        if (Cookies.Count == 0) await SignInAsync(http, Email, "bench");
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var response = await http.PostAsJsonAsync("/api/canvases", new { name = $"bench {i}" });
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        return ids;
    }

    /// <summary>Another local account (made on first use), signed in: its session cookie.</summary>
    public static async Task<CookieContainer> SignInAsync(Uri server, string email, string name)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        await SignInAsync(http, email, name);
        return cookies;
    }

    private static async Task SignInAsync(HttpClient http, string email, string name)
    {
        (await http.PostAsJsonAsync("/auth/local/register", new { email, password = Password, name })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/auth/local/login", new { email, password = Password })).EnsureSuccessStatusCode();
    }

    /// <summary>Every long that follows <paramref name="marker"/> in the frame (e.g. the timestamps after <c>"name":"t</c>).</summary>
    public static void ForEachNumberAfter(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> marker, Action<long> found)
    {
        while (true)
        {
            var at = frame.IndexOf(marker);
            if (at < 0) return;
            frame = frame[(at + marker.Length)..];
            long value = 0;
            var i = 0;
            for (; i < frame.Length && frame[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + (frame[i] - '0');
            if (i > 0) found(value);
            frame = frame[i..];
        }
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
