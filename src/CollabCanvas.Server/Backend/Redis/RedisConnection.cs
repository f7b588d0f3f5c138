using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// This instance's one connection to Redis, shared by the commit feed, presence and access changes:
/// StackExchange.Redis multiplexes every publish and subscription over it, reconnects by itself and subscribes again
/// to what was subscribed. Losing Redis later does not stop the instance (what travels over it is best effort or
/// repaired from the database); only at start does the access bus insist on reaching it.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    public RedisConnection(IOptions<RedisOptions> options, IOptions<LogOptions> logOptions, ILogger<RedisConnection> logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration
            ?? throw new InvalidOperationException($"{RedisOptions.Section}:Configuration is not set"));
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "collabcanvas-" + logOptions.Value.InstanceId;
        // Without the password: this is what the logs show.
        var described = configuration.ToString(includePassword: false);
        _multiplexer = ConnectionMultiplexer.Connect(configuration);
        // channelPrefix separates deployments that share one Redis; the few keys get the same prefix.
        var database = _multiplexer.GetDatabase();
        Database = configuration.ChannelPrefix.IsNullOrEmpty ? database : database.WithKeyPrefix(configuration.ChannelPrefix.ToString());
        _multiplexer.ConnectionFailed += (_, e) =>
            logger.LogWarning("Redis {EndPoint} ({ConnectionType}) lost: {FailureType}; reconnecting", e.EndPoint, e.ConnectionType, e.FailureType);
        _multiplexer.ConnectionRestored += (_, e) =>
        {
            logger.LogInformation("Redis {EndPoint} ({ConnectionType}) connected again", e.EndPoint, e.ConnectionType);
            Restored?.Invoke();
        };
        logger.LogInformation("Redis: {Configuration}, {State}", described, _multiplexer.IsConnected ? "connected" : "not reachable yet");
    }

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    public IDatabase Database { get; }

    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>
    /// A connection came back (StackExchange.Redis subscribes again on its own): whatever was published while it was
    /// away is lost to this instance.
    /// </summary>
    public event Action? Restored;

    public void Dispose() => _multiplexer.Dispose();
}
