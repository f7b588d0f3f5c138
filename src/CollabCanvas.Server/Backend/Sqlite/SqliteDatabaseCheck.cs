using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>Ready only while the database file can be written (not read-only, full or locked for good).</summary>
public sealed class SqliteDatabaseCheck(SqliteDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Take the write lock and let it go.
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
