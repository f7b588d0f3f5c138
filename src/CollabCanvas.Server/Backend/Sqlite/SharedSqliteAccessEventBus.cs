using CollabCanvas.Server.Backend.InMemory;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// Access changes between processes sharing a SQLite file, through the <c>access_events</c> table: publishing appends
/// a row (and deletes rows older than a minute); one poller per process reads the rows after the last it saw every
/// <see cref="PollInterval"/> and hands them to this process's subscribers, its own changes included, but only when a
/// connection committed to the file since the last look (<c>PRAGMA data_version</c>, a shared-memory read): an idle
/// cluster commits a heartbeat every few seconds, so most ticks cost a pragma on a connection kept open, not a query.
/// Five looks a second keep the "within a second" promise with room to spare.
/// </summary>
public sealed class SharedSqliteAccessEventBus(SqliteDatabase database, ILogger<SharedSqliteAccessEventBus> logger)
    : BackgroundService, IAccessEventBus
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);
    private readonly InProcessAccessEventBus _local = new();
    private long _last = -1;

    public async Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO access_events (canvas_id, user_id, session_id, link_id, canvas_name, created_at)
            VALUES ($canvas, $user, $session, $link, $name, $now);
            DELETE FROM access_events WHERE created_at < $old;
            """;
        command.Parameters.AddWithValue("$canvas", (object?)change.CanvasId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)change.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$session", (object?)change.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$link", (object?)change.LinkId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)change.CanvasName ?? DBNull.Value);
        var now = DateTimeOffset.UtcNow;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$old", (now - Keep).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Changes published from the moment this instance starts are its to deliver; older ones are not.
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM access_events";
        _last = (long)command.ExecuteScalar()!;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SqliteConnection? connection = null;
        long? dataVersion = null;
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    connection ??= database.Open();
                    // Publishing commits on its own connection, so this process's changes move the version too.
                    var version = SqliteDatabase.DataVersion(connection);
                    if (version == dataVersion) continue;
                    dataVersion = version;
                    foreach (var (id, change) in await ReadAfterAsync(connection, _last, stoppingToken))
                    {
                        _last = id;
                        await _local.PublishAsync(change, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "reading access changes failed; trying again");
                    connection?.Dispose();
                    connection = null;
                    dataVersion = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static async Task<List<(long Id, AccessChange Change)>> ReadAfterAsync(SqliteConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, canvas_id, user_id, session_id, link_id, canvas_name FROM access_events WHERE id > $id ORDER BY id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<(long, AccessChange)>();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync(cancellationToken)) changes.Add((reader.GetInt64(0), new AccessChange(Text(1), Text(2), Text(3), Text(4), Text(5))));
        return changes;
    }
}
