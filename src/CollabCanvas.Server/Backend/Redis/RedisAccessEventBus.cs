using System.Text.Json;
using CollabCanvas.Server.Backend.InMemory;
using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Access changes between instances through Redis: publishing appends the change to the stream
/// <c>collabcanvas:access</c> (the newest <see cref="Keep"/> are kept) and wakes every instance over the pub/sub channel
/// of the same name; an instance woken reads the stream after the last entry it delivered and hands the changes to its
/// subscribers, its own included, in stream order. A revocation must not be lost to a moment without Redis: a wake-up
/// missed while cut off is made up when the connection comes back (the stream still holds the change), and publishing
/// while Redis is away fails for the caller to see instead of vanishing.
/// </summary>
public sealed class RedisAccessEventBus(RedisConnection redis, ILogger<RedisAccessEventBus> logger) : BackgroundService, IAccessEventBus
{
    private static readonly RedisKey Stream = "collabcanvas:access";
    private static readonly RedisChannel Wake = RedisChannel.Literal("collabcanvas:access");
    private const string Field = "change";
    private const int Keep = 10_000;
    private const int ReadAtOnce = 500;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly InProcessAccessEventBus _local = new();
    private readonly SemaphoreSlim _woken = new(0, 1);
    private ChannelMessageQueue? _wakes;
    /// <summary>The stream id of the last change delivered here.</summary>
    private RedisValue _last;

    public async Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(change, RedisJsonContext.Default.AccessChange);
        await redis.Database.StreamAddAsync(Stream, Field, json, maxLength: Keep, useApproximateMaxLength: true).WaitAsync(cancellationToken);
        await redis.Subscriber.PublishAsync(Wake, RedisValue.EmptyString).WaitAsync(cancellationToken);
    }

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <summary>
    /// Before the host has started: listening for wake-ups, then the stream's newest entry as the starting point, so
    /// that a change published from then on is delivered (one a moment before may be too).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _wakes = await redis.Subscriber.SubscribeAsync(Wake);
        _wakes.OnMessage(_ => WakeUp());
        var newest = await redis.Database.StreamRangeAsync(Stream, "-", "+", count: 1, messageOrder: Order.Descending);
        _last = newest.Length > 0 ? newest[0].Id : "0-0";
        redis.Restored += WakeUp;
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.Restored -= WakeUp;
        if (_wakes is not null) await _wakes.UnsubscribeAsync();
        await base.StopAsync(cancellationToken);
    }

    private void WakeUp()
    {
        lock (_woken)
            if (_woken.CurrentCount == 0) _woken.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await _woken.WaitAsync(stoppingToken);
            try
            {
                await DeliverNewAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "reading access changes from Redis failed; trying again");
                await Task.Delay(RetryAfter, stoppingToken);
                WakeUp();
            }
        }
    }

    private async Task DeliverNewAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // "(" makes the range exclusive of the entry already delivered.
            var entries = await redis.Database.StreamRangeAsync(Stream, "(" + _last, "+", count: ReadAtOnce);
            foreach (var entry in entries)
            {
                _last = entry.Id;
                if (Read(entry) is { } change) await _local.PublishAsync(change, cancellationToken);
            }
            if (entries.Length < ReadAtOnce) return;
        }
    }

    private AccessChange? Read(StreamEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])entry[Field]!, RedisJsonContext.Default.AccessChange);
        }
        catch (Exception e) when (e is JsonException or ArgumentNullException)
        {
            logger.LogWarning(e, "access change {Id} in Redis could not be read; skipped", entry.Id);
            return null;
        }
    }
}
