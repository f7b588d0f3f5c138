using System.Net.WebSockets;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// One open WebSocket: its identity and its outgoing queue. Messages arrive already serialized (a broadcast is
/// serialized once for all sessions). Whoever queues a message to an idle session writes it to the socket on its
/// own thread, now (the room's lane, the receive loop): no thread-pool hop and no wake-up per message. While one
/// thread writes, messages queued meanwhile wait and go out with its next write, several as one JSON array frame.
/// A write the socket cannot take at once (the peer reads slowly) continues when it can, off the caller's thread.
/// The queue is bounded by bytes; a client that stops reading overflows it and is closed with 4429 instead of
/// slowing its room. While idle a session holds no buffer, no task and no thread.
/// </summary>
public sealed class Session
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly long _maxQueuedBytes;
    private readonly Outbox _outbox = new();
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

    /// <summary>Queues a message and writes it now unless another thread is writing (then it goes with that one's next frame).</summary>
    public void Send(byte[] message)
    {
        if (Queue(message)) Flush();
    }

    /// <summary>
    /// Queues a message without writing it, for a caller that holds a lock and calls <see cref="Flush"/> after
    /// releasing it (the room's fan-out). Never blocks; a session whose queue overflows is closed as a slow consumer.
    /// True when the message was queued.
    /// </summary>
    public bool Queue(byte[] message)
    {
        switch (_outbox.TryAdd(message, _maxQueuedBytes))
        {
            case Outbox.Added.Yes:
                return true;
            case Outbox.Added.Overflowed:
                Close(CloseCodes.SlowConsumer, "slow consumer: send queue overflowed");
                return false;
            default:
                return false;
        }
    }

    /// <summary>Writes what is queued, on the caller's thread, unless another thread is writing (it takes it along).</summary>
    public void Flush()
    {
        if (_outbox.TryStartWriting()) _ = WriteQueuedAsync();
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
        _outbox.Complete(dropQueued: code == CloseCodes.SlowConsumer);
        _ = AbortAfterGraceAsync();
        Flush();
    }

    /// <summary>Completes once the session wrote its closing frame, or its socket failed: nothing more will be written.</summary>
    public Task ClosedAsync() => _outbox.FinishedAsync();

    private async Task AbortAfterGraceAsync()
    {
        await Task.Delay(CloseGrace).ConfigureAwait(false);
        if (_socket.State != WebSocketState.Closed) _socket.Abort();
    }

    /// <summary>
    /// The writer's loop: runs on the thread that started it for as long as the socket takes each frame at once
    /// (the usual case, which allocates nothing), and goes on from a socket's completion when one must wait.
    /// </summary>
    private async Task WriteQueuedAsync()
    {
        try
        {
            while (true)
            {
                switch (_outbox.TakeNext(out var frame))
                {
                    case Outbox.Step.Idle:
                        return;
                    case Outbox.Step.Write:
                        try
                        {
                            await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                        }
                        finally
                        {
                            frame.Dispose();
                        }
                        break;
                    case Outbox.Step.Close:
                        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                            await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, CancellationToken.None).ConfigureAwait(false);
                        _outbox.Finish();
                        return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone (or was aborted); the receive loop notices too.
            Close(_closeCode, _closeReason);
            _outbox.Finish();
        }
        catch (Exception e)
        {
            // A bug: whoever waits for the session to close (the request) sees it, and nothing more is written.
            Close(_closeCode, _closeReason);
            _outbox.Finish(e);
        }
    }
}
