using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace CollabCanvas.Server.Observability;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: it can serve (the database can be written, not shutting
/// down). <c>/metrics</c>: Prometheus text, for the scrapers that <see cref="MetricsAccess"/> lets in.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetricsAccess(configuration);
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<ShutdownCheck>("shutdown", tags: [Ready]);
        CanvasMetrics.Initialize();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CanvasMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, branch => branch.Use(MetricsAccess.Gate), optionsName: null);
        return app;
    }

    private sealed class DatabaseCheck(SqliteDatabase database) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Take the write lock and let it go: fails when the file cannot be written (read-only, full, locked).
                using var connection = database.Open();
                using var transaction = connection.BeginTransaction(deferred: false);
                transaction.Rollback();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception e)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("the database cannot be written", e));
            }
        }
    }

    private sealed class ShutdownCheck(RealtimeShutdown shutdown) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(shutdown.IsStopping ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy());
    }
}
