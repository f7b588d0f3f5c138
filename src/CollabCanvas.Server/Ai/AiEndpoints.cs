using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Ai;

public static class AiEndpoints
{
    public static IServiceCollection AddAi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AiOptions>().Bind(configuration.GetSection(AiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AiQuota>();
        services.AddSingleton<AiCommands>();
        services.AddSingleton<ClaudeInterpreter>();
        return services;
    }

    public static IEndpointRouteBuilder MapAi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/canvases/{id}/ai", Run).WithTags("AI");
        app.MapGet("/api/ai", Info).WithTags("AI");
        return app;
    }

    /// <summary>
    /// Runs one command: editors and owners only. 200 with the created ids, the batch's seq, the undo ops and the
    /// commands left; 422 when the command is not understood (with examples); 429 with Retry-After at the limit.
    /// </summary>
    private static async Task<IResult> Run(string id, AiRequest request, HttpContext context, CanvasAccess access, AiCommands commands)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Editor)).Denied is { } denied) return denied;
        if (context.User.FindUserId() is not { } userId)
            return TypedResults.Problem("AI commands need an account; sign in.", statusCode: StatusCodes.Status401Unauthorized);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (response, failure) = await commands.RunAsync(id, userId, request, context.RequestAborted);
        // The server's own time for the command, for browsers' dev tools and the benchmark.
        context.Response.Headers["Server-Timing"] =
            $"ai;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}";
        if (response is not null) return TypedResults.Ok(response);
        if (failure!.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(failure.Message, statusCode: failure.Status,
            extensions: new Dictionary<string, object?> { ["remaining"] = failure.Remaining });
    }

    /// <summary>What the palette shows: the commands left this hour, the interpreter, the components and themes.</summary>
    private static async Task<IResult> Info(HttpContext context, AiQuota quota, ClaudeInterpreter claude) =>
        context.User.FindUserId() is not { } userId
            ? TypedResults.Unauthorized()
            : TypedResults.Ok(new
            {
                remaining = await quota.RemainingAsync(userId, context.RequestAborted),
                interpreter = claude.Enabled ? "claude" : "builtin",
                components = ComponentCatalog.Names,
                themes = Themes.All.Keys,
            });
}
