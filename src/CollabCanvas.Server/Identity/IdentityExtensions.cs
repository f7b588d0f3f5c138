namespace CollabCanvas.Server.Identity;

public static class IdentityExtensions
{
    public static IServiceCollection AddSessionIdentity(this IServiceCollection services)
    {
        services.AddSingleton<ISessionIdentity, GuestIdentity>();
        return services;
    }
}
