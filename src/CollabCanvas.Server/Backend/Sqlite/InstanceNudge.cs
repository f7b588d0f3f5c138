using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// Wakes the other processes sharing a SQLite file when something they read changed: a one-byte datagram to each live
/// instance over a Unix datagram socket in the abstract namespace (no file to clean up; named after the database's
/// path and the instance id, so instances find each other through the <c>instances</c> table). Best effort: a nudge
/// to an instance that is gone, or whose queue is full (it has a nudge waiting already), is dropped, and readers keep a
/// slow safety check. Linux only (the abstract namespace); elsewhere sending and receiving quietly do nothing and the
/// safety check is what wakes readers.
/// </summary>
public sealed class InstanceNudge : IDisposable
{
    private const byte Changed = 1, Joined = 2;
    private readonly string _prefix;
    private readonly Socket? _socket;
    /// <summary>Unbound and non-blocking: a receiver whose queue is full would otherwise block the sender.</summary>
    private readonly Socket? _sender;
    private readonly Dictionary<string, UnixDomainSocketEndPoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Action<bool> _received;
    private readonly ILogger _logger;

    /// <param name="received">Called on the receiving thread for each nudge; true when the sender just joined.</param>
    public InstanceNudge(string databasePath, string instanceId, Action<bool> received, ILogger logger)
    {
        _received = received;
        _logger = logger;
        var file = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(databasePath))))[..16];
        _prefix = $"\0collabcanvas/{file}/";
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _socket.Bind(EndPointOf(instanceId));
            _sender = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
            new Thread(Receive) { IsBackground = true, Name = "canvas-log-nudges" }.Start();
        }
        catch (SocketException e)
        {
            logger.LogWarning(e, "cannot receive nudges from other instances; they are noticed by the safety check only");
            _socket?.Dispose();
            _socket = null;
        }
    }

    private UnixDomainSocketEndPoint EndPointOf(string instanceId)
    {
        // The name is at most 107 bytes: long instance ids are hashed too.
        var name = Encoding.UTF8.GetByteCount(instanceId) <= 64 ? instanceId
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(instanceId)))[..32];
        return new UnixDomainSocketEndPoint(_prefix + name);
    }

    /// <summary>Nudges every instance in <paramref name="instanceIds"/>. Never blocks.</summary>
    public void Send(IReadOnlyList<string> instanceIds, bool joined)
    {
        if (_sender is null) return;
        ReadOnlySpan<byte> message = [joined ? Joined : Changed];
        foreach (var id in instanceIds)
        {
            if (!_endpoints.TryGetValue(id, out var endpoint)) _endpoints[id] = endpoint = EndPointOf(id);
            try
            {
                _sender.SendTo(message, SocketFlags.None, endpoint);
            }
            catch (SocketException)
            {
                // Gone (ECONNREFUSED) or a full queue (EAGAIN): either way there is nothing more to do.
            }
        }
    }

    private void Receive()
    {
        var buffer = new byte[16];
        while (true)
        {
            try
            {
                var length = _socket!.Receive(buffer);
                _received(length > 0 && buffer[0] == Joined);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning(e, "receiving a nudge failed");
            }
        }
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _socket?.Dispose();
    }
}
