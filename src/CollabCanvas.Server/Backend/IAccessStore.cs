namespace CollabCanvas.Server.Backend;

/// <summary>A member with the profile the members list shows.</summary>
public sealed record Member(string UserId, string DisplayName, string? Email, string? AvatarUrl, string Role);

public sealed record ShareLink(string Id, string Role, DateTimeOffset CreatedAt);

/// <summary>A pending invitation: the address the owner typed (normalized), never who, if anyone, has it.</summary>
public sealed record Invitation(string Id, string Email, string Role, DateTimeOffset CreatedAt);

/// <summary>
/// What a caller's role on a canvas is decided from: whether the canvas exists, the caller's membership, the live
/// share link they hold on it, and whether the canvas is open to every signed-in user (None where there is none).
/// </summary>
public sealed record AccessFacts(bool CanvasExists, Role Member, Role Link, bool OpenToSignedIn);

public enum MemberChange { Done, NotMember, WouldLeaveNoOwner }

/// <summary>Who may do what on a canvas: its members, the invitations that will make members, and its share links.</summary>
public interface IAccessStore
{
    /// <param name="userId">Null for a share-link guest.</param>
    /// <param name="linkId">Null when the caller holds no link.</param>
    Task<AccessFacts> FactsAsync(string canvasId, string? userId, string? linkId, CancellationToken cancellationToken = default);

    /// <summary>The id of the live (not revoked) link of this canvas whose token has this hash, or null.</summary>
    Task<string?> FindLinkAsync(string canvasId, string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>The canvas's members with their profiles: owners first, then editors, then viewers, each by name (ordinal).</summary>
    Task<IReadOnlyList<Member>> MembersAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a user a role, adding them (member since <paramref name="at"/>) when they are not a member. Checked and
    /// done in one step: the last owner cannot step down (WouldLeaveNoOwner, nothing changed).
    /// </summary>
    Task<MemberChange> SetRoleAsync(string canvasId, string userId, Role role, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes a member (NotMember when they were not one); checked and done in one step: never the last owner.</summary>
    Task<MemberChange> RemoveAsync(string canvasId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invites an address. Inviting it again renews the role, the inviter and the time, and keeps the first
    /// invitation's id. Returns the invitation as stored.
    /// </summary>
    Task<Invitation> InviteAsync(string canvasId, Invitation invitation, string invitedBy, CancellationToken cancellationToken = default);

    /// <summary>The canvas's pending invitations, oldest first (then by address).</summary>
    Task<IReadOnlyList<Invitation>> InvitationsAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>Withdraws a pending invitation; false when there was none.</summary>
    Task<bool> RevokeInvitationAsync(string canvasId, string invitationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one step, turns the invitations to these addresses (on one canvas, or all) into memberships, each canvas's
    /// highest invited role winning, and removes them. A member keeps the role they have. Returns the canvases the
    /// user joined.
    /// </summary>
    Task<IReadOnlyList<string>> AcceptInvitationsAsync(string userId, IReadOnlyCollection<string> emails, string? canvasId, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>The canvas's live share links, oldest first.</summary>
    Task<IReadOnlyList<ShareLink>> LinksAsync(string canvasId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new link; only the hash of its token is kept.</summary>
    Task CreateLinkAsync(string canvasId, ShareLink link, string tokenHash, string createdBy, CancellationToken cancellationToken = default);

    /// <summary>Revokes a live link at <paramref name="at"/>; false when there was no live link with this id on this canvas.</summary>
    Task<bool> RevokeLinkAsync(string canvasId, string linkId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
