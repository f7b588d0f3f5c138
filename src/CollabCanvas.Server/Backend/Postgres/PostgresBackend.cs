using CollabCanvas.Server.Backend.Redis;
using CollabCanvas.Server.Observability;
using Microsoft.AspNetCore.Diagnostics;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The PostgreSQL implementations of the backend port: every instance, on any host, shares one database. A piece
/// that has no PostgreSQL implementation yet is not registered, so a host that needs it fails at start.
/// </summary>
public static class PostgresBackend
{
    public static IServiceCollection AddPostgresBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PostgresDatabase>();
        services.AddHealthChecks().AddCheck<PostgresDatabaseCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<IExceptionHandler>(sp => new BackendUnavailableHandler(PostgresDatabase.IsUnreachable, sp.GetRequiredService<IProblemDetailsService>()));
        services.AddSingleton<IUserStore, PostgresUserStore>();
        services.AddSingleton<ISignInStore, PostgresSignInStore>();
        services.AddSingleton<ILoginAttemptStore, PostgresLoginAttemptStore>();
        services.AddSingleton<ICanvasStore, PostgresCanvasStore>();
        services.AddSingleton<IAccessStore, PostgresAccessStore>();
        services.AddSingleton<IAiQuotaStore, PostgresAiQuotaStore>();
        services.AddSingleton<IAiPreviewStore, PostgresAiPreviewStore>();
        services.AddSingleton<ICanvasHistory, PostgresCanvasHistory>();
        // Between instances: over Redis when it is configured (presence, access changes, committed batches); without,
        // all three over LISTEN/NOTIFY.
        if (RedisBackend.IsConfigured(configuration)) services.AddRedisFanOut(configuration);
        else
        {
            services.AddHosted<ICommitFeed, PostgresNotifyCommitFeed>();
            services.AddHosted<IAccessEventBus, PostgresAccessEventBus>();
            services.AddHosted<IPresenceBus, PostgresPresenceBus>();
        }
        services.AddHosted<ICanvasLog, PostgresCanvasLog>();
        return services;
    }

    /// <summary>One instance that is both the port's implementation and a hosted service (its loops start with the host).</summary>
    private static void AddHosted<TPort, TImplementation>(this IServiceCollection services)
        where TPort : class where TImplementation : class, TPort, IHostedService
    {
        services.AddSingleton<TImplementation>();
        services.AddSingleton<TPort>(sp => sp.GetRequiredService<TImplementation>());
        services.AddHostedService(sp => sp.GetRequiredService<TImplementation>());
    }
}
