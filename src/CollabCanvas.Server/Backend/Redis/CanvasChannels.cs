using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// One Redis pub/sub channel per canvas (<c>{prefix}{canvasId}</c>), subscribed only while watched: watches are
/// counted, the first subscribes and the last unsubscribes, so an instance receives only what its rooms need. Each
/// canvas's messages are handled one at a time, in the order Redis delivered them (different canvases in parallel).
/// A subscription that failed (Redis away) is tried again when the connection comes back.
/// </summary>
public sealed class CanvasChannels
{
    private readonly RedisConnection _redis;
    private readonly string _prefix;
    private readonly Action<string, RedisValue> _onMessage;
    private readonly Action<string>? _onSubscribed;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Subscription> _watched = new(StringComparer.Ordinal);

    private sealed class Subscription
    {
        public int Watchers;
        public Task<ChannelMessageQueue?> Queue = null!;
    }

    /// <param name="onMessage">Called with the canvas id and the message; must be thread-safe across canvases.</param>
    /// <param name="onSubscribed">Called with the canvas id once Redis confirmed its subscription: from then on nothing published to it is missed.</param>
    public CanvasChannels(RedisConnection redis, string prefix, Action<string, RedisValue> onMessage, ILogger logger, Action<string>? onSubscribed = null)
    {
        _redis = redis;
        _prefix = prefix;
        _onMessage = onMessage;
        _onSubscribed = onSubscribed;
        _logger = logger;
        redis.Restored += RetryFailed;
    }

    public RedisChannel ChannelOf(string canvasId) => RedisChannel.Literal(_prefix + canvasId);

    /// <summary>Counts a watcher; true when it is the first (this call subscribed).</summary>
    public bool Watch(string canvasId)
    {
        lock (_watched)
        {
            if (_watched.TryGetValue(canvasId, out var subscription))
            {
                subscription.Watchers++;
                return false;
            }
            _watched[canvasId] = new Subscription { Watchers = 1, Queue = SubscribeAsync(canvasId) };
            return true;
        }
    }

    /// <summary>Counts a watcher off; true when it was the last (this call unsubscribed).</summary>
    public bool Unwatch(string canvasId)
    {
        Task<ChannelMessageQueue?> queue;
        lock (_watched)
        {
            if (!_watched.TryGetValue(canvasId, out var subscription) || --subscription.Watchers > 0) return false;
            _watched.Remove(canvasId);
            queue = subscription.Queue;
        }
        _ = UnsubscribeAsync(canvasId, queue);
        return true;
    }

    public bool IsWatched(string canvasId)
    {
        lock (_watched) return _watched.ContainsKey(canvasId);
    }

    private async Task<ChannelMessageQueue?> SubscribeAsync(string canvasId)
    {
        try
        {
            // Never inside the caller's locks: the callbacks below take the receiver's own.
            var queue = await _redis.Subscriber.SubscribeAsync(ChannelOf(canvasId)).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            queue.OnMessage(message => _onMessage(canvasId, message.Message));
            _onSubscribed?.Invoke(canvasId);
            return queue;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "subscribing to Redis channel {Channel} failed; trying again when Redis is back", _prefix + canvasId);
            return null;
        }
    }

    private async Task UnsubscribeAsync(string canvasId, Task<ChannelMessageQueue?> subscribing)
    {
        try
        {
            if (await subscribing is { } queue) await queue.UnsubscribeAsync();
        }
        catch (Exception e)
        {
            // Redis forgets the subscription with the connection; until then, receivers ignore what comes for a canvas they no longer watch.
            _logger.LogWarning(e, "unsubscribing from Redis channel {Channel} failed", _prefix + canvasId);
        }
    }

    private void RetryFailed()
    {
        lock (_watched)
            foreach (var (canvasId, subscription) in _watched)
                if (subscription.Queue is { IsCompleted: true, Result: null })
                    subscription.Queue = SubscribeAsync(canvasId);
    }
}
