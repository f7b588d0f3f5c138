using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Realtime;

namespace CollabCanvas.Server.Canvases;

/// <summary>Which canvases exist and what they are called (<see cref="ICanvasStore"/>). Their content is in the log.</summary>
public sealed class CanvasStore(ICanvasStore store, RoomManager rooms, ICanvasLog log) : ICanvasRemoval
{
    /// <summary>Creates a canvas owned by <paramref name="ownerId"/>.</summary>
    public async Task<Canvas> CreateAsync(string name, string ownerId, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var canvas = new Canvas(Ids.New(12), name, now, now);
        await store.CreateAsync(canvas, ownerId, cancellationToken);
        return canvas with { Role = Role.Owner.ToWire() };
    }

    /// <summary>The canvases a user is a member of (and those open to every signed-in user), with their role.</summary>
    public Task<IReadOnlyList<Canvas>> ListAsync(string userId, CancellationToken cancellationToken = default) => store.ListAsync(userId, cancellationToken);

    public Task<Canvas?> FindAsync(string id, CancellationToken cancellationToken = default) => store.FindAsync(id, cancellationToken);

    public Task<Canvas?> RenameAsync(string id, string name, CancellationToken cancellationToken = default) =>
        store.RenameAsync(id, name, Now(), cancellationToken);

    /// <summary>The canvas's default theme for generated components (null: the built-in default).</summary>
    public Task<string?> ThemeAsync(string id, CancellationToken cancellationToken = default) => store.ThemeAsync(id, cancellationToken);

    public Task SetThemeAsync(string id, string theme, CancellationToken cancellationToken = default) => store.SetThemeAsync(id, theme, cancellationToken);

    /// <summary>Deletes a canvas: the row (with its members and links), its open sessions (closed with 4410) and its log.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(id, cancellationToken)) return false;
        rooms.CloseCanvas(id, CloseCodes.CanvasDeleted, "the canvas was deleted");
        await log.DeleteCanvasAsync(id, cancellationToken);
        return true;
    }

    /// <summary>Now, to the millisecond: what every store keeps, so what Create returns is what a later read returns.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
