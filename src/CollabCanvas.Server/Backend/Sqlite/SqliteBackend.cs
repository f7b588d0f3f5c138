using CollabCanvas.Server.Backend.InMemory;
using CollabCanvas.Server.Observability;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The SQLite implementations of the backend port: one process owning the file, or several sharing it.</summary>
public static class SqliteBackend
{
    public static IServiceCollection AddSqliteBackend(this IServiceCollection services, bool shared)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddHealthChecks().AddCheck<SqliteDatabaseCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        if (shared) services.AddCanvasLog<SharedSqliteCanvasLog>();
        else services.AddCanvasLog<SqliteCanvasLog>();
        services.AddSingleton<ILoginAttemptStore, SqliteLoginAttemptStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ISignInStore, SqliteSignInStore>();
        services.AddSingleton<ICanvasStore, SqliteCanvasStore>();
        services.AddSingleton<IAccessStore, SqliteAccessStore>();
        services.AddSingleton<IAiQuotaStore, SqliteAiQuotaStore>();
        services.AddSingleton<IAiPreviewStore, SqliteAiPreviewStore>();
        services.AddSingleton<ICanvasHistory, SqliteCanvasHistory>();
        if (shared)
        {
            services.AddSingleton<SharedSqliteAccessEventBus>();
            services.AddSingleton<IAccessEventBus>(sp => sp.GetRequiredService<SharedSqliteAccessEventBus>());
            services.AddHostedService(sp => sp.GetRequiredService<SharedSqliteAccessEventBus>());
            services.AddSingleton<SqlitePresenceBus>();
            services.AddSingleton<IPresenceBus>(sp => sp.GetRequiredService<SqlitePresenceBus>());
            services.AddHostedService(sp => sp.GetRequiredService<SqlitePresenceBus>());
        }
        else services.AddSingleton<IAccessEventBus, InProcessAccessEventBus>();
        return services;
    }

    /// <summary>The log is also a hosted service: its writer starts with the host.</summary>
    private static void AddCanvasLog<T>(this IServiceCollection services) where T : SqliteCanvasLog
    {
        services.AddSingleton<T>();
        services.AddSingleton<ICanvasLog>(sp => sp.GetRequiredService<T>());
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
