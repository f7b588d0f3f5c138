using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend;

/// <summary>A named version (saved by a person) or an automatic one (saved after a burst of edits).</summary>
public enum VersionKind { Named, Auto }

/// <summary>
/// A version of a canvas: the state after every batch up to <see cref="Seq"/>, kept as a checkpoint that no retention
/// removes. <see cref="Author"/> is the user who saved a named version (null for automatic ones).
/// </summary>
public sealed record CanvasVersion(string Id, string CanvasId, long Seq, VersionKind Kind, string? Name, string? Author, DateTimeOffset CreatedAt);

/// <summary>
/// Who may read a canvas's history. <see cref="RetentionDays"/>: null follows <see cref="HistoryOptions.RetentionDays"/>,
/// 0 keeps everything, more thins batches older than that into checkpoints.
/// </summary>
public sealed record HistorySettings(double? RetentionDays, bool ViewersSeeHistory, bool LinksSeeHistory)
{
    /// <summary>A canvas whose owner chose nothing: viewers see history, share-link guests do not.</summary>
    public static HistorySettings Default { get; } = new(null, ViewersSeeHistory: true, LinksSeeHistory: false);
}

/// <summary>
/// A canvas's history beside its log (<see cref="ICanvasLog"/>, which reads the batches themselves, each with its time
/// and author): checkpoints (full states at chosen seqs; the log adds one with a snapshot every
/// <see cref="HistoryOptions.CheckpointEveryBatches"/> batches), versions and who may see them.
/// </summary>
public interface ICanvasHistory
{
    /// <summary>The latest checkpoint at or before <paramref name="seq"/>; null when there is none (replay from the start).</summary>
    Task<Snapshot?> CheckpointAtOrBeforeAsync(string canvasId, long seq, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a version with its state (a checkpoint at its seq), in one step. An automatic version is not stored (null)
    /// when a version at or after its seq exists already (another instance saved it, or a person did).
    /// </summary>
    Task<CanvasVersion?> AddVersionAsync(CanvasVersion version, Snapshot state, CancellationToken cancellationToken = default);

    /// <summary>The canvas's versions, the newest (highest seq) first.</summary>
    Task<IReadOnlyList<CanvasVersion>> VersionsAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>The version and its state; null when there is no such version of this canvas.</summary>
    Task<(CanvasVersion Version, Snapshot State)?> FindVersionAsync(string canvasId, string versionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every batch still in the log whose ops name <paramref name="objectId"/>, oldest first, each with its time (the
    /// log may be much longer: it is filtered where it is stored).
    /// </summary>
    Task<IReadOnlyList<LogRecord>> BatchesTouchingAsync(string canvasId, string objectId, CancellationToken cancellationToken = default);

    /// <summary>Batches up to this seq may have been thinned (0: the whole log is there).</summary>
    Task<long> ThinnedSeqAsync(string canvasId, CancellationToken cancellationToken = default);

    Task<HistorySettings> SettingsAsync(string canvasId, CancellationToken cancellationToken = default);

    Task SetSettingsAsync(string canvasId, HistorySettings settings, CancellationToken cancellationToken = default);
}
