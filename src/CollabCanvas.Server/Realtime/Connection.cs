using System.Buffers;
using System.Net.WebSockets;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Features;
using CollabCanvas.Server.Observability;

namespace CollabCanvas.Server.Realtime;

/// <summary>The receive side of a session: reads frames without holding a buffer while idle, and dispatches messages.</summary>
internal sealed class Connection(Session session, WebSocket socket, string canvasId, RoomManager rooms,
    SessionRegistry sessions, SessionGate gate, Credentials? caller, RealtimeOptions options, ILogger logger)
{
    private const int InitialBufferBytes = 4096;
    private const int MessagesBeforeYield = 16;
    private readonly Limits _limits = options.ToLimits();
    private TokenBucket _batches = new(options.BatchesPerSecond, options.BatchBurst);
    private TokenBucket _messages = new(options.MessagesPerSecond, options.MessagesPerSecond * 2);
    private long _lastRateLimitNotice;
    private Room? _room;
    private CancellationTokenSource? _helloTimer;

    public async Task RunAsync()
    {
        sessions.Add(session);
        Interlocked.Increment(ref CanvasMetrics.PendingSessions);
        _helloTimer = new CancellationTokenSource(TimeSpan.FromSeconds(options.HelloTimeoutSeconds));
        _helloTimer.Token.UnsafeRegister(static state => ((Connection)state!).OnHelloTimeout(), this);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away without a closing handshake.
        }
        catch (Exception e)
        {
            logger.LogError(e, "session {Session} failed", session.Id);
            session.Close(CloseCodes.InternalError, "internal error");
        }
        finally
        {
            _helloTimer?.Dispose();
            sessions.Remove(session);
            if (_room is { } room)
            {
                Interlocked.Decrement(ref CanvasMetrics.Sessions);
                room.Leave(session);
                _ = rooms.ReleaseAsync(room);
            }
            else Interlocked.Decrement(ref CanvasMetrics.PendingSessions);
            session.Close((int)WebSocketCloseStatus.NormalClosure, "");
        }
    }

    private void OnHelloTimeout()
    {
        if (_room is null) session.Close(CloseCodes.HelloTimeout, "no hello within the hello timeout");
    }

    private async Task ReceiveLoopAsync()
    {
        var readyInARow = 0;
        while (socket.State == WebSocketState.Open)
        {
            // A zero-byte read waits for data without a buffer: an idle session holds none.
            var waiting = socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (!waiting.IsCompleted) readyInARow = 0;
            else if (++readyInARow % MessagesBeforeYield == 0)
                await Task.Yield(); // a client that floods us never waits, so let the others have the thread now and then
            var peek = await waiting;
            if (peek.MessageType == WebSocketMessageType.Close) return;
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
            try
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (length > options.MaxFrameBytes)
                        {
                            session.Close(CloseCodes.MessageTooBig, $"a message may have at most {options.MaxFrameBytes} bytes");
                            return;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, options.MaxFrameBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                    if (length > options.MaxFrameBytes)
                    {
                        session.Close(CloseCodes.MessageTooBig, $"a message may have at most {options.MaxFrameBytes} bytes");
                        return;
                    }
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close) return;
                if (session.IsClosing) continue; // drain until the peer answers our close
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    session.Send(ServerMessages.Error(ErrorCodes.BinaryFrame, "frames must be text (UTF-8 JSON)"));
                    continue;
                }
                try
                {
                    foreach (var message in ClientMessages.Parse(buffer.AsMemory(0, length), _limits))
                        await HandleAsync(message);
                }
                catch (Exception e) when (e is not (WebSocketException or OperationCanceledException or IOException or ObjectDisposedException))
                {
                    // A bug that one message trips over is no reason to drop the session, nor to let a client fill the log.
                    FaultLog.Warn(logger, e, session.Id);
                    session.Send(ServerMessages.Error(ErrorCodes.Internal, "the server could not handle this message; it was dropped"));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task HandleAsync(ClientMessage message)
    {
        if (!_messages.TryTake())
        {
            NoticeRateLimit("too many messages; some were dropped", message is OpsMessage ops ? ops.Ref : null);
            return;
        }
        switch (message)
        {
            case HelloMessage hello when _room is null:
                await JoinAsync(hello);
                break;
            case HelloMessage:
                session.Send(ServerMessages.Error(ErrorCodes.AlreadyHello, "hello was already received"));
                break;
            case InvalidMessage { Type: "hello" } invalid when _room is null:
                session.Send(ServerMessages.Error(invalid.Code, invalid.Message));
                session.Close(CloseCodes.BadHello, "bad hello");
                break;
            case InvalidMessage invalid:
                session.Send(ServerMessages.Error(invalid.Code, invalid.Message, invalid.Ref));
                break;
            case PingMessage:
                session.Send(ServerMessages.Pong);
                break;
            case { } when _room is null:
                session.Send(ServerMessages.Error(ErrorCodes.HelloRequired, "send hello first",
                    message is OpsMessage o ? o.Ref : null));
                break;
            case AuthMessage auth:
                await ReauthenticateAsync(auth);
                break;
            case OpsMessage ops when session.Role < Role.Editor:
                session.Send(ServerMessages.Error(ErrorCodes.Forbidden, $"a {session.Role.ToWire()} cannot change the canvas", ops.Ref));
                break;
            case OpsMessage ops when !_batches.TryTake():
                session.Send(ServerMessages.Error(ErrorCodes.RateLimited,
                    $"at most {options.BatchesPerSecond} batches per second; this batch was not applied, send it again later", ops.Ref));
                break;
            case OpsMessage ops:
                await _room.SubmitAsync(session, ops);
                break;
            case PresenceMessage presence:
                _room.UpdatePresence(session, presence);
                break;
        }
    }

    private async Task JoinAsync(HelloMessage hello)
    {
        var admission = await gate.AdmitAsync(caller, hello, canvasId);
        if (admission.ShareLinksOff)
        {
            FeatureFlags.CountRefusal(Feature.ShareLinks, "websocket");
            session.Send(ServerMessages.Error(ErrorCodes.ShareLinksOff, $"the feature {Feature.ShareLinks} is switched off for you on this server; the link was not used"));
        }
        if (admission.User is null)
        {
            session.Close(admission.CloseCode, admission.Reason);
            return;
        }
        session.User = admission.User;
        if (!await RestOnAsync(admission.Access)) return;
        session.Role = admission.Role;
        if (hello.Client is { } client) session.ClientId = client;
        while (true)
        {
            var room = await rooms.GetAsync(canvasId);
            if (await room.JoinAsync(session, hello))
            {
                _room = room;
                Interlocked.Decrement(ref CanvasMetrics.PendingSessions);
                Interlocked.Increment(ref CanvasMetrics.Sessions);
                _helloTimer?.Dispose(); // an idle session holds no timer
                _helloTimer = null;
                TellExpiry();
                return;
            }
        }
    }

    /// <summary>Fresh credentials of the same account keep the session open past the old ones' end; anything else ends it.</summary>
    private async Task ReauthenticateAsync(AuthMessage auth)
    {
        var (access, reason) = await gate.ReauthenticateAsync(session.Access, auth);
        if (access is null) session.Close(CloseCodes.Unauthorized, reason);
        else if (await RestOnAsync(access)) TellExpiry();
    }

    /// <summary>
    /// Makes the session rest on these credentials, where <see cref="AccessEnforcer"/> sees them. A sign-out it
    /// handled just before then is caught by looking once more.
    /// </summary>
    private async Task<bool> RestOnAsync(SessionAccess access)
    {
        session.Access = access;
        if (!await gate.SignInEndedAsync(access)) return true;
        session.Close(CloseCodes.Unauthorized, "signed out");
        return false;
    }

    /// <summary>Tells the client how long its credentials last, so that it re-authenticates in time (docs/protocol.md).</summary>
    private void TellExpiry()
    {
        if (session.Access.Until is { } until)
            session.Send(ServerMessages.Auth(Math.Max(0, (long)(until - DateTimeOffset.UtcNow).TotalSeconds)));
    }

    private void NoticeRateLimit(string text, string? reference)
    {
        // One notice per second at most: the notices must not become a flood of their own.
        var now = Environment.TickCount64;
        if (reference is null && now - _lastRateLimitNotice < 1000) return;
        _lastRateLimitNotice = now;
        session.Send(ServerMessages.Error(ErrorCodes.RateLimited, text, reference));
    }
}

/// <summary>
/// Warnings about messages that failed, for the whole process: the first of every interval with its stack trace,
/// the rest counted into the next one, so that a client that keeps sending such messages cannot flood the log.
/// </summary>
internal static class FaultLog
{
    private const long IntervalMs = 10_000;
    private static long _nextAt;
    private static int _suppressed;

    public static void Warn(ILogger logger, Exception e, string sessionId)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextAt);
        if (now < next || Interlocked.CompareExchange(ref _nextAt, now + IntervalMs, next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            return;
        }
        logger.LogWarning(e, "a message of session {Session} failed and was dropped ({Suppressed} more since the last warning)",
            sessionId, Interlocked.Exchange(ref _suppressed, 0));
    }
}
