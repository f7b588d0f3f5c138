using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// One instance of a backend implementation, in this process: the server's own <see cref="BackendExtensions.AddBackend"/>
/// on a temporary data directory (on Postgres, a fresh database of the run's <see cref="PostgresServer"/>), with the
/// backend's hosted services running. The contract suite runs every test against each provider in
/// <see cref="Providers"/>; a second instance on the same data (<see cref="StartAnotherAsync"/>) stands for another
/// process of a multi-instance deployment.
/// </summary>
public sealed class BackendUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsData;

    private BackendUnderTest(IHost host, string provider, string dataDirectory, string? postgres, bool ownsData)
    {
        _host = host;
        Provider = provider;
        DataDirectory = dataDirectory;
        Postgres = postgres;
        _ownsData = ownsData;
    }

    /// <summary>
    /// Postgres with Redis configured (the run's <see cref="RedisServer"/>, a channel prefix per deployment so that
    /// tests running at once hear nothing of each other): batches, presence and access changes travel over Redis.
    /// </summary>
    public const string PostgresRedis = "PostgresRedis";

    /// <summary>Every provider the contract suite runs against.</summary>
    public static TheoryData<string> Providers =>
        [nameof(BackendProvider.Memory), nameof(BackendProvider.Sqlite), nameof(BackendProvider.SharedSqlite), nameof(BackendProvider.Postgres), PostgresRedis];

    /// <summary>Providers that keep their data when an instance stops (a restart reads it again).</summary>
    public static TheoryData<string> DurableProviders => [nameof(BackendProvider.Sqlite), nameof(BackendProvider.SharedSqlite), nameof(BackendProvider.Postgres)];

    /// <summary>Providers whose instances share their data with other processes.</summary>
    public static TheoryData<string> MultiInstanceProviders => [nameof(BackendProvider.SharedSqlite), nameof(BackendProvider.Postgres), PostgresRedis];

    public string Provider { get; }
    public string DataDirectory { get; }

    /// <summary>The connection string of this backend's own PostgreSQL database (a fresh one per test), on Postgres.</summary>
    public string? Postgres { get; }

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<BackendUnderTest> StartAsync(string provider, params (string Key, string Value)[] settings)
    {
        var postgres = provider is nameof(BackendProvider.Postgres) or PostgresRedis ? await (await PostgresServer.Instance).CreateDatabaseAsync() : null;
        return await StartAsync(provider, Directory.CreateTempSubdirectory("cc-backend-").FullName, postgres, ownsData: true, settings);
    }

    /// <summary>Another instance on this one's data, with its own instance id.</summary>
    public Task<BackendUnderTest> StartAnotherAsync(params (string Key, string Value)[] settings) =>
        StartAsync(Provider, DataDirectory, Postgres, ownsData: false, settings);

    private static async Task<BackendUnderTest> StartAsync(string provider, string dataDirectory, string? postgres, bool ownsData,
        (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Instances of one deployment share a data directory, and so a channel prefix.
        var redis = provider == PostgresRedis ? $"{(await RedisServer.SharedAsync()).Configuration},channelPrefix={Path.GetFileName(dataDirectory)}:" : null;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CollabCanvas:Backend:Provider"] = provider == PostgresRedis ? nameof(BackendProvider.Postgres) : provider,
            ["CollabCanvas:Backend:Redis:Configuration"] = redis,
            ["CollabCanvas:DataDirectory"] = dataDirectory,
            ["CollabCanvas:Backend:Postgres:ConnectionString"] = postgres,
            ["CollabCanvas:Log:InstanceId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("CollabCanvas:" + s.Key, (string?)s.Value)));
        builder.Services.AddLogging();
        builder.Services.AddBackend(builder.Configuration);
        var host = builder.Build();
        host.Services.PrepareBackend();
        await host.StartAsync();
        return new BackendUnderTest(host, provider, dataDirectory, postgres, ownsData);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (!_ownsData) return;
        if (Postgres is not null) await (await PostgresServer.Instance).DropDatabaseAsync(Postgres);
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
