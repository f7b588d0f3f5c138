using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>History in this process's memory, kept by <see cref="InMemoryCanvasLog"/> beside each canvas's batches.</summary>
public sealed class InMemoryCanvasHistory(InMemoryCanvasLog log) : ICanvasHistory
{
    public Task<Snapshot?> CheckpointAtOrBeforeAsync(string canvasId, long seq, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked(canvasId, c => c.Checkpoints.Values.LastOrDefault(s => s.Seq <= seq)));

    public Task<CanvasVersion?> AddVersionAsync(CanvasVersion version, Snapshot state, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked(version.CanvasId, c =>
        {
            if (version.Kind == VersionKind.Auto && c.Versions.Any(v => v.Seq >= version.Seq)) return null;
            c.Checkpoints.TryAdd(state.Seq, state);
            c.Versions.Add(version);
            return version;
        }));

    public Task<IReadOnlyList<CanvasVersion>> VersionsAsync(string canvasId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CanvasVersion>>(log.Locked(canvasId,
            c => c.Versions.OrderByDescending(v => v.Seq).ThenByDescending(v => v.CreatedAt).ToList()));

    public Task<(CanvasVersion Version, Snapshot State)?> FindVersionAsync(string canvasId, string versionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked<(CanvasVersion, Snapshot)?>(canvasId,
            c => c.Versions.Find(v => v.Id == versionId) is { } version ? (version, c.Checkpoints[version.Seq]) : null));

    public Task<IReadOnlyList<LogRecord>> BatchesTouchingAsync(string canvasId, string objectId, CancellationToken cancellationToken = default)
    {
        var needle = HistoryFilter.Needle(objectId);
        return Task.FromResult<IReadOnlyList<LogRecord>>(log.Locked(canvasId,
            c => c.Batches.Where(r => r.OpsJson.AsSpan().IndexOf(needle) >= 0).ToList()));
    }

    public Task<long> ThinnedSeqAsync(string canvasId, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked(canvasId, c => c.PrunedSeq));

    public Task<HistorySettings> SettingsAsync(string canvasId, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked(canvasId, c => c.Settings));

    public Task SetSettingsAsync(string canvasId, HistorySettings settings, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Locked(canvasId, c => c.Settings = settings));
}
