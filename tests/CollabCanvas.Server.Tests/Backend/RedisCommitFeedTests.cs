using System.Text;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>The commit feed over a real Redis: two instances' feeds, a canvas's channel subscribed only while watched, Redis restarted.</summary>
public class RedisCommitFeedTests
{
    private static string NewCanvas() => "c-" + Guid.NewGuid().ToString("N");

    private static LogRecord Record(string canvasId, long seq) =>
        new(canvasId, seq, "user-é", $"client-{seq}", $"r{seq}", Encoding.UTF8.GetBytes($$"""[{"op":"put","id":"o{{seq}}","text":"ünïcode"}]"""));

    private static async Task<CommitNotice> NextAsync(ICommitFeed feed)
    {
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        return await feed.Notices.ReadAsync(ceiling.Token);
    }

    private static Task SubscribedAsync(RedisInstance instance, string canvasId, long subscribers = 1) =>
        Eventually.Until(async () => await instance.SubscribersAsync("collabcanvas:commits:" + canvasId) == subscribers,
            $"{subscribers} subscriber(s) of canvas {canvasId}'s channel");

    [Fact]
    public async Task A_canvas_is_subscribed_while_watched_and_watches_are_counted()
    {
        var redis = await RedisServer.SharedAsync();
        await using var instance = await RedisInstance.StartAsync(redis);
        var canvas = NewCanvas();

        instance.Feed.Subscribe(canvas);
        instance.Feed.Subscribe(canvas);
        await SubscribedAsync(instance, canvas);
        instance.Feed.Unsubscribe(canvas);
        // Still watched once: a batch published now still arrives.
        await using var other = await instance.StartAnotherAsync();
        other.Feed.Publish(Record(canvas, 1));
        Assert.Equal(1, (await NextAsync(instance.Feed)).Seq);
        instance.Feed.Unsubscribe(canvas);
        await SubscribedAsync(instance, canvas, subscribers: 0);
    }

    [Fact]
    public async Task Batches_published_on_one_instance_reach_the_other_whole_and_in_order()
    {
        var redis = await RedisServer.SharedAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        var canvas = NewCanvas();
        var unwatched = NewCanvas();
        b.Feed.Subscribe(canvas);
        await SubscribedAsync(b, canvas);

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var published = Enumerable.Range(1, 50).Select(seq => Record(canvas, seq)).ToList();
        foreach (var record in published)
        {
            a.Feed.Publish(Record(unwatched, record.Seq)); // b does not watch it: never delivered
            a.Feed.Publish(record);
        }

        foreach (var expected in published)
        {
            var notice = await NextAsync(b.Feed);
            Assert.Equal((canvas, expected.Seq), (notice.CanvasId, notice.Seq));
            var record = Assert.IsType<LogRecord>(notice.Record);
            Assert.Equal((expected.CanvasId, expected.Seq, expected.Actor, expected.ClientId, expected.Ref),
                (record.CanvasId, record.Seq, record.Actor, record.ClientId, record.Ref));
            Assert.Equal(expected.OpsJson, record.OpsJson);
            Assert.InRange(notice.PublishedAtUnixMilliseconds, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        Assert.False(b.Feed.Notices.TryRead(out var extra), $"nothing else arrived, yet {extra} did");
    }

    [Fact]
    public async Task When_Redis_restarts_the_feed_says_it_resubscribed_and_delivery_resumes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await RedisInstance.StartAsync(redis);
        await using var b = await a.StartAnotherAsync();
        var canvas = NewCanvas();
        b.Feed.Subscribe(canvas);
        await SubscribedAsync(b, canvas);
        a.Feed.Publish(Record(canvas, 1));
        Assert.Equal(1, (await NextAsync(b.Feed)).Seq);

        await redis.StopAsync();
        a.Feed.Publish(Record(canvas, 2)); // Redis is down: held by a's connection, or lost; never thrown
        await redis.RestartAsync();

        CommitNotice notice;
        do notice = await NextAsync(b.Feed); while (!notice.IsResubscribed);
        // b is subscribed again (the restarted Redis knew nothing of it) and hears what a publishes next.
        await SubscribedAsync(b, canvas);
        a.Feed.Publish(Record(canvas, 3));
        do notice = await NextAsync(b.Feed); while (notice.Seq != 3);
        Assert.Equal("r3", notice.Record!.Ref);
    }
}
