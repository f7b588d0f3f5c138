using DbUp;
using DbUp.Postgresql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The PostgreSQL database of this instance: one <see cref="NpgsqlDataSource"/> (the connection pool, sized and timed by
/// <see cref="PostgresOptions"/>) that every Postgres piece opens its connections from, and the schema's migrations.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly ILogger<PostgresDatabase> _logger;

    /// <summary>
    /// The server could not be reached or is going away (a restart, a network cut, a pool that cannot connect in
    /// time): the request may succeed a few seconds later. Errors of the request itself (a constraint, bad SQL) are not.
    /// </summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        PostgresException e => e.IsTransient || e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException e => e.IsTransient || e.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => false,
    };

    public PostgresDatabase(IOptions<PostgresOptions> options, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger<PostgresDatabase>();
        var builder = new NpgsqlDataSourceBuilder(options.Value.Build().ConnectionString);
        builder.UseLoggerFactory(loggerFactory);
        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the database is, for logs and errors: host, port and database, never the credentials.</summary>
    public string Description
    {
        get
        {
            var settings = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString);
            return $"{settings.Host}:{settings.Port}/{settings.Database}";
        }
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Brings the schema up to date (<c>db/migrations/postgresql/*.sql</c>, each in its own transaction).</summary>
    public void Migrate()
    {
        // Several instances may start at once on one database: one migrates, the others wait on the advisory lock and
        // then find nothing left to do. The lock is the session's: should this process die, it goes with the connection.
        using var lockHolder = DataSource.OpenConnection();
        Advisory(lockHolder, "pg_advisory_lock");
        try
        {
            _logger.LogInformation("migrating the PostgreSQL database at {Database}", Description);
            var result = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(DataSource))
                .WithScriptsEmbeddedInAssembly(typeof(PostgresDatabase).Assembly, name => name.Contains(".Migrations.postgresql."))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(_logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful) throw new InvalidOperationException($"database migration failed: {result.Error.Message}", result.Error);
        }
        finally
        {
            // Explicitly: closing a pooled connection keeps its session, and with it the lock.
            Advisory(lockHolder, "pg_advisory_unlock");
        }
    }

    private static void Advisory(NpgsqlConnection connection, string function)
    {
        using var command = new NpgsqlCommand($"SELECT {function}($1)", connection) { Parameters = { new() { Value = PostgresLocks.Migrations } } };
        command.ExecuteNonQuery();
    }

    public void Dispose() => DataSource.Dispose();
}
