using System.Text;
using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// Presence between instances over PostgreSQL <c>NOTIFY</c>, for deployments without Redis (coalescing, refresh and
/// expiry: <see cref="CoalescedPresenceBus"/>). Nothing is stored: a notification carries one tick's presence of an
/// instance on one canvas (<c>{canvasId} {json}</c>) on the one channel <c>collabcanvas_presence</c>, and a receiver
/// drops the canvases it has no session on. A notification must stay under 8,000 bytes, so a tick's message for a
/// canvas that does not fit is split over several, and a single peer whose selection alone does not fit goes with as
/// much of its selection as fits (its own instance still shows all of it). Each instance holds one listening
/// connection; after it was lost, the others are asked for theirs again.
/// </summary>
public sealed class PostgresPresenceBus : CoalescedPresenceBus
{
    internal const string Channel = "collabcanvas_presence";
    /// <summary>PostgreSQL's limit on a notification's payload (in its default build), which must be shorter.</summary>
    internal const int PayloadLimit = 8_000;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly PostgresDatabase _database;
    private readonly ILogger<PostgresPresenceBus> _logger;
    /// <summary>Whether the listening connection is up: a canvas is received from the moment its first session comes.</summary>
    private volatile bool _listening;

    public PostgresPresenceBus(PostgresDatabase database, IOptions<LogOptions> options, ILogger<PostgresPresenceBus> logger) : base(options, logger)
    {
        _database = database;
        _logger = logger;
    }

    /// <summary>The one channel carries every canvas: nothing to subscribe, only the others to ask.</summary>
    protected override void StartReceiving(string canvasId)
    {
        if (_listening) Receiving(canvasId);
    }

    protected override void StopReceiving(string canvasId)
    {
    }

    protected override async Task SendAsync(IReadOnlyList<(string CanvasId, InstancePresence Message)> messages, CancellationToken cancellationToken)
    {
        var payloads = messages.SelectMany(m => Payloads(m.CanvasId, m.Message)).ToList();
        await using var notify = _database.DataSource.Command("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", Channel, payloads);
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The message as notifications under <see cref="PayloadLimit"/>; only the first one asks.</summary>
    internal IEnumerable<string> Payloads(string canvasId, InstancePresence message)
    {
        var json = Serialize(message);
        if (Encoding.UTF8.GetByteCount(canvasId) + 1 + json.Length < PayloadLimit)
        {
            yield return canvasId + " " + Encoding.UTF8.GetString(json);
            yield break;
        }
        IEnumerable<InstancePresence> parts;
        if (message.Peers.Length > 0 && message.Left.Length > 0)
            parts = [message with { Left = [] }, message with { Ask = false, Peers = [] }];
        else if (message.Peers.Length > 1 || message.Left.Length > 1)
        {
            int peers = message.Peers.Length / 2, left = message.Left.Length / 2;
            parts =
            [
                message with { Peers = message.Peers[..peers], Left = message.Left[..left] },
                message with { Ask = false, Peers = message.Peers[peers..], Left = message.Left[left..] },
            ];
        }
        else if (message.Peers is [{ Selection.Length: > 0 } peer])
            parts = [message with { Peers = [peer with { Selection = peer.Selection[..(peer.Selection.Length / 2)] }] }];
        else
        {
            _logger.LogWarning("presence of session {Session} on canvas {Canvas} does not fit in a notification; not sent",
                message.Peers.Select(p => p.Session).Concat(message.Left).FirstOrDefault(), canvasId);
            yield break;
        }
        foreach (var part in parts)
            foreach (var payload in Payloads(canvasId, part))
                yield return payload;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(base.ExecuteAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenAsync(stoppingToken);
                connection.Notification += OnNotification;
                // Named, so that an operator sees in pg_stat_activity which connection listens.
                await using (var listen = connection.Command($"SET application_name = '{Channel}'; LISTEN {Channel}"))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                _listening = true;
                ReceivingAgain();
                while (true)
                {
                    // Quiet for a while: make sure the connection is alive, or its loss would go unnoticed.
                    if (await connection.WaitAsync(PingInterval, stoppingToken)) continue;
                    await using var ping = connection.Command("SELECT 1");
                    await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _listening = false;
                _logger.LogWarning(e, "listening for presence on PostgreSQL at {Database} failed; listening again in {Delay}", _database.Description, Reconnect);
                try
                {
                    await Task.Delay(Reconnect, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        var space = notification.Payload.IndexOf(' ');
        if (space <= 0)
        {
            _logger.LogWarning("ignoring a malformed presence notification");
            return;
        }
        var canvasId = notification.Payload[..space];
        if (Deserialize(canvasId, Encoding.UTF8.GetBytes(notification.Payload, space + 1, notification.Payload.Length - space - 1)) is { } message)
            Receive(canvasId, message);
    }
}
