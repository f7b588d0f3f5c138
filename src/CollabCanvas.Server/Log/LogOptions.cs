using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Log;

/// <summary>Section <c>CollabCanvas:Log</c>.</summary>
public sealed class LogOptions
{
    public const string Section = "CollabCanvas:Log";

    /// <summary>
    /// SharedSqlite: a process learns of another's commit from its nudge at once; in case a nudge never comes (an
    /// instance that has just started, a platform without Unix sockets) it also checks this often (<c>PRAGMA
    /// data_version</c>, no I/O). Default 100.
    /// </summary>
    [Range(1, 10_000)]
    public int SafetyPollMilliseconds { get; set; } = 100;

    /// <summary>A snapshot is written after this many batches of a canvas. Default 500.</summary>
    [Range(1, 1_000_000)]
    public int SnapshotEveryBatches { get; set; } = 500;

    /// <summary>...or this many seconds after its first unsnapshotted batch. Default 30.</summary>
    [Range(1, 86_400)]
    public int SnapshotEverySeconds { get; set; } = 30;

    /// <summary>
    /// This process's name among those sharing the file (metrics, the instances table). Default: host name and
    /// process id. Env <c>CollabCanvas__Log__InstanceId</c>.
    /// </summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// An instance that has not reported its read position for this long no longer holds back cleanup. Default 15.
    /// </summary>
    [Range(2, 3600)]
    public int InstanceTimeoutSeconds { get; set; } = 15;

    /// <summary>How often history older than its retention is thinned into checkpoints (<see cref="HistoryOptions"/>). Default 60 seconds.</summary>
    [Range(1, 86_400)]
    public int PruneEverySeconds { get; set; } = 60;

    /// <summary>
    /// At most this many appends wait for storage; past it an append is refused at once as busy (the client gets
    /// <c>rate_limited</c> and sends the batch again later) instead of memory growing while the disk stalls. Default 10,000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedAppends { get; set; } = 10_000;

    /// <summary>At most this many appends share one transaction (group commit). Default 256.</summary>
    [Range(1, 10_000)]
    public int MaxGroupCommit { get; set; } = 256;

    /// <summary>
    /// Postgres: appends are spread by canvas over this many writers, each with its own connection and group commits,
    /// so that different canvases commit in parallel (one canvas always goes to the same writer). Default 4.
    /// </summary>
    [Range(1, 64)]
    public int WriterLanes { get; set; } = 4;

    /// <summary>
    /// Postgres: how often an instance compares its watched canvases' heads in the database with what it delivered, in
    /// case the last commit notice of a canvas was lost (a lost notice before another is repaired when the next arrives).
    /// Default 1000.
    /// </summary>
    [Range(10, 600_000)]
    public int FeedSafetyCheckMilliseconds { get; set; } = 1000;
}
