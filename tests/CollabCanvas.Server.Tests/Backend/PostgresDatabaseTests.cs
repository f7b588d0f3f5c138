using System.Collections.Concurrent;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Postgres;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>The PostgreSQL backend's database: its migrations, its options, and what it says about itself.</summary>
public sealed class PostgresDatabaseTests
{
    private const string Password = "pw-that-must-never-be-logged";

    [Fact]
    public async Task Instances_starting_together_migrate_the_database_once()
    {
        var server = await PostgresServer.Instance;
        var connectionString = await server.CreateDatabaseAsync(migrated: false);
        try
        {
            var databases = Enumerable.Range(0, 3).Select(_ => Database(connectionString, new RecordingLogs())).ToList();
            await Task.WhenAll(databases.Select(database => Task.Run(database.Migrate)));
            databases.ForEach(database => database.Dispose());

            var scripts = typeof(PostgresDatabase).Assembly.GetManifestResourceNames().Count(name => name.Contains(".Migrations.postgresql."));
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var applied = dataSource.CreateCommand("SELECT count(*) FROM schemaversions");
            Assert.Equal(scripts, (long)(await applied.ExecuteScalarAsync())!);
            await using var tables = dataSource.CreateCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'canvas_log'");
            Assert.Equal(1L, (long)(await tables.ExecuteScalarAsync())!);
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task The_password_reaches_neither_the_log_nor_the_health_report()
    {
        var server = await PostgresServer.Instance;
        var connectionString = await server.CreateDatabaseAsync(migrated: false);
        var logs = new RecordingLogs();
        try
        {
            // The test server trusts loopback clients, so the password is sent and ignored.
            using (var reachable = Database(connectionString + ";Password=" + Password, logs))
            {
                reachable.Migrate();
                Assert.Equal(HealthStatus.Healthy, (await new PostgresDatabaseCheck(reachable).CheckHealthAsync(new HealthCheckContext())).Status);
            }

            using var gone = Database(new NpgsqlConnectionStringBuilder(connectionString) { Port = ServerProcess.FreePort(), Password = Password, Timeout = 2 }.ConnectionString, logs);
            var report = await new PostgresDatabaseCheck(gone).CheckHealthAsync(new HealthCheckContext());

            Assert.Equal(HealthStatus.Unhealthy, report.Status);
            Assert.Contains("127.0.0.1", report.Description);
            Assert.DoesNotContain(Password, report.Description + report.Exception);
            Assert.Contains(logs.Lines, line => line.Contains("migrating"));
            Assert.DoesNotContain(logs.Lines, line => line.Contains(Password));
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Database=canvases;Password=" + Password)]
    [InlineData("Host=db;Pooling=perhaps;Password=" + Password)]
    public async Task A_connection_string_that_cannot_work_stops_the_start_without_showing_the_password(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CollabCanvas:Backend:Provider"] = nameof(BackendProvider.Postgres),
            ["CollabCanvas:Backend:Postgres:ConnectionString"] = connectionString,
        });
        builder.Services.AddLogging();
        builder.Services.AddBackend(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionString", error.Message);
        Assert.DoesNotContain(Password, error.Message);
    }

    private static PostgresDatabase Database(string connectionString, RecordingLogs logs) =>
        new(Options.Create(new PostgresOptions { ConnectionString = connectionString }), LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));

    /// <summary>Every line logged at any level, with its exception.</summary>
    private sealed class RecordingLogs : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception) + " " + exception);

        public void Dispose()
        {
        }
    }
}
