using System.Diagnostics;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, in a temporary directory, storing nothing (<c>--save ''
/// --appendonly no</c>). <see cref="SharedAsync"/> is the one server of a test run; a test that stops and restarts
/// Redis (<see cref="StopAsync"/>, <see cref="RestartAsync"/>) starts one of its own. No server outlives the test host:
/// each is killed at process exit, and a watchdog shell kills it if the host dies without running its exit code.
/// </summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(() => StartAsync());
    private static readonly List<RedisServer> Running = [];
    private readonly string _directory;
    private Process? _process;

    static RedisServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
                foreach (var server in Running.ToArray()) server.Kill();
        };
    }

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for <c>CollabCanvas:Backend:Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The test run's server, started on first use and stopped when the test host exits.</summary>
    public static Task<RedisServer> SharedAsync() => Shared.Value;

    /// <summary>A server of the caller's own, which it disposes.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(Directory.CreateTempSubdirectory("collabcanvas-redis-").FullName, ServerProcess.FreePort());
        await server.RunAsync();
        return server;
    }

    /// <summary>How many clients Redis counts as subscribed to <paramref name="channel"/> (<c>PUBSUB NUMSUB</c>).</summary>
    public async Task<long> SubscribersAsync(string channel)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Configuration);
        var reply = await connection.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel);
        return (long)reply[1];
    }

    /// <summary>
    /// Cuts off the clients named <paramref name="clientName"/> (StackExchange.Redis's <c>name=</c>: each instance
    /// names its connection) and lets no new connection in until the result is disposed, so that they cannot come
    /// back early: whatever is published meanwhile cannot reach them over pub/sub.
    /// </summary>
    public async Task<IAsyncDisposable> LockOutAsync(string clientName)
    {
        var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{Configuration},allowAdmin=true");
        var database = admin.GetDatabase();
        var clients = ((string)(await database.ExecuteAsync("CLIENT", "LIST"))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var theirs = clients.Where(line => line.Contains($" name={clientName} ", StringComparison.Ordinal))
            .Select(line => ClientId().Match(line).Groups[1].Value).ToList();
        if (theirs.Count == 0) throw new InvalidOperationException($"no client named {clientName} among:\n{string.Join('\n', clients)}");
        // Lower the limit to what stays connected first, then cut them off: their reconnection is refused.
        await database.ExecuteAsync("CONFIG", "SET", "maxclients", (clients.Length - theirs.Count).ToString());
        foreach (var id in theirs) await database.ExecuteAsync("CLIENT", "KILL", "ID", id);
        return new LockOut(admin);
    }

    /// <summary>
    /// A line's client id. Not "the first field": over RESP3 the reply is a verbatim string whose first line starts
    /// with its format (<c>txt:id=5 …</c>), which made <c>CLIENT KILL ID</c> fail whenever the client to cut off was
    /// listed first.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:^|[\s:])id=(\d+) ")]
    private static partial System.Text.RegularExpressions.Regex ClientId();

    private sealed class LockOut(StackExchange.Redis.ConnectionMultiplexer admin) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "maxclients", "10000");
            await admin.DisposeAsync();
        }
    }

    /// <summary>Kills the server (no goodbye to its clients, like a crash); <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, empty (nothing is stored).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder: nothing in it matters.
        }
    }

    private async Task RunAsync()
    {
        var start = new ProcessStartInfo(FindExecutable())
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        var output = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start)!;
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (output) output.Add(line);
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"it exited with code {process.ExitCode}"));
        _process = process;
        lock (Running) Running.Add(this);
        HostWatchdog.KillWithHost(process);
        try
        {
            await ready.Task.WaitAsync(Eventually.ProcessStart);
        }
        catch (Exception e)
        {
            await StopAsync();
            string lines;
            lock (output) lines = string.Join('\n', output);
            throw new InvalidOperationException($"redis-server on port {Port} did not start ({e.Message}):\n{lines}", e);
        }
    }

    private void Kill()
    {
        lock (Running) Running.Remove(this);
        try
        {
            if (_process is { HasExited: false } process) process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>redis-server from PATH; missing, the test fails and says how to install it (nothing is skipped).</summary>
    private static string FindExecutable()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            "redis-server is not installed: tests that need Redis start a real one. Install it with `apt-get install -y redis-server` " +
            "(scripts/test.sh does when it is missing)" + (Environment.GetEnvironmentVariable("CI") == "true" ? "; CI=true: this run fails." : "."));
    }
}
