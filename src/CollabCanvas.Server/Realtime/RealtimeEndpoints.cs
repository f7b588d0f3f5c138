using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Observability;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Realtime;

public static class RealtimeEndpoints
{
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RealtimeOptions>().Bind(configuration.GetSection(RealtimeOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoomManager>();
        services.AddHostedService(sp => sp.GetRequiredService<RoomManager>());
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<RealtimeShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeShutdown>());
        services.AddHealthChecks().AddCheck<RealtimeShutdown.ReadinessCheck>("shutdown", tags: [HealthEndpoints.ReadyTag]);
        services.AddHostedService<RoomMaintenance>();
        services.AddHostedService<AccessEnforcer>();
        return services;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.Map("/ws/canvases/{canvasId}", Connect).WithTags("Realtime").ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Anyone may open the socket (the Origin was checked before); who they are and what they may do is decided at
    /// <c>hello</c> by <see cref="SessionGate"/>, because a ticket or a share link comes in <c>hello</c>, never in the URL.
    /// </summary>
    private static async Task Connect(string canvasId, HttpContext context, ICanvasStore canvases, SessionGate gate,
        RoomManager rooms, SessionRegistry sessions, RealtimeShutdown shutdown, IOptions<RealtimeOptions> options, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem("This endpoint speaks WebSocket (protocol v1).", statusCode: StatusCodes.Status426UpgradeRequired)
                .ExecuteAsync(context);
            return;
        }
        var caller = context.User.Credentials();
        // An open socket keeps its upgrade request for hours: let go of what authentication needed from it (the
        // cookie, parsed and unparsed, and the principal), thousands of sessions times a few hundred bytes each.
        context.Request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Cookie);
        context.Request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Authorization);
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IRequestCookiesFeature>(null);
        context.Features.Set<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>(null);
        context.User = new System.Security.Claims.ClaimsPrincipal();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new Session(Ids.New(10), socket, options.Value.MaxQueuedBytes);
        if (shutdown.IsStopping) session.Close(CloseCodes.GoingAway, "the server is shutting down");
        else if (await canvases.FindAsync(canvasId, context.RequestAborted) is null) session.Close(CloseCodes.CanvasNotFound, "no such canvas");
        else
        {
            var connection = new Connection(session, socket, canvasId, rooms, sessions, gate, caller, options.Value,
                loggers.CreateLogger("CollabCanvas.Realtime.Connection"));
            await connection.RunAsync();
        }
        await session.ClosedAsync(); // the closing frame is out: only then may the request end
    }
}
