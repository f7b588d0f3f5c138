using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Features;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Access;

/// <summary>A link as its owner sees it right after creating it: the only time the token is shown.</summary>
public sealed record CreatedShareLink(string Id, string Role, DateTimeOffset CreatedAt, string Token);

/// <summary>
/// Who may do what on a canvas: its members (owner, editor, viewer), the invitations that will make members, and its
/// share links (<see cref="IAccessStore"/>). A canvas made before sign-in existed is open: every signed-in user may
/// edit it (migration 006 marks them). Every change that open sockets must follow is published as an access event.
/// </summary>
public sealed class CanvasAccess(IAccessStore store, IAccessEventBus events, Users users, FeatureFlags flags, IOptions<AuthOptions> options) : ISignInListener
{
    /// <summary>The role of a user (or a link guest, <paramref name="userId"/> null) on a canvas; None for a missing canvas.</summary>
    public async Task<Role> RoleOfAsync(string canvasId, string? userId, string? linkId, CancellationToken cancellationToken = default)
    {
        var facts = await store.FactsAsync(canvasId, userId, linkId, cancellationToken);
        if (!facts.CanvasExists) return Role.None;
        var open = userId is not null && facts.OpenToSignedIn ? Role.Editor : Role.None;
        return (Role)Math.Max((int)facts.Member, Math.Max((int)facts.Link, (int)open));
    }

    /// <summary>
    /// The id of the live link with this token on this canvas, or null. While <see cref="Feature.ShareLinks"/> is off for
    /// the caller (<paramref name="userId"/>; null for a guest) no link counts, and <c>SwitchedOff</c> says so.
    /// </summary>
    public async Task<(string? LinkId, bool SwitchedOff)> FindLinkAsync(string canvasId, string token, string? userId,
        CancellationToken cancellationToken = default) =>
        await flags.IsOnAsync(Feature.ShareLinks, userId, cancellationToken)
            ? (await store.FindLinkAsync(canvasId, AuthSessions.HashToken(token), cancellationToken), false)
            : (null, true);

    /// <summary>The members with their profiles: owners first, then editors, then viewers, each by name.</summary>
    public Task<IReadOnlyList<Member>> MembersAsync(string canvasId, CancellationToken cancellationToken = default) =>
        store.MembersAsync(canvasId, cancellationToken);

    /// <summary>Gives a user a role (adding them when they are not a member). The last owner cannot step down.</summary>
    public async Task<MemberChange> SetRoleAsync(string canvasId, string userId, Role role, CancellationToken cancellationToken = default)
    {
        var change = await store.SetRoleAsync(canvasId, userId, role, DateTimeOffset.UtcNow, cancellationToken);
        if (change == MemberChange.Done) await events.PublishAsync(new AccessChange(CanvasId: canvasId, UserId: userId), cancellationToken);
        return change;
    }

    /// <summary>Removes a member. The last owner cannot be removed.</summary>
    public async Task<MemberChange> RemoveAsync(string canvasId, string userId, CancellationToken cancellationToken = default)
    {
        var change = await store.RemoveAsync(canvasId, userId, cancellationToken);
        if (change == MemberChange.Done) await events.PublishAsync(new AccessChange(CanvasId: canvasId, UserId: userId), cancellationToken);
        return change;
    }

    /// <summary>
    /// Invites an address (again: the role and time are renewed). Nothing here looks at accounts, so the answer and
    /// the time it takes are the same whether someone has this address or not.
    /// </summary>
    public Task<Invitation> InviteAsync(string canvasId, string email, Role role, string invitedBy, CancellationToken cancellationToken = default) =>
        store.InviteAsync(canvasId, new Invitation(Ids.New(12), Users.NormalizeEmail(email), role.ToWire(), Now()), invitedBy, cancellationToken);

    public Task<IReadOnlyList<Invitation>> InvitationsAsync(string canvasId, CancellationToken cancellationToken = default) =>
        store.InvitationsAsync(canvasId, cancellationToken);

    /// <summary>Withdraws a pending invitation; false when there was none (it may have been accepted meanwhile).</summary>
    public Task<bool> RevokeInvitationAsync(string canvasId, string invitationId, CancellationToken cancellationToken = default) =>
        store.RevokeInvitationAsync(canvasId, invitationId, cancellationToken);

    /// <summary>
    /// Turns the invitations to the user's verified addresses (on one canvas, or all) into memberships; true when any
    /// did. Someone who is already a member keeps their role (the owner changes roles in the members list). Open
    /// sockets of the user on those canvases (say, through a share link) learn their new role from the access events.
    /// </summary>
    public async Task<bool> AcceptInvitationsAsync(string userId, string? canvasId = null, CancellationToken cancellationToken = default)
    {
        // Without a provider the local sign-in name is the only identity there is; beside one, only a provider's
        // verified email counts, or anyone could register an invited address locally before its owner (docs/auth.md).
        var emails = await users.VerifiedEmailsAsync(userId, localCounts: options.Value.Providers.Count == 0, cancellationToken);
        if (emails.Count == 0) return false;
        var joined = await store.AcceptInvitationsAsync(userId, emails, canvasId, DateTimeOffset.UtcNow, cancellationToken);
        foreach (var canvas in joined) await events.PublishAsync(new AccessChange(CanvasId: canvas, UserId: userId), cancellationToken);
        return joined.Count > 0;
    }

    /// <summary>Every browser sign-in accepts the invitations waiting for the account's verified addresses.</summary>
    Task ISignInListener.OnSignedInAsync(string userId, CancellationToken cancellationToken) =>
        AcceptInvitationsAsync(userId, cancellationToken: cancellationToken);

    public Task<IReadOnlyList<ShareLink>> LinksAsync(string canvasId, CancellationToken cancellationToken = default) =>
        store.LinksAsync(canvasId, cancellationToken);

    public async Task<CreatedShareLink> CreateLinkAsync(string canvasId, Role role, string createdBy, CancellationToken cancellationToken = default)
    {
        var link = new ShareLink(Ids.New(12), role.ToWire(), Now());
        var token = Ids.New(32);
        await store.CreateLinkAsync(canvasId, link, AuthSessions.HashToken(token), createdBy, cancellationToken);
        return new CreatedShareLink(link.Id, link.Role, link.CreatedAt, token);
    }

    /// <summary>Revokes a link; everyone who came in through it loses what it gave them, on every instance.</summary>
    public async Task<bool> RevokeLinkAsync(string canvasId, string linkId, CancellationToken cancellationToken = default)
    {
        if (!await store.RevokeLinkAsync(canvasId, linkId, DateTimeOffset.UtcNow, cancellationToken)) return false;
        await events.PublishAsync(new AccessChange(CanvasId: canvasId, LinkId: linkId), cancellationToken);
        return true;
    }

    /// <summary>Now, to the millisecond: what every store keeps, so what is returned is what a later read returns.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
