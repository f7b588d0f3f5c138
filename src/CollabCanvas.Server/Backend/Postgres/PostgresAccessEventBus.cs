using System.Text.Json;
using System.Text.Json.Serialization;
using CollabCanvas.Server.Backend.InMemory;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// Access changes between instances through PostgreSQL (when no Redis is configured): publishing appends the change to
/// <c>access_events</c> and notifies channel <c>collabcanvas_access</c> at commit; every instance, this one included,
/// holds one connection that listens and, when woken (or every 10 s), reads the rows after the last it delivered and
/// hands them to its subscribers in id order, which is commit order (publishers take turns). An instance cut off from
/// PostgreSQL listens again as soon as it can and reads what it missed (rows are kept ten minutes).
/// </summary>
public sealed class PostgresAccessEventBus(PostgresDatabase database, ILogger<PostgresAccessEventBus> logger) : BackgroundService, IAccessEventBus
{
    private const string Channel = "collabcanvas_access";
    /// <summary>How long the listening connection may stay silent before it reads anyway (a dead server is noticed by then).</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly InProcessAccessEventBus _local = new();
    private NpgsqlConnection? _listening;
    /// <summary>The id of the last change delivered (only the listening loop touches it after start).</summary>
    private long _delivered;

    public async Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default)
    {
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("SELECT pg_advisory_xact_lock($1, 0)", PostgresLocks.AccessEvents),
            PostgresCommands.Statement("INSERT INTO access_events (change) VALUES ($1)", JsonSerializer.Serialize(change, PostgresJsonContext.Default.AccessChange)),
            PostgresCommands.Statement("SELECT pg_notify($1, '')", Channel),
            PostgresCommands.Statement("DELETE FROM access_events WHERE created_at < now() - interval '10 minutes'"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <summary>Listening before the host has started: changes published from then on are this instance's to deliver.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _listening = await ListenAsync(cancellationToken);
        await using (var last = _listening.Command("SELECT COALESCE(max(id), 0) FROM access_events"))
            _delivered = (long)(await last.ExecuteScalarAsync(cancellationToken))!;
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = _listening;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (connection is null)
                {
                    connection = await ListenAsync(stoppingToken);
                    await DeliverAsync(connection, stoppingToken); // what was published while this instance was cut off
                }
                await connection.WaitAsync(QuietCheck, stoppingToken);
                await DeliverAsync(connection, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "listening for access changes on PostgreSQL at {Database} failed; listening again in {Delay}", database.Description, Reconnect);
                if (connection is not null) await connection.DisposeAsync();
                connection = null;
                await Task.Delay(Reconnect, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (connection is not null) await connection.DisposeAsync();
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        // Named, so that an operator sees in pg_stat_activity which connection listens.
        await using var listen = connection.Command($"SET application_name = '{Channel}'; LISTEN {Channel}");
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Hands on every change after the last one delivered, in order.</summary>
    private async Task DeliverAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = connection.Command("SELECT id, change FROM access_events WHERE id > $1 ORDER BY id", _delivered);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _delivered = reader.GetInt64(0);
            try
            {
                if (JsonSerializer.Deserialize(reader.GetString(1), PostgresJsonContext.Default.AccessChange) is { } change)
                    await _local.PublishAsync(change, cancellationToken);
            }
            catch (JsonException e)
            {
                logger.LogWarning(e, "access change {Id} in PostgreSQL could not be read; skipped", _delivered);
            }
        }
    }
}

/// <summary>The JSON of the access changes notified through PostgreSQL.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessChange))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
