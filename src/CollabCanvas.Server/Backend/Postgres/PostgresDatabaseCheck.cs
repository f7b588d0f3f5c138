using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>Ready only while PostgreSQL answers and can be written (a primary, not a standby in recovery).</summary>
public sealed class PostgresDatabaseCheck(PostgresDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_is_in_recovery()";
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!
                ? HealthCheckResult.Unhealthy($"PostgreSQL at {database.Description} is a standby: it cannot be written")
                : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL at {database.Description} does not answer", e);
        }
    }
}
