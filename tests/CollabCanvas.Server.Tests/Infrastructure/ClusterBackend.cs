using Microsoft.Data.Sqlite;
using Npgsql;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// What the server processes of a cluster test share: one SQLite file (<c>SharedSqlite</c>), or a fresh database of
/// a PostgreSQL server with a Redis server for the fast path between instances (<c>PostgresRedis</c>; by default the
/// run's servers, or servers of the test's own when it stops or restarts them), or such a database without Redis
/// (<c>Postgres</c>: LISTEN/NOTIFY between the instances). Disposing it drops the database.
/// </summary>
public sealed class ClusterBackend : IAsyncDisposable
{
    public const string SharedSqlite = nameof(SharedSqlite);
    public const string PostgresRedis = nameof(PostgresRedis);
    public const string Postgres = nameof(Postgres);

    private static readonly (string, string)[] Limits =
    [
        ("Realtime:BatchesPerSecond", "5000"), ("Realtime:BatchBurst", "5000"), ("Realtime:MessagesPerSecond", "10000"),
    ];

    private readonly PostgresServer? _postgresServer;
    private readonly string? _postgres;

    private ClusterBackend(string name, string dataDirectory, (string, string)[] settings, PostgresServer? postgresServer, string? postgres)
    {
        Name = name;
        DataDirectory = dataDirectory;
        Settings = settings;
        _postgresServer = postgresServer;
        _postgres = postgres;
    }

    /// <summary>Every backend that the multi-instance tests run on.</summary>
    public static TheoryData<string> All => [SharedSqlite, PostgresRedis];

    public string Name { get; }

    /// <summary>The data directory every instance is given (the SQLite file on SharedSqlite; keys on both).</summary>
    public string DataDirectory { get; }

    /// <summary>
    /// The settings that point a server process at this backend, with rate limits far above what the tests send (they
    /// write faster than people).
    /// </summary>
    public (string Key, string Value)[] Settings { get; }

    /// <summary>Starts <paramref name="count"/> instances at once; if one fails, stops those that started.</summary>
    public async Task<List<ServerProcess>> StartInstancesAsync(int count, params (string, string)[] extra)
    {
        var starting = Enumerable.Range(0, count).Select(_ => ServerProcess.StartAsync(DataDirectory, [.. Settings, .. extra])).ToArray();
        try
        {
            return [.. await Task.WhenAll(starting)];
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            throw;
        }
    }

    /// <param name="postgres">A server of the test's own (PostgresRedis, Postgres); null: the run's.</param>
    /// <param name="redis">A server of the test's own (PostgresRedis only); null: the run's.</param>
    public static async Task<ClusterBackend> StartAsync(string name, PostgresServer? postgres = null, RedisServer? redis = null)
    {
        var data = Directory.CreateTempSubdirectory("collabcanvas-cluster-").FullName;
        switch (name)
        {
            case SharedSqlite:
                return new ClusterBackend(name, data, [("Backend:Provider", "SharedSqlite"), .. Limits], null, null);
            case PostgresRedis:
                postgres ??= await PostgresServer.Instance;
                redis ??= await RedisServer.SharedAsync();
                var database = await postgres.CreateDatabaseAsync();
                return new ClusterBackend(name, data,
                [
                    ("Backend:Provider", "Postgres"), ("Backend:Postgres:ConnectionString", database),
                    // A channel prefix of its own: other deployments of the run share this Redis.
                    ("Backend:Redis:Configuration", $"{redis.Configuration},channelPrefix={RedisChannelPrefix(data)}"), .. Limits,
                ], postgres, database);
            case Postgres:
                postgres ??= await PostgresServer.Instance;
                var alone = await postgres.CreateDatabaseAsync();
                return new ClusterBackend(name, data, [("Backend:Provider", "Postgres"), ("Backend:Postgres:ConnectionString", alone), .. Limits], postgres, alone);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such cluster backend");
        }
    }

    /// <summary>What the instances put before their Redis channels' names (PostgresRedis).</summary>
    public string RedisChannelPrefix() => RedisChannelPrefix(DataDirectory);

    private static string RedisChannelPrefix(string dataDirectory) => Path.GetFileName(dataDirectory) + ":";

    /// <summary>
    /// How many batches of <paramref name="clientId"/> the log holds on <paramref name="canvasId"/>, and how many
    /// distinct refs among them: equal when no resend was applied twice.
    /// </summary>
    public async Task<(long Batches, long DistinctRefs)> BatchesOfClientAsync(string canvasId, string clientId)
    {
        if (_postgres is null)
        {
            await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "collabcanvas.db")}");
            await sqlite.OpenAsync();
            await using var count = sqlite.CreateCommand();
            count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT ref) FROM message_queue WHERE canvas_id = $canvas AND client_id = $client";
            count.Parameters.AddWithValue("$canvas", canvasId);
            count.Parameters.AddWithValue("$client", clientId);
            await using var reader = await count.ExecuteReaderAsync();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        await using var connection = new NpgsqlConnection(_postgres);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT COUNT(*), COUNT(DISTINCT ref) FROM canvas_log WHERE canvas_id = $1 AND client_id = $2", connection)
        {
            Parameters = { new() { Value = canvasId }, new() { Value = clientId } },
        };
        await using var rows = await query.ExecuteReaderAsync();
        rows.Read();
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgresServer!.DropDatabaseAsync(_postgres);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder: nothing in it matters.
        }
    }
}
