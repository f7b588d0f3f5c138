using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The commit feed over PostgreSQL <c>LISTEN/NOTIFY</c>, for deployments without Redis. A notice carries canvas and seq
/// only (the receiver reads the batches, slower than Redis but as correct). Publishing is coalesced: one NOTIFY per
/// canvas with its newest seq for everything committed while the previous NOTIFY was on its way, since the receiver
/// reads every batch it is missing anyway. One channel for all canvases; a receiver drops what it does not watch.
/// The listening connection is opened again after a failure, and a <see cref="CommitNotice.Resubscribed"/> notice then
/// makes the log read every watched canvas.
/// </summary>
public sealed class PostgresNotifyCommitFeed : ICommitFeed, IHostedService, IAsyncDisposable, IDisposable
{
    internal const string ChannelName = "collabcanvas_log";
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly PostgresDatabase _database;
    private readonly ILogger<PostgresNotifyCommitFeed> _logger;
    private readonly ConcurrentDictionary<string, int> _subscribed = new(StringComparer.Ordinal);
    private readonly Channel<CommitNotice> _notices = Channel.CreateUnbounded<CommitNotice>(new UnboundedChannelOptions { SingleWriter = true });
    /// <summary>The newest committed seq per canvas, not published yet.</summary>
    private readonly ConcurrentDictionary<string, long> _unpublished = new(StringComparer.Ordinal);
    private readonly Channel<bool> _publishWake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task _listenLoop = Task.CompletedTask;
    private Task _publishLoop = Task.CompletedTask;

    public PostgresNotifyCommitFeed(PostgresDatabase database, ILogger<PostgresNotifyCommitFeed> logger)
    {
        _database = database;
        _logger = logger;
    }

    public ChannelReader<CommitNotice> Notices => _notices.Reader;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listenLoop = Task.Run(ListenLoopAsync);
        _publishLoop = Task.Run(PublishLoopAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Publish(LogRecord record)
    {
        _unpublished.AddOrUpdate(record.CanvasId, static (_, seq) => seq, static (_, newest, seq) => Math.Max(newest, seq), record.Seq);
        _publishWake.Writer.TryWrite(true);
    }

    public void Subscribe(string canvasId) => _subscribed.AddOrUpdate(canvasId, 1, static (_, count) => count + 1);

    public void Unsubscribe(string canvasId)
    {
        while (_subscribed.TryGetValue(canvasId, out var count))
        {
            if (count == 1 ? _subscribed.TryRemove(KeyValuePair.Create(canvasId, 1)) : _subscribed.TryUpdate(canvasId, count - 1, count)) return;
        }
    }

    private async Task PublishLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            while (await _publishWake.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                _publishWake.Reader.TryRead(out _);
                var pending = _unpublished.ToArray();
                foreach (var entry in pending) _unpublished.TryRemove(entry); // a newer seq meanwhile stays for the next round
                if (pending.Length == 0) continue;
                var publishedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                try
                {
                    await using var connection = await _database.OpenAsync(token).ConfigureAwait(false);
                    await using var notify = new NpgsqlCommand($"SELECT pg_notify('{ChannelName}', payload) FROM unnest($1::text[]) AS payload", connection)
                    {
                        Parameters = { new() { Value = pending.Select(p => $"{p.Value.ToString(CultureInfo.InvariantCulture)} {publishedAt} {p.Key}").ToArray() } },
                    };
                    await notify.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Best effort: the receivers' safety check finds these commits.
                    CanvasMetrics.FeedPublishFailures.Add(pending.Length);
                    _logger.LogWarning(e, "could not publish {Count} commit notices", pending.Length);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task ListenLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenAsync(token).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                // Whatever was published before now (at start, or while the connection was down) may be missed.
                _notices.Writer.TryWrite(CommitNotice.Resubscribed);
                while (true)
                {
                    // Quiet for a while: make sure the connection is alive, or the next failure would go unnoticed.
                    if (await connection.WaitAsync(PingInterval, token).ConfigureAwait(false)) continue;
                    await using var ping = new NpgsqlCommand("SELECT 1", connection);
                    await ping.ExecuteScalarAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "listening for commit notices failed; connecting again in a second");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        _notices.Writer.TryComplete();
    }

    /// <summary>Payload: <c>seq publishedAtUnixMilliseconds canvasId</c>.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        var payload = notification.Payload.AsSpan();
        var firstSpace = payload.IndexOf(' ');
        var secondSpace = firstSpace < 0 ? -1 : payload[(firstSpace + 1)..].IndexOf(' ') + firstSpace + 1;
        if (secondSpace <= firstSpace
            || !long.TryParse(payload[..firstSpace], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || !long.TryParse(payload[(firstSpace + 1)..secondSpace], NumberStyles.None, CultureInfo.InvariantCulture, out var publishedAt))
        {
            _logger.LogWarning("ignoring a malformed commit notice");
            return;
        }
        var canvasId = notification.Payload[(secondSpace + 1)..];
        if (_subscribed.ContainsKey(canvasId)) _notices.Writer.TryWrite(new CommitNotice(canvasId, seq, null, publishedAt));
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_listenLoop, _publishLoop).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
