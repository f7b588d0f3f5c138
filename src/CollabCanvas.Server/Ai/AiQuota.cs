using CollabCanvas.Server.Backend;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// The per-user hourly limit (<see cref="IAiQuotaStore"/>, shared by every instance): a command takes a slot, and the
/// slot carries the command's cost afterwards.
/// </summary>
public sealed class AiQuota(IAiQuotaStore store, IOptions<AiOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private int Limit => options.Value.CommandsPerHour;

    public sealed record Slot(long Id, int Remaining);

    /// <summary>A slot for one command, or null with how long to wait when the hour's commands are used up.</summary>
    public async Task<(Slot? Slot, TimeSpan RetryAfter)> TryTakeAsync(string userId, string canvasId, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (await store.TryTakeAsync(userId, canvasId, now, now - Window, Limit, cancellationToken) is { } id)
            return (new Slot(id, await RemainingAsync(userId, cancellationToken)), TimeSpan.Zero);
        var commands = await store.CommandsAsync(userId, now - Window, cancellationToken);
        var first = commands.Count > 0 ? commands[0].At : now;
        return (null, TimeSpan.FromMilliseconds(Math.Max(1000, (first + Window - now).TotalMilliseconds)));
    }

    /// <summary>Commands left this hour.</summary>
    public async Task<int> RemainingAsync(string userId, CancellationToken cancellationToken = default) =>
        Math.Max(0, Limit - (await store.CommandsAsync(userId, DateTimeOffset.UtcNow - Window, cancellationToken)).Count);

    /// <summary>Gives a slot back: the command was refused before it cost anything.</summary>
    public Task ReturnAsync(Slot slot, CancellationToken cancellationToken = default) => store.ReturnAsync(slot.Id, cancellationToken);

    /// <summary>Records what the command cost on its slot.</summary>
    public Task RecordAsync(Slot slot, string interpreter, AiUsage? usage, CancellationToken cancellationToken = default) =>
        store.RecordAsync(slot.Id,
            new AiCommandCost(interpreter, usage?.Model, usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0, usage?.CostUsd ?? 0), cancellationToken);
}
