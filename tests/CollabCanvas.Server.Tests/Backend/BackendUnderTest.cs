using CollabCanvas.Server.Backend;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// One instance of a backend implementation, in this process: the server's own <see cref="BackendExtensions.AddBackend"/>
/// on a temporary data directory, with the backend's hosted services running. The contract suite runs every test
/// against each provider in <see cref="Providers"/>; a second instance on the same data (<see cref="StartAnother"/>)
/// stands for another process of a multi-instance deployment.
/// </summary>
public sealed class BackendUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsDirectory;

    private BackendUnderTest(IHost host, string provider, string dataDirectory, bool ownsDirectory)
    {
        _host = host;
        Provider = provider;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    /// <summary>Every provider the contract suite runs against.</summary>
    public static TheoryData<string> Providers => [nameof(BackendProvider.Memory), nameof(BackendProvider.Sqlite), nameof(BackendProvider.SharedSqlite)];

    /// <summary>Providers that keep their data when an instance stops (a restart reads it again).</summary>
    public static TheoryData<string> DurableProviders => [nameof(BackendProvider.Sqlite), nameof(BackendProvider.SharedSqlite)];

    /// <summary>Providers whose instances share their data with other processes.</summary>
    public static TheoryData<string> MultiInstanceProviders => [nameof(BackendProvider.SharedSqlite)];

    public string Provider { get; }
    public string DataDirectory { get; }
    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static Task<BackendUnderTest> StartAsync(string provider, params (string Key, string Value)[] settings) =>
        StartAsync(provider, Directory.CreateTempSubdirectory("cc-backend-").FullName, ownsDirectory: true, settings);

    /// <summary>Another instance on this one's data, with its own instance id.</summary>
    public Task<BackendUnderTest> StartAnotherAsync(params (string Key, string Value)[] settings) =>
        StartAsync(Provider, DataDirectory, ownsDirectory: false, settings);

    private static async Task<BackendUnderTest> StartAsync(string provider, string dataDirectory, bool ownsDirectory, (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CollabCanvas:Backend:Provider"] = provider,
            ["CollabCanvas:DataDirectory"] = dataDirectory,
            ["CollabCanvas:Log:InstanceId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("CollabCanvas:" + s.Key, (string?)s.Value)));
        builder.Services.AddLogging();
        builder.Services.AddBackend(builder.Configuration);
        var host = builder.Build();
        host.Services.PrepareBackend();
        await host.StartAsync();
        return new BackendUnderTest(host, provider, dataDirectory, ownsDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (!_ownsDirectory) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Another instance on the same data may still be closing; the temporary directory is left behind.
        }
    }
}
