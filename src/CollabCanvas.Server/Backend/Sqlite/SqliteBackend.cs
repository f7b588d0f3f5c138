using CollabCanvas.Server.Backend.InMemory;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The SQLite implementations of the backend port: one process owning the file, or several sharing it.</summary>
public static class SqliteBackend
{
    public static IServiceCollection AddSqliteBackend(this IServiceCollection services, bool shared)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ICanvasLog, SqliteCanvasLog>();
        services.AddSingleton<ILoginAttemptStore, SqliteLoginAttemptStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ISignInStore, SqliteSignInStore>();
        services.AddSingleton<ICanvasStore, SqliteCanvasStore>();
        services.AddSingleton<IAccessStore, SqliteAccessStore>();
        services.AddSingleton<IAiQuotaStore, SqliteAiQuotaStore>();
        if (shared)
        {
            services.AddSingleton<SharedSqliteAccessEventBus>();
            services.AddSingleton<IAccessEventBus>(sp => sp.GetRequiredService<SharedSqliteAccessEventBus>());
            services.AddHostedService(sp => sp.GetRequiredService<SharedSqliteAccessEventBus>());
            services.AddSingleton<Realtime.PresenceRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<Realtime.PresenceRelay>());
        }
        else services.AddSingleton<IAccessEventBus, InProcessAccessEventBus>();
        return services;
    }
}
