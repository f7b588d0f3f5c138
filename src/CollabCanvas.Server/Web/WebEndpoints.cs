namespace CollabCanvas.Server.Web;

/// <summary>
/// The editor (built from web/ into wwwroot): static files, index.html for the dashboard, /signin and every /c/{id},
/// and a page that says "not found" for any other page address. Machine addresses (<see cref="IsForMachines"/>) keep
/// answering a miss with problem+json.
/// </summary>
public static class WebEndpoints
{
    public static WebApplication UseEditor(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapEditor(this IEndpointRouteBuilder app)
    {
        // The dashboard too: routing runs before the static files, so the catch-all below would otherwise take "/".
        app.MapFallbackToFile("/", "index.html").ExcludeFromDescription();
        app.MapFallbackToFile("/c/{canvasId}", "index.html").ExcludeFromDescription();
        app.MapFallbackToFile("/signin", "index.html").ExcludeFromDescription();
        // "nonfile": a missing script or image (a path with a dot in its last segment) stays a plain 404. GET and HEAD
        // only: another method on an address of the API still gets its 405.
        app.MapFallback("{*path:nonfile}", PageNotFound).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The API, the WebSocket, sign-in's endpoints, the OpenAPI document, health and metrics.</summary>
    private static readonly string[] MachinePrefixes = ["/api", "/ws", "/auth", "/openapi", "/healthz", "/readyz", "/metrics"];

    private static bool IsForMachines(PathString path) =>
        MachinePrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The editor's page with status 404: it shows "Page not found" with a way home. For a machine address, an empty
    /// 404 that the status code pages turn into problem+json.
    /// </summary>
    private static async Task PageNotFound(HttpContext context, IWebHostEnvironment environment)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        var request = context.Request;
        if (IsForMachines(request.Path)) return;
        var page = environment.WebRootFileProvider.GetFileInfo("index.html");
        if (!page.Exists) return;
        context.Response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsGet(request.Method)) await context.Response.SendFileAsync(page);
    }
}
