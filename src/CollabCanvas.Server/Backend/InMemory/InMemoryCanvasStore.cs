namespace CollabCanvas.Server.Backend.InMemory;

public sealed class InMemoryCanvasStore(InMemoryRelations data) : ICanvasStore
{
    public Task CreateAsync(Canvas canvas, string ownerId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Canvases.TryAdd(canvas.Id, new InMemoryRelations.CanvasRow(canvas with { Role = null }, null, false)))
                throw new InvalidOperationException($"canvas {canvas.Id} exists already");
            data.Members[(canvas.Id, ownerId)] = Role.Owner;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Canvas>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            IReadOnlyList<Canvas> canvases = data.Canvases.Values
                .Select(row => (row, role: data.Members.GetValueOrDefault((row.Canvas.Id, userId))))
                .Where(c => c.role != Role.None || c.row.OpenToSignedIn)
                .Select(c => c.row.Canvas with { Role = (c.role == Role.None ? Role.Editor : c.role).ToWire() })
                .OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(canvases);
        }
    }

    public Task<Canvas?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.Canvases.GetValueOrDefault(id)?.Canvas);
    }

    public Task<Canvas?> RenameAsync(string id, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Canvases.TryGetValue(id, out var row)) return Task.FromResult<Canvas?>(null);
            var renamed = row with { Canvas = row.Canvas with { Name = name, UpdatedAt = at } };
            data.Canvases[id] = renamed;
            return Task.FromResult<Canvas?>(renamed.Canvas);
        }
    }

    public Task<string?> ThemeAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.Canvases.GetValueOrDefault(id)?.Theme);
    }

    public Task SetThemeAsync(string id, string theme, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (data.Canvases.TryGetValue(id, out var row)) data.Canvases[id] = row with { Theme = theme };
        }
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.RemoveCanvas(id));
    }
}
