using CollabCanvas.Server.Observability;

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
        return services;
    }
}
