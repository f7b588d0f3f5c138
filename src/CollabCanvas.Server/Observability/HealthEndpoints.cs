using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace CollabCanvas.Server.Observability;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: it can serve: every check tagged <see cref="ReadyTag"/>,
/// which the parts that can fail register themselves (the backend: its database can be written; realtime: not shutting
/// down), so this folder depends on none of them. <c>/metrics</c>: Prometheus text, for the scrapers that
/// <see cref="MetricsAccess"/> lets in.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks that decide <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetricsAccess(configuration);
        services.AddHealthChecks();
        CanvasMetrics.Initialize();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CanvasMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, branch => branch.Use(MetricsAccess.Gate), optionsName: null);
        return app;
    }
}
