using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Log;

/// <summary>One batch in a canvas's log. <see cref="Ops"/> is set when the batch is still in memory.</summary>
public sealed record LogRecord(string CanvasId, long Seq, string Actor, string ClientId, string Ref, byte[] OpsJson, Op[]? Ops = null);

public sealed record NewBatch(string CanvasId, string Actor, string ClientId, string Ref, byte[] OpsJson, Op[] Ops);

public enum AppendOutcome
{
    /// <summary>The batch is durably in the log under <see cref="AppendResult.Seq"/>.</summary>
    Appended,
    /// <summary>(client, ref) was already in the log with the same ops: <see cref="AppendResult.Seq"/> is the original seq.</summary>
    Duplicate,
    /// <summary>(client, ref) was already in the log with other ops; nothing was appended.</summary>
    RefConflict,
}

public readonly record struct AppendResult(AppendOutcome Outcome, long Seq);

public sealed record Snapshot(long Seq, byte[] ObjectsJson);

/// <summary>The log of a canvas read from storage: its last snapshot, then the batches after it.</summary>
public sealed record StoredCanvas(Snapshot? Snapshot, IReadOnlyList<LogRecord> Batches);

/// <summary>
/// The canvas log: the sequencer and the durable store of every batch. Appending assigns the seq. Committed
/// batches are announced to the subscriber in seq order, once each, by the log alone, so a room never delivers a
/// batch before an earlier one, even when other processes append to the same log. Implementation: SQLite, owned by
/// one process or shared by several on one host; later PostgreSQL with Redis.
/// </summary>
public interface ICanvasLog
{
    /// <summary>
    /// <paramref name="committed"/> is called in seq order for every committed batch of a canvas that
    /// <paramref name="wants"/> (whoever appended it: this process or, with a shared log, another). Must not block.
    /// </summary>
    /// <param name="lost">Called when rows of a canvas that this process had not announced yet were cleaned up (a
    /// process paused for longer than the instance timeout): its room must be reloaded from storage.</param>
    void Subscribe(Action<LogRecord> committed, Func<string, bool> wants, Action<string> lost);

    /// <summary>Completes once the batch is durable (or was found already logged).</summary>
    Task<AppendResult> AppendAsync(NewBatch batch);

    /// <summary>The snapshot and every batch after it.</summary>
    Task<StoredCanvas> LoadAsync(string canvasId);

    /// <summary>Batches with seq after <paramref name="since"/>, at most <paramref name="limit"/>; null when some were cleaned up.</summary>
    Task<IReadOnlyList<LogRecord>?> ReadAfterAsync(string canvasId, long since, int limit);

    /// <summary>Stores a snapshot (ignored when an as recent one exists) and removes log rows it covers that are older than the retention.</summary>
    Task SaveSnapshotAsync(string canvasId, Snapshot snapshot);

    /// <summary>Removes log rows that a snapshot covers and that are older than the retention.</summary>
    Task PruneAsync();

    /// <summary>Removes a canvas's log and snapshot.</summary>
    Task DeleteCanvasAsync(string canvasId);

    /// <summary>Completes when every append queued so far is committed.</summary>
    Task FlushAsync();
}
