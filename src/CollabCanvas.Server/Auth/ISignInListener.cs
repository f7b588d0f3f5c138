namespace CollabCanvas.Server.Auth;

/// <summary>
/// What happens beyond Auth when an account signs in in a browser (Access turns the invitations waiting for its
/// verified addresses into memberships). Implemented there; declared here so that Auth does not depend on it.
/// </summary>
public interface ISignInListener
{
    /// <summary>Called after the account's profile (its email and whether it is verified) is stored, before the sign-in is made.</summary>
    Task OnSignedInAsync(string userId, CancellationToken cancellationToken = default);
}
