namespace CollabCanvas.Server.Backend;

/// <summary>A command kept as a preview for the user who asked: <see cref="Command"/> is the AI folder's JSON, opaque here.</summary>
public sealed record StoredAiPreview(string Id, string UserId, string CanvasId, string Command, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Previews of AI commands waiting for their requester, seen by every instance (the accept may reach any of them).
/// What a preview holds and how long it lives is <c>Ai/AiPreviews</c>' business.
/// </summary>
public interface IAiPreviewStore
{
    /// <summary>
    /// Keeps a preview. Previews (anyone's) expired at its creation time are forgotten, and of its user's previews only
    /// the newest <paramref name="perUser"/> are kept.
    /// </summary>
    Task AddAsync(StoredAiPreview preview, int perUser, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the preview with this id when it is this user's on this canvas, and returns it (expired or not): taken
    /// once, so two accepts cannot both apply it. Null when there is none of theirs.
    /// </summary>
    Task<StoredAiPreview?> TakeAsync(string id, string userId, string canvasId, CancellationToken cancellationToken = default);
}
