using System.Diagnostics;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>deploy/local-cluster.sh run by a test: N instances of the built server on one SQLite file behind nginx.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(Dictionary<string, string> environment, Uri proxy)
    {
        _environment = environment;
        Proxy = proxy;
    }

    /// <summary>nginx's address: the only one clients need.</summary>
    public Uri Proxy { get; }

    public static async Task<LocalCluster> StartAsync(int instances)
    {
        var run = Directory.CreateTempSubdirectory("collabcanvas-nginx-").FullName;
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["COLLABCANVAS_DLL"] = Path.Combine(AppContext.BaseDirectory, "CollabCanvas.Server.dll"),
            ["RUN_DIR"] = run, ["DATA_DIR"] = Path.Combine(run, "data"), ["PORT"] = port.ToString(),
            ["BASE_PORT"] = ServerProcess.FreePort().ToString(), ["DETACH"] = "1",
        };
        try
        {
            // The script waits for each instance in turn, up to a process start's ceiling each.
            await RunScriptAsync(environment, instances.ToString(), Eventually.ProcessStart * (instances + 1));
        }
        catch
        {
            await RunScriptAsync(environment, "stop", Eventually.ProcessStart); // whatever did start
            throw;
        }
        return new LocalCluster(environment, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync(_environment, "stop", Eventually.ProcessStart);

    private static async Task RunScriptAsync(Dictionary<string, string> environment, string argument, TimeSpan ceiling)
    {
        var start = new ProcessStartInfo(Path.Combine(ServerProcess.RepositoryRoot, "deploy", "local-cluster.sh"), argument)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ceiling);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {argument} did not finish within {ceiling.TotalSeconds:0} s (logs in {environment["RUN_DIR"]})");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"local-cluster.sh {argument} failed:\n{await output}\n{await errors}");
    }
}
