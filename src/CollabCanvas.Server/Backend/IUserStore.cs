namespace CollabCanvas.Server.Backend;

public sealed record User(string Id, string DisplayName, string? Email, bool EmailVerified, string? AvatarUrl);

/// <summary>A way to sign in to an account: a provider's (issuer, subject), or ('local', the normalized email).</summary>
public sealed record UserIdentity(string Issuer, string Subject, string? Email, bool EmailVerified);

/// <summary>What a provider says about the person who signed in.</summary>
public sealed record ExternalIdentity(string Issuer, string Subject, string? Email, bool EmailVerified, string? Name, string? AvatarUrl);

/// <summary>A local account's stored secrets: an Argon2id hash, or (on an imported row, until its first sign-in) the old SHA-256.</summary>
public sealed record LocalCredentials(string UserId, string? PasswordHash, string? LegacySha256);

/// <summary>What removing an account took with it and the caller must still clean up or announce: the canvases only it owned, and the share links it made.</summary>
public sealed record AccountRemoval(IReadOnlyList<string> SolelyOwnedCanvases, IReadOnlyList<(string CanvasId, string LinkId)> Links);

/// <summary>
/// Accounts and the identities that sign in to them. An identity belongs to one account at most: every method that
/// adds one refuses a taken one, also when instances race. Normalizing emails and naming accounts is <c>Auth/Users</c>'s business.
/// </summary>
public interface IUserStore
{
    Task<User?> FindAsync(string userId, CancellationToken cancellationToken = default);

    Task<User?> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken = default);

    /// <summary>Every identity that signs in to the account (none when there is no such account).</summary>
    Task<IReadOnlyList<UserIdentity>> IdentitiesAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The stored secrets of the account this identity signs in to, or null.</summary>
    Task<LocalCredentials?> FindCredentialsAsync(string issuer, string subject, CancellationToken cancellationToken = default);

    /// <summary>Creates an account with its first identity; false, and nothing changes, when the identity is taken.</summary>
    Task<bool> TryCreateAsync(User account, UserIdentity identity, string? passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Replaces the password hash and forgets the legacy one.</summary>
    Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// The account of a provider identity, in one step: created as <paramref name="newAccount"/> (with the identity)
    /// when the identity is new; otherwise refreshed from what the provider says now (the identity's email and its
    /// verified flag, the account's name and avatar; a null keeps what is stored).
    /// </summary>
    Task<User> SignInExternalAsync(ExternalIdentity identity, User newAccount, CancellationToken cancellationToken = default);

    /// <summary>Adds an identity to an account; false, and nothing changes, when the identity is taken or the account is gone.</summary>
    Task<bool> LinkAsync(string userId, UserIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an account in one step with everything that is only its own: its identities, sign-ins and tickets, its
    /// memberships, the invitations it sent and the share links it made. Null when there was no such account.
    /// </summary>
    Task<AccountRemoval?> DeleteAsync(string userId, CancellationToken cancellationToken = default);
}
