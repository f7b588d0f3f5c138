using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Presence between instances over Redis pub/sub, one channel per canvas (<c>collabcanvas:presence:{canvasId}</c>),
/// subscribed while this instance has sessions on it (coalescing, refresh and expiry: <see cref="CoalescedPresenceBus"/>).
/// The others are asked for theirs once Redis confirmed a subscription, and again after Redis was away.
/// </summary>
public sealed class RedisPresenceBus : CoalescedPresenceBus
{
    private const string Prefix = "collabcanvas:presence:";

    private readonly CanvasChannels _channels;
    private readonly RedisConnection _redis;

    public RedisPresenceBus(RedisConnection redis, IOptions<LogOptions> options, ILogger<RedisPresenceBus> logger) : base(options, logger)
    {
        _redis = redis;
        _channels = new CanvasChannels(redis, Prefix, Receive, logger, onSubscribed: Receiving);
        redis.Restored += ReceivingAgain;
    }

    protected override void StartReceiving(string canvasId) => _channels.Watch(canvasId);

    protected override void StopReceiving(string canvasId) => _channels.Unwatch(canvasId);

    protected override Task SendAsync(IReadOnlyList<(string CanvasId, InstancePresence Message)> messages, CancellationToken cancellationToken)
    {
        var subscriber = _redis.Subscriber;
        foreach (var (canvasId, message) in messages)
            subscriber.Publish(_channels.ChannelOf(canvasId), Serialize(message), CommandFlags.FireAndForget);
        return Task.CompletedTask;
    }

    private void Receive(string canvasId, RedisValue payload)
    {
        if (Deserialize(canvasId, (byte[])payload!) is { } message) Receive(canvasId, message);
    }
}
