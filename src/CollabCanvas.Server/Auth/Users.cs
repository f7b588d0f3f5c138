using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Accounts as sign-in sees them: emails normalized into local identities, names cleaned, new accounts named, the
/// addresses an account has shown to be its own. The data lives behind <see cref="IUserStore"/>.
/// </summary>
public sealed class Users(IUserStore store)
{
    public const string LocalIssuer = "local";
    public const int MaxNameLength = 80;
    public const int MaxEmailLength = 254;

    public Task<User?> FindAsync(string id, CancellationToken cancellationToken = default) => store.FindAsync(id, cancellationToken);

    public Task<User?> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken = default) =>
        store.FindByIdentityAsync(issuer, subject, cancellationToken);

    /// <summary>
    /// The addresses this account has shown to be its own, normalized: each provider identity's email that its provider
    /// calls verified, and, when <paramref name="localCounts"/>, the local sign-in name (docs/auth.md, Invitations).
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifiedEmailsAsync(string userId, bool localCounts, CancellationToken cancellationToken = default) =>
        (await store.IdentitiesAsync(userId, cancellationToken))
            .Select(i => i.Issuer == LocalIssuer ? (localCounts ? i.Subject : null) : i is { EmailVerified: true, Email: { } email } ? email : null)
            .OfType<string>().Select(NormalizeEmail).ToList();

    public Task<LocalCredentials?> FindLocalAsync(string email, CancellationToken cancellationToken = default) =>
        store.FindCredentialsAsync(LocalIssuer, NormalizeEmail(email), cancellationToken);

    /// <summary>Creates a local account; null when the email is taken (nothing changes then).</summary>
    public async Task<string?> TryCreateLocalAsync(string email, string displayName, string passwordHash, CancellationToken cancellationToken = default)
    {
        var account = new User(Ids.New(16), displayName, email, EmailVerified: false, AvatarUrl: null);
        var identity = new UserIdentity(LocalIssuer, NormalizeEmail(email), email, EmailVerified: false);
        return await store.TryCreateAsync(account, identity, passwordHash, cancellationToken) ? account.Id : null;
    }

    /// <summary>Replaces the password hash and clears the legacy one: an imported account is upgraded on its first sign-in.</summary>
    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default) =>
        store.SetPasswordHashAsync(userId, passwordHash, cancellationToken);

    /// <summary>
    /// The account of a provider identity, created on its first sign-in. Never joined to another account by email:
    /// that takes <see cref="LinkAsync"/>, which the user starts and proves. The provider is the source of truth for the
    /// profile it gives.
    /// </summary>
    public Task<User> SignInExternalAsync(ExternalIdentity identity, CancellationToken cancellationToken = default)
    {
        var name = CleanName(identity.Name);
        var newAccount = new User(Ids.New(16), name ?? CleanName(identity.Email?.Split('@')[0]) ?? "User", identity.Email, identity.EmailVerified,
            identity.AvatarUrl);
        return store.SignInExternalAsync(identity with { Name = name }, newAccount, cancellationToken);
    }

    /// <summary>Adds a provider identity to an existing account (the caller has checked the proof); false when the identity already has an account.</summary>
    public Task<bool> LinkAsync(string userId, ExternalIdentity identity, CancellationToken cancellationToken = default) =>
        store.LinkAsync(userId, new UserIdentity(identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified), cancellationToken);

    /// <summary>
    /// Removes an account with its identities, sign-ins and memberships. Returns what the caller must still clean up or
    /// announce; null when there was no such account.
    /// </summary>
    public Task<AccountRemoval?> DeleteAsync(string userId, CancellationToken cancellationToken = default) => store.DeleteAsync(userId, cancellationToken);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Something like an address (one @ with text on both sides, no spaces or control characters); no mail is sent to check it.</summary>
    public static bool IsEmail(string? email) =>
        email?.Trim() is { Length: > 2 and <= MaxEmailLength } e && e.IndexOf('@') is > 0 and var at && at < e.Length - 1 &&
        !e.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static string? CleanName(string? raw)
    {
        if (raw is null) return null;
        var cleaned = new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length > MaxNameLength) cleaned = cleaned[..MaxNameLength].TrimEnd();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
