namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>Accounts and identities in <see cref="InMemoryRelations"/>; an account's deletion takes its rows in other tables with it.</summary>
public sealed class InMemoryUserStore(InMemoryRelations data) : IUserStore
{
    public Task<User?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.Users.GetValueOrDefault(userId)?.User);
    }

    public Task<User?> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(OwnerOf(issuer, subject) is { } userId ? data.Users[userId].User : null);
    }

    public Task<IReadOnlyList<UserIdentity>> IdentitiesAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
            return Task.FromResult<IReadOnlyList<UserIdentity>>(data.Identities.Values.Where(i => i.UserId == userId).Select(i => i.Identity).ToList());
    }

    public Task<LocalCredentials?> FindCredentialsAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
            return Task.FromResult(OwnerOf(issuer, subject) is { } userId && data.Users[userId] is var row
                ? new LocalCredentials(userId, row.PasswordHash, row.LegacySha256)
                : null);
    }

    public Task<bool> TryCreateAsync(User account, UserIdentity identity, string? passwordHash, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (OwnerOf(identity.Issuer, identity.Subject) is not null) return Task.FromResult(false);
            data.Users.Add(account.Id, new InMemoryRelations.UserRow(account, passwordHash, LegacySha256: null));
            data.Identities.Add((identity.Issuer, identity.Subject), (identity, account.Id));
            return Task.FromResult(true);
        }
    }

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (data.Users.TryGetValue(userId, out var row)) data.Users[userId] = row with { PasswordHash = passwordHash, LegacySha256 = null };
        }
        return Task.CompletedTask;
    }

    public Task<User> SignInExternalAsync(ExternalIdentity identity, User newAccount, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            var key = (identity.Issuer, identity.Subject);
            if (OwnerOf(identity.Issuer, identity.Subject) is not { } userId)
            {
                data.Users.Add(newAccount.Id, new InMemoryRelations.UserRow(newAccount, PasswordHash: null, LegacySha256: null));
                data.Identities.Add(key, (new UserIdentity(identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified), newAccount.Id));
                return Task.FromResult(newAccount);
            }
            var (stored, _) = data.Identities[key];
            if (identity.Email is not null) data.Identities[key] = (stored with { Email = identity.Email, EmailVerified = identity.EmailVerified }, userId);
            var row = data.Users[userId];
            var user = row.User with { DisplayName = identity.Name ?? row.User.DisplayName, AvatarUrl = identity.AvatarUrl ?? row.User.AvatarUrl };
            data.Users[userId] = row with { User = user };
            return Task.FromResult(user);
        }
    }

    public Task<bool> LinkAsync(string userId, UserIdentity identity, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
            return Task.FromResult(data.Users.ContainsKey(userId) && data.Identities.TryAdd((identity.Issuer, identity.Subject), (identity, userId)));
    }

    public Task<AccountRemoval?> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Users.Remove(userId)) return Task.FromResult<AccountRemoval?>(null);
            foreach (var (key, _) in data.Identities.Where(i => i.Value.UserId == userId).ToList()) data.Identities.Remove(key);
            foreach (var (id, _) in data.Sessions.Where(s => s.Value.UserId == userId).ToList()) data.RemoveSession(id);
            foreach (var (hash, _) in data.Tickets.Where(t => t.Value.UserId == userId).ToList()) data.Tickets.Remove(hash);
            var solelyOwned = data.Members.Where(m => m.Key.UserId == userId && m.Value == Role.Owner &&
                    data.Members.Count(o => o.Key.CanvasId == m.Key.CanvasId && o.Value == Role.Owner) == 1)
                .Select(m => m.Key.CanvasId).ToList();
            var links = data.Links.Values.Where(l => l.CreatedBy == userId && l.RevokedAt is null).Select(l => (l.CanvasId, l.Link.Id)).ToList();
            foreach (var key in data.Members.Keys.Where(k => k.UserId == userId).ToList()) data.Members.Remove(key);
            foreach (var (id, _) in data.Invitations.Where(i => i.Value.InvitedBy == userId).ToList()) data.Invitations.Remove(id);
            foreach (var (id, _) in data.Links.Where(l => l.Value.CreatedBy == userId).ToList()) data.Links.Remove(id);
            return Task.FromResult<AccountRemoval?>(new AccountRemoval(solelyOwned, links));
        }
    }

    private string? OwnerOf(string issuer, string subject) =>
        data.Identities.TryGetValue((issuer, subject), out var identity) ? identity.UserId : null;
}
