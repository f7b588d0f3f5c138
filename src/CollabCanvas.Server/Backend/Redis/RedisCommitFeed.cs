using System.Text;
using System.Threading.Channels;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Observability;
using StackExchange.Redis;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Committed batches between instances over Redis pub/sub, one channel per canvas (<c>collabcanvas:commits:{canvasId}</c>),
/// subscribed while the log watches the canvas. A message carries the whole batch, so a receiver that is not
/// behind needs no read (<see cref="Encode"/>). Publishing never waits: StackExchange.Redis queues the message on its connection
/// (and holds it while reconnecting) and a failure is counted. When a connection comes back the feed says
/// <see cref="CommitNotice.Resubscribed"/>: what was published meanwhile is gone, and the log reads it from storage.
/// </summary>
public sealed class RedisCommitFeed : ICommitFeed
{
    private const string Prefix = "collabcanvas:commits:";
    /// <summary>The first byte of every message: a later format gets another, and an old reader ignores it.</summary>
    private const byte FormatVersion = 1;

    private readonly RedisConnection _redis;
    private readonly CanvasChannels _channels;
    private readonly ILogger<RedisCommitFeed> _logger;
    private readonly Channel<CommitNotice> _notices = Channel.CreateUnbounded<CommitNotice>(new() { SingleReader = true });

    public RedisCommitFeed(RedisConnection redis, ILogger<RedisCommitFeed> logger)
    {
        _redis = redis;
        _logger = logger;
        _channels = new CanvasChannels(redis, Prefix, Receive, logger);
        redis.Restored += () => _ = AnnounceResubscribedAsync();
    }

    public ChannelReader<CommitNotice> Notices => _notices.Reader;

    public void Subscribe(string canvasId) => _channels.Watch(canvasId);

    public void Unsubscribe(string canvasId) => _channels.Unwatch(canvasId);

    public void Publish(LogRecord record)
    {
        var payload = Encode(record, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        CanvasMetrics.FeedMessages.Add(1, new KeyValuePair<string, object?>("direction", "published"));
        _redis.Subscriber.PublishAsync(_channels.ChannelOf(record.CanvasId), payload).ContinueWith(failed =>
        {
            CanvasMetrics.FeedPublishFailures.Add(1);
            _logger.LogWarning(failed.Exception?.GetBaseException(), "publishing seq {Seq} of canvas {Canvas} to Redis failed; the others read it from storage",
                record.Seq, record.CanvasId);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Receive(string canvasId, RedisValue payload)
    {
        if (Decode(canvasId, (byte[])payload!) is not { } notice)
        {
            _logger.LogWarning("a commit message on canvas {Canvas} is not in a format this version reads; ignored (the log repairs from storage)", canvasId);
            return;
        }
        CanvasMetrics.FeedMessages.Add(1, new KeyValuePair<string, object?>("direction", "received"));
        _notices.Writer.TryWrite(notice);
    }

    /// <summary>
    /// After StackExchange.Redis subscribed again: a PING on the subscription connection is answered after the
    /// subscriptions sent before it, so the log's repair starts once nothing new can be missed.
    /// </summary>
    private async Task AnnounceResubscribedAsync()
    {
        try
        {
            await _redis.Subscriber.PingAsync();
        }
        catch (Exception e)
        {
            // Lost again already: the next reconnect announces itself.
            _logger.LogDebug(e, "Redis went away again before the feed could confirm its subscriptions");
            return;
        }
        _notices.Writer.TryWrite(CommitNotice.Resubscribed);
    }

    /// <summary>
    /// Version, seq, publish time, actor, client, ref (<see cref="BinaryWriter"/>'s little-endian longs and
    /// length-prefixed UTF-8), then the ops' JSON to the end. The canvas is the channel's name.
    /// </summary>
    internal static byte[] Encode(LogRecord record, long publishedAtUnixMilliseconds)
    {
        using var buffer = new MemoryStream(64 + record.OpsJson.Length);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(record.Seq);
            writer.Write(publishedAtUnixMilliseconds);
            writer.Write(record.Actor);
            writer.Write(record.ClientId);
            writer.Write(record.Ref);
            writer.Write(record.OpsJson);
        }
        return buffer.ToArray();
    }

    /// <summary>The notice a message carries; null when it is not one this version wrote.</summary>
    internal static CommitNotice? Decode(string canvasId, byte[] payload)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion) return null;
            var seq = reader.ReadInt64();
            var publishedAt = reader.ReadInt64();
            var actor = reader.ReadString();
            var client = reader.ReadString();
            var reference = reader.ReadString();
            var opsJson = reader.ReadBytes(payload.Length - (int)reader.BaseStream.Position);
            return new CommitNotice(canvasId, seq, new LogRecord(canvasId, seq, actor, client, reference, opsJson), publishedAt);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }
}
