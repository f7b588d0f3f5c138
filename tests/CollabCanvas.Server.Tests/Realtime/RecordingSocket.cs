using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace CollabCanvas.Server.Tests.Realtime;

/// <summary>
/// A socket that keeps every frame sent on it (the very array when a message went alone), the thread each send
/// started on and the closing status, and never receives.
/// </summary>
internal sealed class RecordingSocket : WebSocket
{
    private readonly ConcurrentQueue<byte[]> _frames = new();
    private readonly ConcurrentQueue<int> _sendThreads = new();
    private TaskCompletionSource _sendsMayComplete = CompletedSource();
    private WebSocketState _state = WebSocketState.Open;
    private int _sends;

    public IReadOnlyList<byte[]> Frames => _frames.ToArray();

    /// <summary>The managed thread id each send was called on, in order.</summary>
    public IReadOnlyList<int> SendThreads => _sendThreads.ToArray();

    /// <summary>The status of the closing frame, once one was sent.</summary>
    public WebSocketCloseStatus? SentCloseStatus { get; private set; }

    /// <summary>Every other send completes later, on another thread, like a socket whose buffer is full now and then.</summary>
    public bool SometimesAsync { get; init; }

    /// <summary>Sends from now on wait (the peer stopped reading) until <see cref="CompleteSends"/>.</summary>
    public void StopCompletingSends() => _sendsMayComplete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void CompleteSends() => _sendsMayComplete.TrySetResult();

    /// <summary>Every message, a frame holding one or (coalesced) an array of several.</summary>
    public List<JsonElement> Messages()
    {
        var messages = new List<JsonElement>();
        foreach (var frame in Frames)
        {
            var root = JsonDocument.Parse(frame).RootElement;
            if (root.ValueKind == JsonValueKind.Array) messages.AddRange(root.EnumerateArray());
            else messages.Add(root);
        }
        return messages;
    }

    /// <summary>The seq of every batch that reached this socket, as its own <c>ack</c> or as <c>ops</c>, in arrival order.</summary>
    public List<long> Seqs() => Messages()
        .Where(m => m.GetProperty("type").GetString() is "ack" or "ops")
        .Select(m => m.GetProperty("seq").GetInt64()).ToList();

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        _sendThreads.Enqueue(Environment.CurrentManagedThreadId);
        if (SometimesAsync && Interlocked.Increment(ref _sends) % 2 == 0) await Task.Yield();
        await _sendsMayComplete.Task;
        // A message sent alone is the queued array itself: kept as is, so that a test can tell it is the same instance.
        _frames.Enqueue(buffer.Offset == 0 && buffer.Count == buffer.Array!.Length ? buffer.Array : buffer.ToArray());
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.CloseSent;
        SentCloseStatus = closeStatus;
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        new TaskCompletionSource<WebSocketReceiveResult>().Task;

    public override void Abort() => _state = WebSocketState.Aborted;

    public override WebSocketCloseStatus? CloseStatus => null;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => _state;
    public override string? SubProtocol => null;

    public override void Dispose()
    {
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
