using DbUp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>Opens connections to the one SQLite file, in WAL mode, and brings its schema up to date.</summary>
public sealed class SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase> logger)
{
    private readonly StorageOptions _options = options.Value;

    public string DatabasePath => _options.DatabasePath;

    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = _options.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // Per connection. busy_timeout: writers from other connections (or processes) wait for the lock instead of failing.
        pragmas.CommandText = $"PRAGMA synchronous={_options.Synchronous}; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Changes when another connection (of any process) committed to the file since this one last asked; this
    /// connection's own commits do not count. No I/O: a look into shared memory.
    /// </summary>
    public static long DataVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }

    public void Migrate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_options.DatabasePath)!);
        // Several processes may start at once on one file: one migrates, the others wait for it (an OS file lock).
        using var migrationLock = AcquireMigrationLock();
        using (var connection = Open())
        using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the file: set once, it holds for every later connection.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }
        var result = DeployChanges.To
            .SqliteDatabase(ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SqliteDatabase).Assembly, name => name.Contains(".Migrations.sqlite."))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build()
            .PerformUpgrade();
        if (!result.Successful) throw new InvalidOperationException($"database migration failed: {result.Error.Message}", result.Error);
    }

    private FileStream AcquireMigrationLock()
    {
        var path = _options.DatabasePath + ".migrate.lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(50);
            }
        }
    }
}
