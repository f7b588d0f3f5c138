using System.Diagnostics.Metrics;

namespace CollabCanvas.Server.Observability;

/// <summary>
/// The server's own instruments (meter <c>CollabCanvas</c>), exported with ASP.NET Core's and the runtime's at
/// <c>/metrics</c> in Prometheus text format.
/// </summary>
public static class CanvasMetrics
{
    public const string MeterName = "CollabCanvas";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "collabcanvas.log.commit.duration", "ms", "Time of one group commit (its inserts, COMMIT and fsync).");
    public static readonly Histogram<double> AppendWait = Meter.CreateHistogram<double>(
        "collabcanvas.log.append.wait", "ms", "Time an append waited for its group commit to start (behind the commit before it on its writer).");
    public static readonly Counter<long> BatchesAppended = Meter.CreateCounter<long>(
        "collabcanvas.log.batches.appended", "{batch}", "Batches appended to the log by this instance.");
    public static readonly Histogram<double> PollDuration = Meter.CreateHistogram<double>(
        "collabcanvas.log.poll.duration", "ms", "Time to read and announce other instances' new rows (shared log).");
    public static readonly Counter<long> GapRepairs = Meter.CreateCounter<long>(
        "collabcanvas.log.gap_repairs", "{read}",
        "Reads of a watched canvas's missing batches from storage (shared log over a commit feed), by reason: gap (a seq skipped), " +
        "resubscribed (the feed reconnected), safety (the periodic head check found one missing).");
    public static readonly Counter<long> FeedReads = Meter.CreateCounter<long>(
        "collabcanvas.log.feed.reads", "{read}",
        "Reads of announced batches from storage because the feed carries canvas and seq only (LISTEN/NOTIFY): its normal path, not a repair.");
    public static readonly Histogram<double> FeedLag = Meter.CreateHistogram<double>(
        "collabcanvas.log.feed.lag", "ms", "From another instance publishing a commit notice to this instance receiving it (the two hosts' clocks).");
    public static readonly Counter<long> FeedPublishFailures = Meter.CreateCounter<long>(
        "collabcanvas.log.feed.publish_failures", "{notice}", "Commit notices that could not be published (the others repair from storage).");
    public static readonly Counter<long> Pruned = Meter.CreateCounter<long>(
        "collabcanvas.log.rows.pruned", "{row}", "Log rows removed by cleanup on this instance.");
    public static readonly Counter<long> FeedMessages = Meter.CreateCounter<long>(
        "collabcanvas.feed.messages", "{message}", "Commit messages on the Redis feed, by direction: published by this instance, received from any.");

    public static readonly Counter<long> AiCommands = Meter.CreateCounter<long>(
        "collabcanvas.ai.commands", "{command}", "AI commands, by interpreter and outcome.");
    public static readonly Counter<long> AiTokens = Meter.CreateCounter<long>(
        "collabcanvas.ai.tokens", "{token}", "Tokens sent to and received from the model, by model and kind.");
    public static readonly Counter<double> AiCost = Meter.CreateCounter<double>(
        "collabcanvas.ai.cost", "USD", "Estimated model cost of AI commands, from the model's published prices.");
    public static readonly Histogram<double> AiDuration = Meter.CreateHistogram<double>(
        "collabcanvas.ai.duration", "ms", "Server time of one AI command, from request to the batch in the log.");

    public static readonly Counter<long> FeatureRefusals = Meter.CreateCounter<long>(
        "collabcanvas.features.refused", "{request}",
        "Requests (entry rest) and WebSocket messages (entry websocket) refused because a feature flag is off for the caller, by feature.");

    /// <summary>Newest seq in the file minus the last seq this instance announced to its rooms.</summary>
    public static long QueueLag;
    /// <summary>Sessions admitted by <c>hello</c> (in a room).</summary>
    public static long Sessions;
    /// <summary>Open sockets that have not been admitted yet: no <c>hello</c>, or one still being checked.</summary>
    public static long PendingSessions;

    /// <summary>Creates the gauges now, so that they are exported from the first scrape.</summary>
    public static void Initialize() { }

    static CanvasMetrics()
    {
        Meter.CreateObservableGauge("collabcanvas.log.lag", () => Interlocked.Read(ref QueueLag), "{seq}",
            "How far this instance is behind the newest row of the shared log.");
        Meter.CreateObservableGauge("collabcanvas.sessions", () => Interlocked.Read(ref Sessions), "{session}",
            "WebSocket sessions on this instance that were admitted by hello.");
        Meter.CreateObservableGauge("collabcanvas.sessions.pending", () => Interlocked.Read(ref PendingSessions), "{session}",
            "Open WebSockets on this instance that have not been admitted by hello (yet).");
    }
}
