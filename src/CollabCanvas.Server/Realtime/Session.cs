using System.Buffers;
using System.Net.WebSockets;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// One open WebSocket: its identity and its outgoing queue. Messages arrive already serialized (a broadcast is
/// serialized once for all sessions). The queue is bounded by bytes; a client that stops reading overflows it and
/// is closed with 4429 instead of slowing its room. While idle a session holds no buffer and no thread.
/// </summary>
public sealed class Session
{
    private const int MaxCoalescedBytes = 64 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly long _maxQueuedBytes;
    private readonly Outbox _outbox = new();
    private long _queuedBytes;
    private int _closing;
    private int _closeCode = (int)WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    public Session(string id, WebSocket socket, long maxQueuedBytes)
    {
        Id = id;
        _socket = socket;
        _maxQueuedBytes = maxQueuedBytes;
        ClientId = id;
    }

    public string Id { get; }
    /// <summary>Who the session is; known from <c>hello</c> on.</summary>
    public UserInfo User { get; set; } = null!;

    /// <summary>Who is behind the session and through what; set at <c>hello</c>, read when access changes.</summary>
    public SessionAccess Access { get; set; } = SessionAccess.Nobody;

    private int _role;

    /// <summary>The session's role on its canvas; lowered or raised while it is open when access changes.</summary>
    public Role Role
    {
        get => (Role)Volatile.Read(ref _role);
        set => Volatile.Write(ref _role, (int)value);
    }

    /// <summary>The client's stable id from <c>hello</c>; the session id when it gave none.</summary>
    public string ClientId { get; set; }

    /// <summary>The latest presence, replaced whole so that readers never see half of it.</summary>
    public PeerInfo Peer { get; set; } = null!;

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Queues a message. Never blocks; a session whose queue overflows is closed as a slow consumer.</summary>
    public void Send(byte[] message)
    {
        if (IsClosing) return;
        var queued = Interlocked.Add(ref _queuedBytes, message.Length);
        if (queued > _maxQueuedBytes && queued != message.Length)
        {
            Close(CloseCodes.SlowConsumer, "slow consumer: send queue overflowed");
            return;
        }
        _outbox.TryAdd(message);
    }

    /// <summary>
    /// Closes after what is queued is sent (or at once, for a slow consumer). A peer that does not finish the
    /// closing handshake within a grace period is aborted.
    /// </summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        _closeCode = code;
        _closeReason = reason;
        _outbox.Complete();
        _ = AbortAfterGraceAsync();
    }

    private async Task AbortAfterGraceAsync()
    {
        await Task.Delay(CloseGrace).ConfigureAwait(false);
        if (_socket.State != WebSocketState.Closed) _socket.Abort();
    }

    /// <summary>Sends queued messages until the session closes; several queued messages go out as one JSON array frame.</summary>
    public async Task RunSendLoopAsync()
    {
        try
        {
            while (await _outbox.WaitToReadAsync().ConfigureAwait(false))
            {
                if (_closeCode == CloseCodes.SlowConsumer) break;
                _outbox.TryRead(out var first);
                if (!_outbox.TryPeek(out _))
                {
                    Interlocked.Add(ref _queuedBytes, -first.Length);
                    await _socket.SendAsync(first, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                await SendCoalescedAsync(first).ConfigureAwait(false);
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone; the receive loop notices too.
        }
        finally
        {
            Close(_closeCode, _closeReason);
        }
    }

    private async Task SendCoalescedAsync(byte[] first)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxCoalescedBytes + 2);
        try
        {
            var length = 0;
            buffer[length++] = (byte)'[';
            var next = first;
            while (true)
            {
                if (length + next.Length + 1 > buffer.Length)
                {
                    if (length == 1)
                    {
                        // Larger than the coalescing buffer: it goes alone.
                        Interlocked.Add(ref _queuedBytes, -next.Length);
                        await _socket.SendAsync(next, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                        return;
                    }
                    break;
                }
                if (length > 1) buffer[length++] = (byte)',';
                next.CopyTo(buffer, length);
                length += next.Length;
                Interlocked.Add(ref _queuedBytes, -next.Length);
                if (!_outbox.TryPeek(out var peeked) || length + peeked.Length + 2 > buffer.Length || !_outbox.TryRead(out next)) break;
            }
            buffer[length++] = (byte)']';
            await _socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
