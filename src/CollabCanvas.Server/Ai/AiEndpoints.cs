using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Features;

namespace CollabCanvas.Server.Ai;

public static class AiEndpoints
{
    public static IServiceCollection AddAi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AiOptions>().Bind(configuration.GetSection(AiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AiQuota>();
        services.AddSingleton<AiPreviews>();
        services.AddSingleton<AiCommands>();
        services.AddSingleton<ClaudeInterpreter>();
        return services;
    }

    public static IEndpointRouteBuilder MapAi(this IEndpointRouteBuilder app)
    {
        var ai = app.MapGroup("").WithTags("AI").RequireFeature(Feature.AiCommands);
        ai.MapPost("/api/canvases/{id}/ai", Run);
        ai.MapPost("/api/canvases/{id}/ai/{command}/accept", Accept);
        ai.MapDelete("/api/canvases/{id}/ai/{command}", Discard);
        ai.MapGet("/api/ai", Info);
        return app;
    }

    /// <summary>
    /// Runs one command: editors and owners only. 200 with the created ids, the batch's seq, the undo ops and the
    /// commands left; 422 when the command is not understood (with examples); 429 with Retry-After at the limit.
    /// With Claude configured and <c>Accept: application/x-ndjson</c>, the answer is a preview instead (see
    /// <see cref="Preview"/>).
    /// </summary>
    private static async Task<IResult> Run(string id, AiRequest request, HttpContext context, CanvasAccess access, AiCommands commands)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Editor)).Denied is { } denied) return denied;
        if (context.User.FindUserId() is not { } userId)
            return TypedResults.Problem("AI commands need an account; sign in.", statusCode: StatusCodes.Status401Unauthorized);
        if (await commands.UsesClaudeAsync(userId, context.RequestAborted) && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(Ndjson, StringComparison.OrdinalIgnoreCase)))
            return await Preview(id, userId, request, context, commands);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (response, failure) = await commands.RunAsync(id, userId, request, context.RequestAborted);
        // The server's own time for the command, for browsers' dev tools and the benchmark.
        context.Response.Headers["Server-Timing"] =
            $"ai;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}";
        return response is not null ? TypedResults.Ok(response) : Problem(context, failure!);
    }

    private const string Ndjson = "application/x-ndjson";

    /// <summary>
    /// A command answered by Claude, streamed as lines of JSON while the model answers: <c>preview</c> events carry the
    /// ops of each tool call as soon as it is complete (<c>reset</c>: drop the earlier ones first), then <c>ready</c>
    /// with the id that accepts it, or <c>failed</c>. Nothing is appended: only the requester sees it. A failure before
    /// anything was streamed (bad input, the limit) is an ordinary problem answer.
    /// </summary>
    private static async Task<IResult> Preview(string id, string userId, AiRequest request, HttpContext context, AiCommands commands)
    {
        var started = false;
        async Task Send(JsonObject line)
        {
            if (!started)
            {
                started = true;
                context.Response.ContentType = Ndjson;
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx passes each line on at once
            }
            await context.Response.WriteAsync(line.ToJsonString() + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        var (ready, failure) = await commands.PreviewAsync(id, userId, request,
            (ops, reset) => Send(new JsonObject { ["type"] = "preview", ["reset"] = reset, ["ops"] = ops }), context.RequestAborted);
        if (failure is not null && !started) return Problem(context, failure);
        var last = ready is not null
            ? JsonSerializer.SerializeToNode(ready, JsonSerializerOptions.Web)!.AsObject()
            : new JsonObject { ["status"] = failure!.Status, ["detail"] = failure.Message, ["remaining"] = failure.Remaining };
        last.Insert(0, "type", ready is not null ? "ready" : "failed");
        await Send(last);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Applies the caller's preview as one batch (200 as for a command run at once). 404 when the caller has no such
    /// preview (another user's is not theirs to accept), 410 when it expired, 409 when someone changed what it changes,
    /// 403 when the caller is no longer an editor.
    /// </summary>
    private static async Task<IResult> Accept(string id, string command, HttpContext context, CanvasAccess access, AiCommands commands)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Editor)).Denied is { } denied) return denied;
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        var (response, failure) = await commands.AcceptAsync(id, userId, command, context.RequestAborted);
        return response is not null ? TypedResults.Ok(response) : Problem(context, failure!);
    }

    /// <summary>Drops the caller's preview: 204, or 404 when there is none.</summary>
    private static async Task<IResult> Discard(string id, string command, HttpContext context, AiCommands commands) =>
        context.User.FindUserId() is not { } userId ? TypedResults.Unauthorized()
        : await commands.DiscardAsync(id, userId, command) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static IResult Problem(HttpContext context, AiFailure failure)
    {
        if (failure.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(failure.Message, statusCode: failure.Status,
            extensions: new Dictionary<string, object?> { ["remaining"] = failure.Remaining });
    }

    /// <summary>What the palette shows: the commands left this hour, the interpreter, the components and themes.</summary>
    private static async Task<IResult> Info(HttpContext context, AiQuota quota, AiCommands commands) =>
        context.User.FindUserId() is not { } userId
            ? TypedResults.Unauthorized()
            : TypedResults.Ok(new
            {
                remaining = await quota.RemainingAsync(userId, context.RequestAborted),
                interpreter = await commands.UsesClaudeAsync(userId, context.RequestAborted) ? "claude" : "builtin",
                components = ComponentCatalog.Names,
                themes = Themes.All.Keys,
            });
}
