using System.Text.Json;
using System.Text.Json.Serialization;
using CollabCanvas.Server.Backend.InMemory;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// Access changes between instances over PostgreSQL <c>LISTEN/NOTIFY</c> (when no Redis is configured), on one channel,
/// <c>collabcanvas_access</c>: publishing is a <c>pg_notify</c>; every instance, this one included, holds one connection
/// that listens and hands each change to its subscribers in the order PostgreSQL delivered them (commit order). Nothing
/// is stored: an instance cut off from PostgreSQL misses what was published meanwhile, as it would while stopped; it
/// listens again as soon as it can connect.
/// </summary>
public sealed class PostgresAccessEventBus(PostgresDatabase database, ILogger<PostgresAccessEventBus> logger) : BackgroundService, IAccessEventBus
{
    private const string Channel = "collabcanvas_access";
    /// <summary>How long the listening connection may stay silent before it is checked (a dead server is noticed by then).</summary>
    private static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly InProcessAccessEventBus _local = new();
    private NpgsqlConnection? _listening;

    public async Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT pg_notify($1, $2)",
            Channel, JsonSerializer.Serialize(change, PostgresJsonContext.Default.AccessChange));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <summary>Listening before the host has started: changes published from then on are this instance's to deliver.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _listening = await ListenAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = _listening;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                connection ??= await ListenAsync(stoppingToken);
                if (!await connection.WaitAsync(QuietCheck, stoppingToken))
                {
                    await using var check = connection.Command("SELECT 1");
                    await check.ExecuteNonQueryAsync(stoppingToken);
                }
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
        connection.Notification += (_, notification) => Receive(notification.Payload);
        // Named, so that an operator sees in pg_stat_activity which connection listens.
        await using var listen = connection.Command($"SET application_name = '{Channel}'; LISTEN {Channel}");
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private void Receive(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize(payload, PostgresJsonContext.Default.AccessChange) is { } change) _local.PublishAsync(change);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "an access change notified by PostgreSQL could not be read; ignored");
        }
    }
}

/// <summary>The JSON of the access changes notified through PostgreSQL.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessChange))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
