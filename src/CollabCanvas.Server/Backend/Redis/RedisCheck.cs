using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Redis reachable: healthy; not: degraded, still ready. Without Redis an instance serves its own sessions and learns
/// of the others' batches late (the log repairs gaps from the database), so taking it out of rotation would make an
/// outage of the fast path an outage of the service.
/// </summary>
public sealed class RedisCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded("Redis is not reachable: reconnecting"));
}
