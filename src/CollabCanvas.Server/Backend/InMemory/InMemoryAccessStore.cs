namespace CollabCanvas.Server.Backend.InMemory;

public sealed class InMemoryAccessStore(InMemoryRelations data) : IAccessStore
{
    public Task<AccessFacts> FactsAsync(string canvasId, string? userId, string? linkId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Canvases.TryGetValue(canvasId, out var canvas)) return Task.FromResult(new AccessFacts(false, Role.None, Role.None, false));
            var member = userId is null ? Role.None : data.Members.GetValueOrDefault((canvasId, userId));
            var link = linkId is not null && data.Links.TryGetValue(linkId, out var row) && row.CanvasId == canvasId && row.RevokedAt is null
                ? Roles.Parse(row.Link.Role) : Role.None;
            return Task.FromResult(new AccessFacts(true, member, link, canvas.OpenToSignedIn));
        }
    }

    public Task<string?> FindLinkAsync(string canvasId, string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
            return Task.FromResult(data.Links.Values
                .FirstOrDefault(l => l.TokenHash == tokenHash && l.CanvasId == canvasId && l.RevokedAt is null)?.Link.Id);
    }

    public Task<IReadOnlyList<Member>> MembersAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            IReadOnlyList<Member> members = data.Members.Where(m => m.Key.CanvasId == canvasId && data.Users.ContainsKey(m.Key.UserId))
                .Select(m => (User: data.Users[m.Key.UserId].User, Role: m.Value))
                .OrderByDescending(m => m.Role).ThenBy(m => m.User.DisplayName, StringComparer.Ordinal)
                .Select(m => new Member(m.User.Id, m.User.DisplayName, m.User.Email, m.User.AvatarUrl, m.Role.ToWire())).ToList();
            return Task.FromResult(members);
        }
    }

    public Task<MemberChange> SetRoleAsync(string canvasId, string userId, Role role, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (role != Role.Owner && IsLastOwner(canvasId, userId)) return Task.FromResult(MemberChange.WouldLeaveNoOwner);
            data.Members[(canvasId, userId)] = role;
            return Task.FromResult(MemberChange.Done);
        }
    }

    public Task<MemberChange> RemoveAsync(string canvasId, string userId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (IsLastOwner(canvasId, userId)) return Task.FromResult(MemberChange.WouldLeaveNoOwner);
            return Task.FromResult(data.Members.Remove((canvasId, userId)) ? MemberChange.Done : MemberChange.NotMember);
        }
    }

    public Task<Invitation> InviteAsync(string canvasId, Invitation invitation, string invitedBy, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            var existing = data.Invitations.Values.FirstOrDefault(i => i.CanvasId == canvasId && i.Invitation.Email == invitation.Email);
            var stored = existing is null ? invitation : invitation with { Id = existing.Invitation.Id };
            data.Invitations[stored.Id] = new InMemoryRelations.InvitationRow(canvasId, stored, invitedBy);
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<Invitation>> InvitationsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            IReadOnlyList<Invitation> invitations = data.Invitations.Values.Where(i => i.CanvasId == canvasId).Select(i => i.Invitation)
                .OrderBy(i => i.CreatedAt).ThenBy(i => i.Email, StringComparer.Ordinal).ToList();
            return Task.FromResult(invitations);
        }
    }

    public Task<bool> RevokeInvitationAsync(string canvasId, string invitationId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
            return Task.FromResult(data.Invitations.TryGetValue(invitationId, out var row) && row.CanvasId == canvasId && data.Invitations.Remove(invitationId));
    }

    public Task<IReadOnlyList<string>> AcceptInvitationsAsync(string userId, IReadOnlyCollection<string> emails, string? canvasId,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            var joined = new List<string>();
            // The highest role first: two invited addresses of one person make them a member once, with the most it offers.
            var invitations = data.Invitations.Values
                .Where(i => emails.Contains(i.Invitation.Email) && (canvasId is null || i.CanvasId == canvasId))
                .OrderByDescending(i => Roles.Parse(i.Invitation.Role)).ToList();
            foreach (var invitation in invitations)
            {
                if (data.Members.TryAdd((invitation.CanvasId, userId), Roles.Parse(invitation.Invitation.Role))) joined.Add(invitation.CanvasId);
                data.Invitations.Remove(invitation.Invitation.Id);
            }
            return Task.FromResult<IReadOnlyList<string>>(joined);
        }
    }

    public Task<IReadOnlyList<ShareLink>> LinksAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            IReadOnlyList<ShareLink> links = data.Links.Values.Where(l => l.CanvasId == canvasId && l.RevokedAt is null)
                .Select(l => l.Link).OrderBy(l => l.CreatedAt).ToList();
            return Task.FromResult(links);
        }
    }

    public Task CreateLinkAsync(string canvasId, ShareLink link, string tokenHash, string createdBy, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Canvases.ContainsKey(canvasId)) throw new InvalidOperationException($"no canvas {canvasId}");
            if (data.Links.Values.Any(l => l.TokenHash == tokenHash) || !data.Links.TryAdd(link.Id, new(canvasId, link, tokenHash, createdBy, null)))
                throw new InvalidOperationException("a link with this id or token exists already");
        }
        return Task.CompletedTask;
    }

    public Task<bool> RevokeLinkAsync(string canvasId, string linkId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Links.TryGetValue(linkId, out var row) || row.CanvasId != canvasId || row.RevokedAt is not null) return Task.FromResult(false);
            data.Links[linkId] = row with { RevokedAt = at };
            return Task.FromResult(true);
        }
    }

    private bool IsLastOwner(string canvasId, string userId) =>
        data.Members.GetValueOrDefault((canvasId, userId)) == Role.Owner &&
        data.Members.Count(m => m.Key.CanvasId == canvasId && m.Value == Role.Owner) == 1;
}
