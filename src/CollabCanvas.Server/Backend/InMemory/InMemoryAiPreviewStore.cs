namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>AI previews in a list (in the order they were added), under one lock: the same rules as <c>ai_previews</c>.</summary>
public sealed class InMemoryAiPreviewStore : IAiPreviewStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredAiPreview> _previews = [];

    public Task AddAsync(StoredAiPreview preview, int perUser, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _previews.RemoveAll(p => p.ExpiresAt <= preview.CreatedAt);
            _previews.Add(preview);
            var older = _previews.Where(p => p.UserId == preview.UserId).SkipLast(perUser).ToHashSet();
            _previews.RemoveAll(older.Contains);
        }
        return Task.CompletedTask;
    }

    public Task<StoredAiPreview?> TakeAsync(string id, string userId, string canvasId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = _previews.FindIndex(p => p.Id == id && p.UserId == userId && p.CanvasId == canvasId);
            if (index < 0) return Task.FromResult<StoredAiPreview?>(null);
            var preview = _previews[index];
            _previews.RemoveAt(index);
            return Task.FromResult<StoredAiPreview?>(preview);
        }
    }
}
