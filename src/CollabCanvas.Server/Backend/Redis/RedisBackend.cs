using CollabCanvas.Server.Observability;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// The parts of a backend that travel between instances, over Redis pub/sub: the commit feed, presence and access
/// changes. A database backend registers its own stores and log and, when <see cref="IsConfigured"/>, these.
/// </summary>
public static class RedisBackend
{
    /// <summary>Whether <c>CollabCanvas:Backend:Redis:Configuration</c> is set.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(RedisOptions.Section)[nameof(RedisOptions.Configuration)]);

    public static IServiceCollection AddRedisFanOut(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        services.AddSingleton<RedisConnection>();
        services.AddHealthChecks().AddCheck<RedisCheck>("redis", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<ICommitFeed, RedisCommitFeed>();
        services.AddSingleton<RedisAccessEventBus>();
        services.AddSingleton<IAccessEventBus>(sp => sp.GetRequiredService<RedisAccessEventBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisAccessEventBus>());
        services.AddSingleton<RedisPresenceBus>();
        services.AddSingleton<IPresenceBus>(sp => sp.GetRequiredService<RedisPresenceBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPresenceBus>());
        return services;
    }
}
