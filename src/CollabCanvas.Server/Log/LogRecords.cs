using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Log;

/// <summary>
/// What comes out of the log's committed stream (<see cref="Backend.ICanvasLog.Committed"/>): a committed
/// batch (<see cref="LogRecord"/>) or the news that a canvas must be reloaded (<see cref="CanvasLost"/>).
/// </summary>
public abstract record LogEvent(string CanvasId);

/// <summary>
/// One batch in a canvas's log. <see cref="Ops"/> is set when the batch is still in memory. <see cref="At"/> is when it
/// was committed: every read from storage sets it (history shows who changed what and when); a batch on the live
/// stream may leave it out, since rooms do not need it.
/// </summary>
public sealed record LogRecord(string CanvasId, long Seq, string Actor, string ClientId, string Ref, byte[] OpsJson, Op[]? Ops = null,
    DateTimeOffset? At = null)
    : LogEvent(CanvasId);

/// <summary>
/// Batches of a watched canvas were cleaned up before this instance read them (it paused for longer than the instance
/// timeout): what this instance holds of the canvas is stale and must be loaded again from storage.
/// </summary>
public sealed record CanvasLost(string CanvasId) : LogEvent(CanvasId);

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
