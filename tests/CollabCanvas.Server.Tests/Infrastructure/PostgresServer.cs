using System.Diagnostics;
using CollabCanvas.Server.Backend.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run: a cluster made by <c>initdb</c> in a temporary directory, listening
/// on a free loopback port (and a unix socket in that directory), trusting its local clients. Each test gets a database
/// of its own (<see cref="CreateDatabaseAsync"/>). The server stops when the test process exits; if the test process
/// dies instead, a watchdog shell (in its own session, so it outlives the test host) stops it and removes the directory.
/// PostgreSQL refuses to run as root: as root, every PostgreSQL command runs as the <c>postgres</c> user.
/// A test that restarts PostgreSQL (<see cref="RestartAsync"/>) starts a server of its own (<see cref="StartOwnAsync"/>):
/// the run's server is never restarted under other tests.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => Task.Run(Start));

    private readonly string _binaries;
    private readonly string _directory;
    private const string Template = "collabcanvas_template";

    private readonly string _settings;
    private readonly NpgsqlDataSource _admin;
    private readonly Lazy<Task> _template;
    private int _stopped;

    private PostgresServer(string binaries, string directory, int port, string settings)
    {
        _binaries = binaries;
        _directory = directory;
        Port = port;
        _settings = settings;
        _admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
        _template = new(MigrateTemplateAsync);
    }

    /// <summary>The run's server, started by the first test that asks.</summary>
    public static Task<PostgresServer> Instance => Shared.Value;

    /// <summary>A server of the caller's own, which it may restart and must dispose.</summary>
    public static Task<PostgresServer> StartOwnAsync() => Task.Run(Start);

    /// <summary>
    /// Stops the server at once (<c>--mode immediate</c>, like a crash: open connections break), waits
    /// <paramref name="down"/>, and starts it again on the same port and data. Only on a server of the test's own.
    /// </summary>
    public async Task RestartAsync(TimeSpan down)
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully && ReferenceEquals(Shared.Value.Result, this))
            throw new InvalidOperationException("the run's shared PostgreSQL server is never restarted: use StartOwnAsync");
        await Task.Run(() => Run(AsServerUser(Path.Combine(_binaries, "pg_ctl"), "stop", "--pgdata", DataDirectory, "--mode", "immediate", "--wait")));
        await Task.Delay(down);
        await Task.Run(() => Run(StartCommand(_binaries, _directory, _settings)));
        _admin.Clear(); // its pooled connections died with the old server
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>
    /// A new database, with the schema of <c>db/migrations/postgresql</c> (copied from a template migrated once per run:
    /// a migration costs each test more than the copy) or empty; returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(bool migrated = true)
    {
        if (migrated) await _template.Value;
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using var create = _admin.CreateCommand($"CREATE DATABASE {name}" + (migrated ? $" TEMPLATE {Template}" : ""));
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private async Task MigrateTemplateAsync()
    {
        await using (var create = _admin.CreateCommand($"CREATE DATABASE {Template}"))
            await create.ExecuteNonQueryAsync();
        // Disposed before it is copied: PostgreSQL copies no database that has connections.
        using var database = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = ConnectionString(Template) }), NullLoggerFactory.Instance);
        database.Migrate();
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever connections are left on it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var drop = _admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    private static PostgresServer Start()
    {
        var binaries = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("collabcanvas-postgres-").FullName;
        if (Environment.IsPrivilegedProcess) Run("chown", "postgres:", directory);
        // Before anything is in the directory: a test host killed during initdb leaves nothing behind either.
        StartWatchdog(binaries, directory);
        Run(AsServerUser(Path.Combine(binaries, "initdb"), "--pgdata", Path.Combine(directory, "data"), "--username", "postgres",
            "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions"));

        PostgresServer? server = null;
        for (var attempt = 1; server is null; attempt++)
        {
            var port = ServerProcess.FreePort();
            // Between choosing the port and binding it, another process may take it: choose again.
            var settings = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='{directory}' -c max_connections=300";
            try
            {
                Run(StartCommand(binaries, directory, settings));
                server = new PostgresServer(binaries, directory, port, settings);
            }
            catch (InvalidOperationException e)
            {
                if (attempt == 3) throw new InvalidOperationException($"{e.Message}\n{File.ReadAllText(Path.Combine(directory, "server.log"))}", e);
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private static ProcessStartInfo StartCommand(string binaries, string directory, string settings) =>
        AsServerUser(Path.Combine(binaries, "pg_ctl"), "start", "--pgdata", Path.Combine(directory, "data"), "--wait", "--timeout", "120",
            "--log", Path.Combine(directory, "server.log"), "-o", settings);

    /// <summary>Stops a server of the test's own (<see cref="StartOwnAsync"/>) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        await Task.Run(Stop);
    }

    /// <summary>Stops the server at once (nothing in it needs to survive the run) and removes its directory; once.</summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            Run(AsServerUser(Path.Combine(_binaries, "pg_ctl"), "stop", "--pgdata", DataDirectory, "--mode", "immediate", "--wait"));
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e)
        {
            // The process is exiting: nothing can be reported to a test any more. The watchdog tries again.
            Console.Error.WriteLine($"stopping the test PostgreSQL server in {_directory} failed: {e.Message}");
        }
    }

    /// <summary>
    /// A shell in its own session that waits for this process to end, however it ends, then stops the server (if it
    /// runs) and removes its directory. After a normal exit it finds both gone already.
    /// </summary>
    private static void StartWatchdog(string binaries, string directory)
    {
        var stop = AsServerUser(Path.Combine(binaries, "pg_ctl"), "stop", "--pgdata", Path.Combine(directory, "data"), "--mode", "immediate", "--wait");
        var script = $"""
            exec </dev/null >/dev/null 2>&1
            while kill -0 {Environment.ProcessId}; do sleep 1; done
            {string.Join(' ', new[] { stop.FileName }.Concat(stop.ArgumentList).Select(Quote))}
            rm -rf {Quote(directory)}
            """;
        Process.Start(new ProcessStartInfo("setsid") { ArgumentList = { "sh", "-c", script } })!.Dispose();
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

    /// <summary>The newest installed PostgreSQL's programs (the Debian layout, then the PATH).</summary>
    private static string FindBinaries()
    {
        var debian = new DirectoryInfo("/usr/lib/postgresql");
        var installed = debian.Exists
            ? debian.GetDirectories().Where(d => int.TryParse(d.Name, out _)).OrderByDescending(d => int.Parse(d.Name))
                .Select(d => Path.Combine(d.FullName, "bin")).FirstOrDefault(bin => File.Exists(Path.Combine(bin, "postgres")))
            : null;
        installed ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb")));
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb/postgres in /usr/lib/postgresql/*/bin or on the PATH): the PostgreSQL backend's tests " +
            "need it. scripts/test.sh installs it (apt-get install postgresql).");
    }

    /// <summary>The command as the user PostgreSQL runs as: <c>postgres</c> when this process is root, else this user.</summary>
    private static ProcessStartInfo AsServerUser(string program, params string[] arguments)
    {
        var start = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", program } }
            : new ProcessStartInfo(program);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Run(start);
    }

    private static void Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in 2 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {output.Result}{error.Result}");
    }
}
