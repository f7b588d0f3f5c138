using CollabCanvas.Server.Backend.InMemory;
using CollabCanvas.Server.Backend.Postgres;
using CollabCanvas.Server.Backend.Sqlite;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// The backend port's one registration: every piece that depends on where data lives (the canvas log, presence and
/// access events between instances, the AI quota, the relational stores) comes from the implementation that
/// <see cref="BackendOptions.Provider"/> names. Nothing outside <c>Backend/</c> knows which one it is.
/// </summary>
public static class BackendExtensions
{
    public static IServiceCollection AddBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackendOptions>().Bind(configuration.GetSection(BackendOptions.Section));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LogOptions>().Bind(configuration.GetSection(LogOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HistoryOptions>().Bind(configuration.GetSection(HistoryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration.GetSection(BackendOptions.Section).Get<BackendOptions>()?.Provider ?? BackendProvider.Sqlite;
        return provider switch
        {
            BackendProvider.Sqlite => services.AddSqliteBackend(shared: false),
            BackendProvider.SharedSqlite => services.AddSqliteBackend(shared: true),
            BackendProvider.Memory => services.AddInMemoryBackend(),
            BackendProvider.Postgres => services.AddPostgresBackend(configuration),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration), provider, "unknown backend provider"),
        };
    }

    /// <summary>
    /// Runs a maintenance command of the backend instead of the web server when the arguments start with one
    /// (<c>migrate-to-postgres</c>, docs/deployment.md); null when they do not.
    /// </summary>
    public static async Task<int?> RunCommandAsync(string[] args, IConfiguration configuration) =>
        args is [SqliteToPostgres.Command, .. var rest] ? await SqliteToPostgres.RunAsync(rest, configuration) : null;

    /// <summary>Makes the backend ready before anything uses it (the schema's migrations, SQLite's or PostgreSQL's).</summary>
    public static void PrepareBackend(this IServiceProvider services)
    {
        services.GetService<SqliteDatabase>()?.Migrate();
        services.GetService<PostgresDatabase>()?.Migrate();
    }
}
