using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// A protocol v1 client over a real WebSocket. It keeps a replica the way an editor must: the welcome's state or
/// replay, then every batch in the order it arrives (others' <c>ops</c>, its own batches on their <c>ack</c>), and
/// records every seq it was given so the tests can check exactly-once, in-order delivery.
/// </summary>
public sealed class CanvasClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly Dictionary<string, string> _pending = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;

    public string ClientId { get; }
    public CanvasState Replica { get; private set; } = new();
    public long Seq { get; private set; }
    /// <summary>Every seq this client received, in arrival order: from replay, ops and its own acks.</summary>
    public List<long> Delivered { get; } = [];
    public List<(string Ref, long Seq)> Acks { get; } = [];

    /// <summary>Batches the server refused with an error naming their ref (read under the client's lock, like <see cref="Acks"/>).</summary>
    public List<(string Ref, string Code)> Refused { get; } = [];

    /// <summary>How many acks have arrived so far (safe to read while they arrive).</summary>
    public int AckCount
    {
        get { lock (_pending) return Acks.Count; }
    }
    public string? Session { get; private set; }
    /// <summary>The welcome message (with the session's user and role).</summary>
    public JsonElement Welcome { get; private set; }
    /// <summary>The type of every message received so far, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Received { get; } = new();
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public WebSocketState State => _socket.State;
    public Task Closed => _closed.Task;

    private CanvasClient(string clientId) => ClientId = clientId;

    /// <summary>Connects as the server's signed-in test user (<see cref="ServerProcess.Cookies"/>) or as <paramref name="cookies"/>' user.</summary>
    public static Task<CanvasClient> ConnectAsync(ServerProcess server, string canvasId, string name = "tester",
        bool hello = true, long? since = null, string? clientId = null, bool read = true, CookieContainer? cookies = null) =>
        ConnectAsync(server.BaseUri, canvasId, name, hello, since, clientId, read, cookies ?? server.Cookies);

    /// <param name="baseUri">The server, or a proxy in front of servers.</param>
    /// <param name="cookies">The session cookie to send; none for a share-link guest or a ticket.</param>
    /// <param name="configure">Last changes to the upgrade request (an Origin, a bearer token).</param>
    /// <param name="helloExtra">More fields for hello (link, ticket).</param>
    public static async Task<CanvasClient> ConnectAsync(Uri baseUri, string canvasId, string name = "tester",
        bool hello = true, long? since = null, string? clientId = null, bool read = true, CookieContainer? cookies = null,
        Action<ClientWebSocketOptions>? configure = null, Dictionary<string, object?>? helloExtra = null)
    {
        var client = new CanvasClient(clientId ?? "c" + Guid.NewGuid().ToString("N")[..12]);
        if (cookies is not null) client._socket.Options.Cookies = cookies;
        configure?.Invoke(client._socket.Options);
        var socketUri = new Uri($"ws://{baseUri.Authority}/ws/canvases/{canvasId}");
        await client._socket.ConnectAsync(socketUri, CancellationToken.None);
        if (read) client._receiving = Task.Run(client.ReceiveLoopAsync);
        if (hello)
        {
            var message = new Dictionary<string, object?> { ["type"] = "hello", ["since"] = since, ["client"] = client.ClientId, ["name"] = name };
            foreach (var (key, value) in helloExtra ?? []) message[key] = value;
            await client.SendJsonAsync(message);
            client.Welcome = await client.NextAsync("welcome");
        }
        return client;
    }

    public Task SendTextAsync(string text) => SendTextBytesAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends bytes as a text frame, whether they are UTF-8 or not.</summary>
    public Task SendTextBytesAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends one message split over several WebSocket frames.</summary>
    public async Task SendFragmentedAsync(string text, int parts)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + parts - 1) / parts;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var end = Math.Min(bytes.Length, offset + size);
            await _socket.SendAsync(bytes.AsMemory(offset, end - offset), WebSocketMessageType.Text, end == bytes.Length, CancellationToken.None);
        }
    }

    public Task SendBinaryAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    public Task SendJsonAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    /// <summary>Sends a batch; the replica applies it when its ack arrives.</summary>
    public Task SendOpsAsync(string reference, string opsJson)
    {
        lock (_pending) _pending[reference] = opsJson;
        return SendTextAsync($$"""{"type":"ops","ref":"{{reference}}","ops":{{opsJson}}}""");
    }

    /// <summary>The next message of <paramref name="type"/> (earlier messages of other types are skipped).</summary>
    public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? match = null, int timeoutMs = Eventually.CeilingMilliseconds)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(timeout.Token);
                if (message.GetProperty("type").GetString() == type && (match is null || match(message))) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {type} message within {timeoutMs} ms (close status {_socket.CloseStatus})");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"connection closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before a {type} message");
        }
    }

    public Task<JsonElement> AckAsync(string reference) => NextAsync("ack", m => m.GetProperty("ref").GetString() == reference);

    public Task<JsonElement> ErrorAsync(string? code = null) =>
        NextAsync("error", m => code is null || m.GetProperty("code").GetString() == code);

    /// <summary>Waits until the client has acknowledgements for <paramref name="reference"/>, whatever arrived after it.</summary>
    public Task WaitForAckOfAsync(string reference, int timeoutMs = Eventually.CeilingMilliseconds) => WaitUnlessClosedAsync(() =>
    {
        lock (_pending) return Acks.Exists(a => a.Ref == reference);
    }, $"an ack for {reference}", timeoutMs);

    /// <summary>
    /// Waits for the ack of <paramref name="reference"/> as an editor does (docs/protocol.md): a batch refused with
    /// <c>internal</c> (not stored) or <c>rate_limited</c> (busy) is sent again, after a pause, until it is acked. Any
    /// other refusal fails. Returns how many times it was sent again.
    /// </summary>
    public async Task<int> WaitForAckResendingAsync(string reference, int timeoutMs = Eventually.CeilingMilliseconds)
    {
        var resent = 0;
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            string ops;
            lock (_pending)
            {
                if (Acks.Exists(a => a.Ref == reference)) return resent;
                var refusals = Refused.Where(r => r.Ref == reference).Select(r => r.Code).ToList();
                if (refusals.Find(code => code is not ("internal" or "rate_limited")) is { } fatal)
                    throw new InvalidOperationException($"{reference} was refused with {fatal}");
                ops = refusals.Count > resent ? _pending[reference] : ""; // a refused batch stays pending
            }
            if (Closed.IsCompleted) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"connection closed ({CloseStatus}) before the ack of {reference}");
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"no ack for {reference} within {timeoutMs} ms ({resent} resends)");
            if (ops.Length > 0)
            {
                await Task.Delay(100);
                resent++;
                await SendOpsAsync(reference, ops);
            }
            else await Task.Delay(10);
        }
    }

    /// <summary>Waits until the replica has applied <paramref name="seq"/>.</summary>
    public Task WaitForSeqAsync(long seq, int timeoutMs = Eventually.CeilingMilliseconds) =>
        WaitUnlessClosedAsync(() => Volatile.Read(ref _seqSeen) >= seq, $"seq {seq}", timeoutMs);

    /// <summary>A closed connection receives nothing more: waiting on stops there rather than at the ceiling.</summary>
    private async Task WaitUnlessClosedAsync(Func<bool> condition, string what, int timeoutMs)
    {
        await Eventually.Until(() => condition() || Closed.IsCompleted, what, TimeSpan.FromMilliseconds(timeoutMs));
        if (!condition())
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"connection closed ({CloseStatus}) before {what}");
    }

    private long _seqSeen;

    public string ReplicaJson()
    {
        lock (_pending) return Encoding.UTF8.GetString(Replica.ObjectsToUtf8());
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                var root = JsonDocument.Parse(message.ToArray()).RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                    foreach (var item in root.EnumerateArray()) Receive(item);
                else Receive(root);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _inbox.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    private void Receive(JsonElement message)
    {
        lock (_pending)
        {
            switch (message.GetProperty("type").GetString())
            {
                case "welcome":
                    Session = message.GetProperty("session").GetString();
                    if (message.TryGetProperty("objects", out var objects)) Replica = CanvasState.Read(objects);
                    if (message.TryGetProperty("replay", out var replay))
                        foreach (var batch in replay.EnumerateArray())
                        {
                            if (batch.GetProperty("client").GetString() == ClientId) _pending.Remove(batch.GetProperty("ref").GetString()!);
                            Apply(batch.GetProperty("seq").GetInt64(), batch.GetProperty("ops").GetRawText());
                        }
                    SetSeq(message.GetProperty("seq").GetInt64());
                    break;
                case "ops":
                    Apply(message.GetProperty("seq").GetInt64(), message.GetProperty("ops").GetRawText());
                    break;
                case "ack":
                    var reference = message.GetProperty("ref").GetString()!;
                    var seq = message.GetProperty("seq").GetInt64();
                    Acks.Add((reference, seq));
                    // An ack for a batch already seen in a replay (a resend) carries an older seq: nothing to apply.
                    if (_pending.Remove(reference, out var ops) && seq > Seq) Apply(seq, ops);
                    break;
                case "error" when message.TryGetProperty("ref", out var refused):
                    Refused.Add((refused.GetString()!, message.GetProperty("code").GetString()!));
                    break;
            }
        }
        Received.Enqueue(message.GetProperty("type").GetString()!);
        _inbox.Writer.TryWrite(message.Clone());
    }

    private void Apply(long seq, string opsJson)
    {
        Delivered.Add(seq);
        Replica.Apply(OpJson.ReadLogged(Encoding.UTF8.GetBytes(opsJson)));
        SetSeq(seq);
    }

    private void SetSeq(long seq)
    {
        Seq = seq;
        Volatile.Write(ref _seqSeen, seq);
    }

    /// <summary>Drops the connection without a closing handshake, as a network failure would.</summary>
    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await _closed.Task.WaitAsync(Eventually.Ceiling);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await CloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException)
        {
        }
        _socket.Abort();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
    }
}
