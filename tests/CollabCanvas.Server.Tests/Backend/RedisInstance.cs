using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Redis;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// One instance's Redis fan-out alone (its own connection, commit feed, presence and access buses), registered as a
/// database backend registers it: for what Redis itself must do, apart from any database.
/// </summary>
public sealed class RedisInstance(IHost host) : IAsyncDisposable
{
    public ICommitFeed Feed => host.Services.GetRequiredService<ICommitFeed>();
    public IPresenceBus Presence => host.Services.GetRequiredService<IPresenceBus>();
    public IAccessEventBus Access => host.Services.GetRequiredService<IAccessEventBus>();

    public static async Task<RedisInstance> StartAsync(RedisServer redis)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{RedisOptions.Section}:Configuration"] = redis.Configuration,
            [$"{LogOptions.Section}:InstanceId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        });
        builder.Services.AddLogging();
        builder.Services.AddOptions<LogOptions>().Bind(builder.Configuration.GetSection(LogOptions.Section));
        builder.Services.AddRedisFanOut(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new RedisInstance(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
