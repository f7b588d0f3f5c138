using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Log;

/// <summary>
/// Section <c>CollabCanvas:History</c>: how much of a canvas's log is kept as its history (docs/configuration.md,
/// "History"). The log is the history: every batch is kept with its time and author unless a retention thins it.
/// </summary>
public sealed class HistoryOptions
{
    public const string Section = "CollabCanvas:History";

    /// <summary>
    /// Batches older than this many days (fractions allowed) may be thinned into checkpoints: deleted once a checkpoint
    /// covers them, so the state is still known at every checkpoint and version, no longer between them. 0 (the
    /// default) keeps every batch. A canvas may override it (<c>retentionDays</c> in its history settings).
    /// </summary>
    [Range(0, 100 * 365)]
    public double RetentionDays { get; set; }

    /// <summary>
    /// A snapshot is also kept as a checkpoint once this many batches were appended since the canvas's last checkpoint,
    /// so the state at any seq is one checkpoint plus at most about this many batches (plus the snapshot cadence,
    /// <see cref="LogOptions.SnapshotEveryBatches"/>) replayed. Default 1000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CheckpointEveryBatches { get; set; } = 1000;

    /// <summary>An automatic version is saved after this many seconds without a batch following edits. Default 600.</summary>
    [Range(1, 7 * 86_400)]
    public int AutoVersionQuietSeconds { get; set; } = 600;
}
