namespace CollabCanvas.Server.Backend;

/// <summary>What one AI command cost: the interpreter that answered and, for a model, the model, tokens and dollars billed.</summary>
public sealed record AiCommandCost(string Interpreter, string? Model, long InputTokens, long OutputTokens, decimal CostUsd)
{
    /// <summary>A slot's cost until the command records its own.</summary>
    public static readonly AiCommandCost Pending = new("pending", null, 0, 0, 0);
}

/// <summary>One command's row: who ran it on which canvas, when, and what it cost.</summary>
public sealed record AiCommandRecord(long Id, string UserId, string CanvasId, DateTimeOffset At, AiCommandCost Cost);

/// <summary>
/// The AI commands of every user, one row each, shared by every instance: what the hourly limit counts and where each
/// command's real cost is kept.
/// </summary>
public interface IAiQuotaStore
{
    /// <summary>
    /// Takes a slot (a row with the pending cost, at <paramref name="at"/>) only if the user has fewer than
    /// <paramref name="limit"/> commands after <paramref name="since"/>: checked and taken in one step on every
    /// instance together. The slot's id, or null at the limit.
    /// </summary>
    Task<long?> TryTakeAsync(string userId, string canvasId, DateTimeOffset at, DateTimeOffset since, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>The user's commands after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<AiCommandRecord>> CommandsAsync(string userId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Gives a slot back (its row goes): the command cost nothing.</summary>
    Task ReturnAsync(long slotId, CancellationToken cancellationToken = default);

    /// <summary>Records what the command of a slot cost.</summary>
    Task RecordAsync(long slotId, AiCommandCost cost, CancellationToken cancellationToken = default);
}
