namespace CollabCanvas.Server.Log;

public static class LogExtensions
{
    public static IServiceCollection AddCanvasLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LogOptions>().Bind(configuration.GetSection(LogOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ICanvasLog, SqliteCanvasLog>();
        return services;
    }
}
