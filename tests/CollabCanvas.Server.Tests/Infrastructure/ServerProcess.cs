using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// The real server as a separate process: Kestrel on a loopback port chosen by the OS, a real SQLite file in its
/// own data directory. It can be stopped gracefully (SIGTERM) or killed (SIGKILL) and started again on the same data.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The folder that holds CollabCanvas.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CollabCanvas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("CollabCanvas.slnx not found above " + AppContext.BaseDirectory);
    }
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Signed in as <see cref="TestUser"/> (the owner of every canvas the tests create through it).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary><see cref="Http"/>'s cookies: the session cookie that <see cref="CanvasClient"/> sends with its upgrade.</summary>
    public CookieContainer Cookies { get; private set; } = null!;

    public const string TestUser = "tester@example.test";
    public const string TestPassword = "correct horse battery staple";
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <param name="settings">Configuration overrides, e.g. <c>("Realtime:BatchesPerSecond", "5")</c> under <c>CollabCanvas</c>, or <c>Logging:...</c>.</param>
    public static Task<ServerProcess> StartAsync(string? dataDirectory = null, params (string Key, string Value)[] settings) =>
        StartAsync(dataDirectory, port: 0, settings);

    /// <param name="port">0 lets the OS choose; a fixed port lets a restarted server keep its address (browsers reconnect to it).</param>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory, int port, params (string Key, string Value)[] settings)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("collabcanvas-test-").FullName;
        var serverDll = Path.Combine(AppContext.BaseDirectory, "CollabCanvas.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            // The project folder is the content root, so the built editor (wwwroot) is served as by `dotnet run`.
            ArgumentList = { "exec", serverDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(RepositoryRoot, "src", "CollabCanvas.Server") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["CollabCanvas__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // Tests sign in far more often from one address than people do; a test of the limit sets it lower.
        start.Environment["CollabCanvas__Auth__SignInRequestsPerMinute"] = "100000";
        start.Environment["CollabCanvas__Auth__InvitationsPerHour"] = "100000";
        foreach (var (key, value) in settings)
            start.Environment[(key.StartsWith("Logging:") ? key : "CollabCanvas:" + key).Replace(":", "__")] = value;

        var server = new ServerProcess(Process.Start(start)!, dataDirectory);
        HostWatchdog.KillWithHost(server._process);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (server._output) server._output.Add(line);
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        }
        server._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        server._process.EnableRaisingEvents = true;
        server._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"it exited with code {server._process.ExitCode}"));

        try
        {
            server.BaseUri = await listening.Task.WaitAsync(Eventually.ProcessStart);
            // Sign in as the test user when the server offers local accounts (it does unless a test turns them off).
            using var probe = new HttpClient { BaseAddress = server.BaseUri };
            var config = await probe.GetFromJsonAsync<System.Text.Json.JsonElement>("/auth/config");
            if (config.GetProperty("localAccounts").GetBoolean()) (server.Http, server.Cookies) = await SignInAsync(server.BaseUri, TestUser);
            else (server.Http, server.Cookies) = (new HttpClient { BaseAddress = server.BaseUri }, new CookieContainer());
            return server;
        }
        catch (Exception e)
        {
            // A server that did not come up is stopped here: the test that asked for it never gets it to dispose.
            await server.DisposeAsync();
            throw new InvalidOperationException($"the server did not start ({e.Message}):\n{server.Output}", e);
        }
    }

    /// <summary>
    /// Registers a local account (or finds it: registering twice is harmless) and signs in; the client carries the
    /// session cookie. Cookies on 127.0.0.1 are sent to every port, so the client works with every instance of a cluster.
    /// </summary>
    public static async Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(Uri baseUri, string email, string password = TestPassword,
        string? name = null)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
        (await http.PostAsJsonAsync("/auth/local/register", new { email, password, name = name ?? email.Split('@')[0] })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/auth/local/login", new { email, password });
        if (login.StatusCode != HttpStatusCode.NoContent)
            throw new InvalidOperationException($"sign-in as {email} failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        return (http, cookies);
    }

    /// <summary>Signs in as another user on this server.</summary>
    public Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(string email, string password = TestPassword) =>
        SignInAsync(BaseUri, email, password);

    /// <summary>Invites <paramref name="name"/>@example.test to the canvas with this role, then signs them in (which accepts it).</summary>
    public async Task<CookieContainer> MemberAsync(string canvasId, string name, string role = "editor")
    {
        var email = $"{name.ToLowerInvariant()}@example.test";
        (await Http.PostAsJsonAsync($"/api/canvases/{canvasId}/members", new { email, role })).EnsureSuccessStatusCode();
        var (http, cookies) = await SignInAsync(BaseUri, email, TestPassword, name);
        http.Dispose();
        return cookies;
    }

    /// <summary>Starts a new process on this one's data directory and port (after it stopped).</summary>
    public Task<ServerProcess> RestartAsync(params (string Key, string Value)[] settings) => StartAsync(DataDirectory, BaseUri.Port, settings);

    /// <summary>A port that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task<string> CreateCanvasAsync(string name = "Test canvas")
    {
        var response = await Http.PostAsJsonAsync("/api/canvases", new { name });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return created.GetProperty("id").GetString()!;
    }

    public async Task<System.Text.Json.JsonElement> DocumentAsync(string canvasId) =>
        await Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/canvases/{canvasId}/document");

    /// <summary>One value from the server's SQLite file, e.g. to wait until a background job has run.</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(DataDirectory, "collabcanvas.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Waits until the background cleanup has pruned the canvas's log up to <paramref name="seq"/>.</summary>
    public Task PrunedAsync(string canvasId, long seq) =>
        Eventually.Until(async () => await ScalarAsync("SELECT pruned_seq FROM canvas_states WHERE canvas_id = $canvas", ("$canvas", canvasId)) is long pruned &&
            pruned >= seq, $"the log of {canvasId} pruned up to seq {seq}");

    /// <summary>
    /// <c>/readyz</c> as a load balancer's probe asks (no session cookie: a signed-in request is checked against the
    /// database first): its status code and the overall health it names (Healthy, Degraded, Unhealthy).
    /// </summary>
    public async Task<(HttpStatusCode Status, string Health)> ReadinessAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseUri };
        using var response = await probe.GetAsync("/readyz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The sum of the samples of <paramref name="metric"/> (a Prometheus name, e.g. <c>..._total</c>) on <c>/metrics</c>
    /// whose labels contain <paramref name="label"/> (e.g. <c>reason="gap"</c>); 0 when there are none yet.
    /// </summary>
    public async Task<double> MetricAsync(string metric, string? label = null)
    {
        var text = await Http.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse((line[metric.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..])
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL: no shutdown code runs, like a crash or a power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful shutdown path.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _ = SendSignal(_process.Id, 15);
        await _process.WaitForExitAsync().WaitAsync(Eventually.ProcessStart);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
