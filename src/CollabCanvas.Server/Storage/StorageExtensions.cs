namespace CollabCanvas.Server.Storage;

public static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SqliteDatabase>();
        return services;
    }

    /// <summary>Brings the schema up to date before anything opens the database.</summary>
    public static WebApplication MigrateDatabase(this WebApplication app)
    {
        app.Services.GetRequiredService<SqliteDatabase>().Migrate();
        return app;
    }
}
