using System.Net;
using System.Net.Sockets;

namespace CollabCanvas.E2E.Tests;

/// <summary>
/// A TCP proxy in front of a server that can freeze: it stops forwarding in both directions without closing anything,
/// as a network that silently drops packets does (a dead Wi-Fi, a sleeping NAT). Nobody is told: the browser's
/// WebSocket stays open. Thawing delivers what was held. New connections made while frozen are accepted and held too.
/// </summary>
public sealed class FreezableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    /// <summary>Completed while forwarding; replaced by a pending one when frozen.</summary>
    private volatile TaskCompletionSource _flowing = Flowing();

    public FreezableProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Where the browser goes.</summary>
    public Uri BaseUri { get; }

    public void Freeze()
    {
        if (_flowing.Task.IsCompleted) _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Thaw() => _flowing.TrySetResult();

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        lock (_sockets) _sockets.AddRange([client, server]);
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away, or the proxy is stopping.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>Copies one direction; what was read while frozen waits (and so does everything behind it, in the kernel's buffers).</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            await _flowing.Task.WaitAsync(_stop.Token);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
