using System.Text.Json;
using CollabCanvas.Server.Backend.InMemory;
using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Access changes between instances over one Redis pub/sub channel, <c>collabcanvas:access</c>: publishing sends the
/// change; every instance, this one included, receives it within milliseconds and hands it to its subscribers in the
/// order Redis delivered it (one publisher's changes in the order it published them). Nothing is stored: an instance
/// cut off from Redis misses what was published meanwhile, as it would miss it while stopped.
/// </summary>
public sealed class RedisAccessEventBus(RedisConnection redis, ILogger<RedisAccessEventBus> logger) : IHostedService, IAccessEventBus
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("collabcanvas:access");
    private readonly InProcessAccessEventBus _local = new();
    private ChannelMessageQueue? _queue;

    public async Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default) =>
        await redis.Subscriber.PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(change, RedisJsonContext.Default.AccessChange))
            .WaitAsync(cancellationToken);

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <summary>Subscribed before the host has started: changes published from then on are this instance's to deliver.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _queue = await redis.Subscriber.SubscribeAsync(Channel);
        _queue.OnMessage(message =>
        {
            try
            {
                if (JsonSerializer.Deserialize((byte[])message.Message!, RedisJsonContext.Default.AccessChange) is { } change)
                    return _local.PublishAsync(change);
            }
            catch (JsonException e)
            {
                logger.LogWarning(e, "an access change on Redis could not be read; ignored");
            }
            return Task.CompletedTask;
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null) await _queue.UnsubscribeAsync();
    }
}
