using System.Threading.Channels;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// Carries committed batches between instances of a shared log (the fast path). Best effort: a lost or late notice
/// costs latency, never correctness, because the log repairs gaps from storage and checks its watched canvases' heads
/// now and then.
/// </summary>
public interface ICommitFeed
{
    /// <summary>
    /// Tells the other instances that <paramref name="record"/> committed. After commit, never before. Never blocks the
    /// caller for long; failures are logged and counted, not thrown.
    /// </summary>
    void Publish(LogRecord record);

    /// <summary>
    /// Starts receiving notices of this canvas. Counted like <see cref="ICanvasLog.Watch"/>: the log calls it once per
    /// watch, and notices stop after as many <see cref="Unsubscribe"/>s.
    /// </summary>
    void Subscribe(string canvasId);

    void Unsubscribe(string canvasId);

    /// <summary>
    /// Notices of subscribed canvases from other instances (and possibly this one's own). One reader, the log. A
    /// <see cref="CommitNotice.IsResubscribed"/> notice says the feed was cut off and is back: whatever was published
    /// meanwhile may be lost.
    /// </summary>
    ChannelReader<CommitNotice> Notices { get; }
}

/// <summary>
/// One committed batch of a canvas, as another instance announced it. <paramref name="Record"/> is null when the feed
/// carries only canvas and seq (PostgreSQL NOTIFY): the log then reads the batch from storage.
/// <paramref name="PublishedAtUnixMilliseconds"/> is the publisher's clock when it published (0 when unknown): the log
/// measures the feed's lag from it.
/// </summary>
public sealed record CommitNotice(string CanvasId, long Seq, LogRecord? Record, long PublishedAtUnixMilliseconds)
{
    /// <summary>The feed reconnected: notices published meanwhile may be lost; the log reads every watched canvas.</summary>
    public static readonly CommitNotice Resubscribed = new("", -1, null, 0);

    public bool IsResubscribed => Seq < 0;
}
