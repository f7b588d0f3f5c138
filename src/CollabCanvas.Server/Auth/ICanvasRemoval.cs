namespace CollabCanvas.Server.Auth;

/// <summary>
/// Deletes a canvas with everything in it, for an account's deletion (the canvases only it owned go with it).
/// Implemented where canvases live; declared here so that Auth does not depend on them.
/// </summary>
public interface ICanvasRemoval
{
    /// <summary>False when there was no such canvas.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
