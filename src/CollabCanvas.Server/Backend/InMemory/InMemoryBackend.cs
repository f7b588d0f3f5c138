namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>
/// The in-memory implementations of the backend port: one process, nothing written anywhere, everything lost at exit.
/// For tests and for demos (<c>--CollabCanvas:Backend:Provider=Memory</c>).
/// </summary>
public static class InMemoryBackend
{
    public static IServiceCollection AddInMemoryBackend(this IServiceCollection services)
    {
        services.AddSingleton<InMemoryRelations>();
        services.AddSingleton<ILoginAttemptStore, InMemoryLoginAttemptStore>();
        services.AddSingleton<IUserStore, InMemoryUserStore>();
        services.AddSingleton<ISignInStore, InMemorySignInStore>();
        services.AddSingleton<ICanvasStore, InMemoryCanvasStore>();
        services.AddSingleton<IAccessStore, InMemoryAccessStore>();
        services.AddSingleton<IAiQuotaStore, InMemoryAiQuotaStore>();
        services.AddSingleton<IAccessEventBus, InProcessAccessEventBus>();
        services.AddSingleton<InMemoryCanvasLog>();
        services.AddSingleton<ICanvasLog>(sp => sp.GetRequiredService<InMemoryCanvasLog>());
        services.AddSingleton<ICanvasHistory, InMemoryCanvasHistory>();
        services.AddSingleton<IAiPreviewStore, InMemoryAiPreviewStore>();
        return services;
    }
}
