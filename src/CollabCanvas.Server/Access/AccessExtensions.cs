using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Web;

namespace CollabCanvas.Server.Access;

public static class AccessExtensions
{
    /// <summary>What the caller may do on a canvas: roles, invitations, share links, and who may open a socket.</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddSingleton<CanvasAccess>();
        services.AddSingleton<ISignInListener>(sp => sp.GetRequiredService<CanvasAccess>());
        services.AddSingleton<SessionGate>();
        services.AddSingleton<RequestLimit, InvitationRateLimit>();
        return services;
    }
}
