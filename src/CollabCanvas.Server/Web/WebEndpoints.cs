namespace CollabCanvas.Server.Web;

/// <summary>The editor (built from web/ into wwwroot): static files, and index.html for the dashboard, /signin and every /c/{id}.</summary>
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
        app.MapFallbackToFile("/c/{canvasId}", "index.html").ExcludeFromDescription();
        app.MapFallbackToFile("/signin", "index.html").ExcludeFromDescription();
        return app;
    }
}
