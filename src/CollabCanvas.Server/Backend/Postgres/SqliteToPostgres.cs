using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Text;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// <c>migrate-to-postgres</c>: moves an existing SQLite installation into an empty PostgreSQL database, the only code
/// that knows both schemas (docs/deployment.md, "Moving from SQLite"). One table list drives a generic column copy:
/// columns match by name and each value is converted to its target column's type (unix milliseconds to timestamptz,
/// 0/1 to boolean), so a column the target lacks fails the move instead of being dropped. Everything is written in one
/// PostgreSQL transaction, counted against the source before it commits; a target that holds any row is refused.
/// The log keeps its exact seqs (SQLite's are global, so each canvas's are sparse), so clients' <c>since</c> stays valid
/// and a canvas's next batch gets its old head + 1.
/// </summary>
public static class SqliteToPostgres
{
    public const string Command = "migrate-to-postgres";

    /// <summary>
    /// What moves, in an order that satisfies the foreign keys; each source is read in insertion order (rowid), so
    /// identity columns number the rows as they were made. Not moved: what only processes sharing one SQLite file use
    /// (instances, leases, presence, access_events); between hosts it travels over Redis or LISTEN/NOTIFY, unstored.
    /// </summary>
    private static readonly TableCopy[] Tables =
    [
        new("users"),
        new("user_identities"),
        new("auth_sessions"),
        new("ws_tickets"),
        new("login_failures"),
        new("canvases"),
        new("canvas_members"),
        new("canvas_invitations"),
        new("share_links"),
        new("canvas_log", "SELECT seq, canvas_id, client_id, ref, actor, ops, created_at FROM message_queue ORDER BY seq"),
        new("canvas_snapshots", "SELECT canvas_id, seq, objects, updated_at FROM canvas_states ORDER BY rowid"),
        // The last seq each canvas handed out (a snapshot may be all that is left of a pruned log) and its cleanup mark.
        new("canvas_heads", """
            SELECT canvas_id, max(seq) AS seq, max(pruned_seq) AS pruned_seq FROM (
                SELECT canvas_id, seq, 0 AS pruned_seq FROM message_queue
                UNION ALL SELECT canvas_id, seq, pruned_seq FROM canvas_states)
            GROUP BY canvas_id ORDER BY canvas_id
            """),
        new("canvas_checkpoints"),
        new("canvas_versions"),
        new("canvas_history_settings"),
        new("ai_commands"),
        new("ai_previews"),
    ];

    private const string Usage = $"""
        usage: CollabCanvas.Server {Command} [--from <data directory>] [--to <PostgreSQL connection string>]
          --from  the SQLite installation's data directory (or its collabcanvas.db); default CollabCanvas:DataDirectory
          --to    an Npgsql connection string; default CollabCanvas:Backend:Postgres:ConnectionString (prefer the
                  environment, CollabCanvas__Backend__Postgres__ConnectionString: a command line is visible to every user)
        Stop every instance first. The target database must hold no CollabCanvas rows (its schema is created if missing).
        """;

    /// <summary>Runs the command with the arguments after its name; returns the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Npgsql", LogLevel.Warning));
        var logger = loggerFactory.CreateLogger(typeof(SqliteToPostgres));
        if (!TryParse(args, configuration, out var storage, out var postgres, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            var moved = await MoveAsync(storage, postgres, loggerFactory);
            Console.WriteLine($"moved {storage.DatabasePath} to PostgreSQL in one transaction:");
            foreach (var (table, rows) in moved) Console.WriteLine($"  {table,-20} {rows,10} rows");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or SqliteException)
        {
            logger.LogError("nothing was moved: {Reason}", e.Message);
            return 1;
        }
    }

    /// <summary>
    /// Brings the SQLite file's schema up to date (as a server start would) and PostgreSQL's, then copies every table.
    /// Returns the rows moved per target table.
    /// </summary>
    public static async Task<IReadOnlyList<(string Table, long Rows)>> MoveAsync(StorageOptions storage, PostgresOptions postgres,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(storage.DatabasePath)) throw new InvalidOperationException($"there is no SQLite database at {storage.DatabasePath}");
        var sqlite = new SqliteDatabase(Options.Create(storage), loggerFactory.CreateLogger<SqliteDatabase>());
        sqlite.Migrate();
        using var target = new PostgresDatabase(Options.Create(postgres), loggerFactory);
        target.Migrate();

        var elapsed = Stopwatch.StartNew();
        await using var source = sqlite.Open();
        // One read transaction: every table is read from the same moment of the file.
        await using var reading = (SqliteTransaction)await source.BeginTransactionAsync(cancellationToken);
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var writing = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", Tables.Select(t => t.Target))} IN EXCLUSIVE MODE", cancellationToken);
        var occupied = new List<string>();
        foreach (var table in Tables)
            if (await ScalarAsync<bool>(connection, $"SELECT EXISTS (SELECT 1 FROM {table.Target})", cancellationToken)) occupied.Add(table.Target);
        if (occupied.Count > 0)
            throw new InvalidOperationException($"the PostgreSQL database at {target.Description} is not empty ({string.Join(", ", occupied)} hold rows)");

        var moved = new List<(string, long)>();
        foreach (var table in Tables)
        {
            var rows = await CopyAsync(table, source, reading, connection, cancellationToken);
            var counted = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table.Target}", cancellationToken);
            if (counted != rows) throw new InvalidOperationException($"{table.Target}: read {rows} rows from SQLite but PostgreSQL holds {counted}");
            await RestartIdentitiesAsync(connection, table.Target, cancellationToken);
            moved.Add((table.Target, rows));
        }
        await writing.CommitAsync(cancellationToken);
        loggerFactory.CreateLogger(typeof(SqliteToPostgres)).LogInformation("moved {Rows} rows from {Source} to {Target} in {Elapsed} ms",
            moved.Sum(m => m.Item2), storage.DatabasePath, target.Description, elapsed.ElapsedMilliseconds);
        return moved;
    }

    /// <summary>Streams the source rows into the target table with COPY; returns how many there were.</summary>
    private static async Task<long> CopyAsync(TableCopy table, SqliteConnection source, SqliteTransaction reading, NpgsqlConnection target,
        CancellationToken cancellationToken)
    {
        var targetColumns = await TargetColumnsAsync(target, table.Target, cancellationToken);
        await using var read = source.CreateCommand();
        read.Transaction = reading;
        read.CommandText = table.SourceQuery;
        await using var rows = await read.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, rows.FieldCount).Select(i => rows.GetName(i)).Select(name => targetColumns.TryGetValue(name, out var type)
            ? (Name: name, Type: type)
            : throw new InvalidOperationException($"{table.Target} has no column {name}: this build cannot move this SQLite file")).ToArray();

        await using var copy = await target.BeginBinaryImportAsync(
            $"COPY {table.Target} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long count = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            await copy.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Length; i++)
            {
                var value = rows.GetValue(i);
                if (value is DBNull) await copy.WriteNullAsync(cancellationToken);
                else await copy.WriteAsync(Convert(value, columns[i].Type, table.Target, columns[i].Name), columns[i].Type, cancellationToken);
            }
            count++;
        }
        await copy.CompleteAsync(cancellationToken);
        return count;
    }

    /// <summary>The target's columns by name, with the types the copy writes them as.</summary>
    private static async Task<Dictionary<string, NpgsqlDbType>> TargetColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, NpgsqlDbType>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = reader.GetString(1) switch
            {
                "text" => NpgsqlDbType.Text,
                "int8" => NpgsqlDbType.Bigint,
                "int4" => NpgsqlDbType.Integer,
                "bool" => NpgsqlDbType.Boolean,
                "bytea" => NpgsqlDbType.Bytea,
                "numeric" => NpgsqlDbType.Numeric,
                "float8" => NpgsqlDbType.Double,
                "timestamptz" => NpgsqlDbType.TimestampTz,
                var other => throw new InvalidOperationException($"{table}.{reader.GetString(0)} is of type {other}, which the move does not know"),
            };
        }
        if (columns.Count == 0) throw new InvalidOperationException($"the PostgreSQL schema has no table {table}");
        return columns;
    }

    /// <summary>A SQLite value (long, double, string or bytes) as its target column's type; times are unix milliseconds in SQLite.</summary>
    private static object Convert(object value, NpgsqlDbType type, string table, string column) => (value, type) switch
    {
        (long milliseconds, NpgsqlDbType.TimestampTz) => DateTime.UnixEpoch.AddMilliseconds(milliseconds),
        (long flag, NpgsqlDbType.Boolean) => flag != 0,
        (long number, NpgsqlDbType.Integer) => checked((int)number),
        (long number, NpgsqlDbType.Numeric) => (decimal)number,
        (double number, NpgsqlDbType.Numeric) => (decimal)number,
        (long number, NpgsqlDbType.Double) => (double)number,
        (string text, NpgsqlDbType.Bytea) => Encoding.UTF8.GetBytes(text),
        (long, NpgsqlDbType.Bigint) or (string, NpgsqlDbType.Text) or (byte[], NpgsqlDbType.Bytea) => value,
        _ => throw new InvalidOperationException($"{table}.{column}: cannot move a {value.GetType().Name} into {type}"),
    };

    /// <summary>Identity columns given their values by the copy continue after the largest, not from 1.</summary>
    private static async Task RestartIdentitiesAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var identities = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'", connection)
        {
            Parameters = { new() { Value = table } },
        };
        var columns = new List<string>();
        await using (var reader = await identities.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) columns.Add(reader.GetString(0));
        foreach (var column in columns)
            await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), max({column})) FROM {table}", cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static bool TryParse(string[] args, IConfiguration configuration, out StorageOptions storage, out PostgresOptions postgres, out string error)
    {
        storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        error = "";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || args[i] is not ("--from" or "--to"))
            {
                error = $"unexpected argument {args[i]}";
                return false;
            }
            if (args[i] == "--to") postgres.ConnectionString = args[i + 1];
            else storage.DataDirectory = File.Exists(args[i + 1]) && Path.GetFileName(args[i + 1]) == Path.GetFileName(storage.DatabasePath)
                ? Path.GetDirectoryName(Path.GetFullPath(args[i + 1]))!
                : args[i + 1];
        }
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(postgres, new ValidationContext(postgres), problems, validateAllProperties: true))
        {
            error = "the PostgreSQL connection string: " + string.Join("; ", problems.Select(p => p.ErrorMessage));
            return false;
        }
        return true;
    }

    /// <summary>A target table and the SQLite query whose columns, by name, fill it (by default the same-named table, in insertion order).</summary>
    private sealed record TableCopy(string Target, string? Query = null)
    {
        public string SourceQuery => Query ?? $"SELECT * FROM {Target} ORDER BY rowid";
    }
}
