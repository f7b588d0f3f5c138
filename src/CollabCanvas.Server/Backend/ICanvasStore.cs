namespace CollabCanvas.Server.Backend;

/// <param name="Role">The caller's role on it, when the answer is for a caller.</param>
public sealed record Canvas(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Role = null);

/// <summary>Which canvases exist, what they are called and their default theme. Their content is in the canvas log.</summary>
public interface ICanvasStore
{
    /// <summary>Stores a new canvas and makes <paramref name="ownerId"/> its owner, in one step: no canvas is ever without its owner.</summary>
    Task CreateAsync(Canvas canvas, string ownerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The canvases a user is a member of (with their role) and those open to every signed-in user (as editor), the
    /// most recently changed first, then by id.
    /// </summary>
    Task<IReadOnlyList<Canvas>> ListAsync(string userId, CancellationToken cancellationToken = default);

    Task<Canvas?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Renames a canvas, marking it changed at <paramref name="at"/>; null when there is no such canvas.</summary>
    Task<Canvas?> RenameAsync(string id, string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The canvas's default theme for generated components (null: none chosen, or no such canvas).</summary>
    Task<string?> ThemeAsync(string id, CancellationToken cancellationToken = default);

    Task SetThemeAsync(string id, string theme, CancellationToken cancellationToken = default);

    /// <summary>Deletes a canvas with its members, invitations and share links; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
