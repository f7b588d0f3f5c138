using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Redis;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// One instance's Redis fan-out alone (its own connection, commit feed, presence and access buses), registered as a
/// database backend registers it: for what Redis itself must do, apart from any database. Each
/// <see cref="StartAsync"/> is a deployment of its own (its own channel prefix), so tests that run at once on the run's
/// Redis hear nothing of each other; <see cref="StartAnotherAsync"/> is another instance of the same deployment.
/// </summary>
public sealed class RedisInstance(IHost host, RedisServer redis, string deployment) : IAsyncDisposable
{
    /// <summary>The name its connections give Redis (<c>CLIENT LIST</c>).</summary>
    public string ClientName => "collabcanvas-" + host.Services.GetRequiredService<IOptions<LogOptions>>().Value.InstanceId;

    /// <summary>How many clients Redis counts as subscribed to this deployment's <paramref name="channel"/>.</summary>
    public Task<long> SubscribersAsync(string channel) => redis.SubscribersAsync(deployment + channel);

    public ICommitFeed Feed => host.Services.GetRequiredService<ICommitFeed>();
    public IPresenceBus Presence => host.Services.GetRequiredService<IPresenceBus>();
    public IAccessEventBus Access => host.Services.GetRequiredService<IAccessEventBus>();

    public static Task<RedisInstance> StartAsync(RedisServer redis) => StartAsync(redis, $"test-{Guid.NewGuid():N}:");

    public Task<RedisInstance> StartAnotherAsync() => StartAsync(redis, deployment);

    private static async Task<RedisInstance> StartAsync(RedisServer redis, string deployment)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{RedisOptions.Section}:Configuration"] = $"{redis.Configuration},channelPrefix={deployment}",
            [$"{LogOptions.Section}:InstanceId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        });
        builder.Services.AddLogging();
        builder.Services.AddOptions<LogOptions>().Bind(builder.Configuration.GetSection(LogOptions.Section));
        builder.Services.AddRedisFanOut(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new RedisInstance(host, redis, deployment);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
