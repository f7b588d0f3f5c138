namespace CollabCanvas.Server.Backend;

/// <summary>
/// A change that open sockets must follow: a sign-in ended (<paramref name="SessionId"/>), a user's role on a
/// canvas changed or was removed (<paramref name="CanvasId"/> and <paramref name="UserId"/>), an account was
/// deleted (<paramref name="UserId"/> alone), a share link was revoked (<paramref name="LinkId"/>), or a canvas was
/// renamed (<paramref name="CanvasId"/> and <paramref name="CanvasName"/>: its open editors show the new name).
/// </summary>
public sealed record AccessChange(string? CanvasId = null, string? UserId = null, string? SessionId = null, string? LinkId = null,
    string? CanvasName = null);

/// <summary>Changes of access between instances: one published anywhere reaches every instance, this one included, within a second.</summary>
public interface IAccessEventBus
{
    Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every change published on any instance from this call on (another instance's change published a moment before
    /// may come too), each once and in the order they were published, until <paramref name="cancellationToken"/> is
    /// cancelled. Each call is a subscription of its own.
    /// </summary>
    IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken);
}
