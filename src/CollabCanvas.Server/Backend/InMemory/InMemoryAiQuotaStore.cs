namespace CollabCanvas.Server.Backend.InMemory;

public sealed class InMemoryAiQuotaStore : IAiQuotaStore
{
    private readonly Lock _gate = new();
    private readonly List<AiCommandRecord> _commands = [];
    private long _lastId;

    public Task<long?> TryTakeAsync(string userId, string canvasId, DateTimeOffset at, DateTimeOffset since, int limit,
        CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_commands.Count(c => c.UserId == userId && c.At > since) >= limit) return Task.FromResult<long?>(null);
            var id = ++_lastId;
            _commands.Add(new AiCommandRecord(id, userId, canvasId, at, AiCommandCost.Pending));
            return Task.FromResult<long?>(id);
        }
    }

    public Task<IReadOnlyList<AiCommandRecord>> CommandsAsync(string userId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AiCommandRecord> commands = _commands.Where(c => c.UserId == userId && c.At > since).OrderBy(c => c.At).ThenBy(c => c.Id).ToList();
            return Task.FromResult(commands);
        }
    }

    public Task ReturnAsync(long slotId, CancellationToken cancellationToken = default)
    {
        lock (_gate) _commands.RemoveAll(c => c.Id == slotId);
        return Task.CompletedTask;
    }

    public Task RecordAsync(long slotId, AiCommandCost cost, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = _commands.FindIndex(c => c.Id == slotId);
            if (index >= 0) _commands[index] = _commands[index] with { Cost = cost };
        }
        return Task.CompletedTask;
    }
}
