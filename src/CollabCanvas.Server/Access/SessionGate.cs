using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Access;

/// <summary>Who a realtime session is and what it may do, decided at <c>hello</c>; or why it may not open.</summary>
/// <param name="ShareLinksOff">
/// <c>hello</c> brought a share link while the flag <c>ShareLinks</c> is off for the caller: the link was not used (the
/// session is admitted on the caller's own access, if any), and the client is told with the error <c>share_links_off</c>.
/// </param>
public sealed record Admission(UserInfo? User, SessionAccess Access, Role Role, int CloseCode = 0, string Reason = "", bool ShareLinksOff = false);

/// <summary>
/// Admits a WebSocket session at <c>hello</c>. The account comes from the upgrade request (the session cookie,
/// whose Origin was checked, or a bearer token) or from a single-use ticket in <c>hello</c>; a share link in
/// <c>hello</c> admits a guest (who is named by <c>hello.name</c>) or lifts a signed-in user's role. Later, an
/// <c>auth</c> message moves the session onto fresh credentials of the same account.
/// </summary>
public sealed class SessionGate(CanvasAccess access, AuthSessions sessions, BearerTokens tokens, Users users)
{
    private static readonly string[] Palette =
        ["#e03131", "#2f9e44", "#1971c2", "#f08c00", "#9c36b5", "#0c8599", "#e8590c", "#5c940d", "#3b5bdb", "#c2255c"];

    /// <param name="caller">What the upgrade request authenticated with (null when it did not).</param>
    public async Task<Admission> AdmitAsync(Credentials? caller, HelloMessage hello, string canvasId, CancellationToken cancellationToken = default)
    {
        if (caller is null && hello.Ticket is { } ticket)
        {
            caller = await sessions.RedeemTicketAsync(ticket, cancellationToken);
            if (caller is null) return Refuse(CloseCodes.Unauthorized, "the ticket is unknown, expired or already used");
        }
        var userId = caller?.UserId;
        var (linkId, linksOff) = hello.Link is { } token ? await access.FindLinkAsync(canvasId, token, userId, cancellationToken) : (null, false);
        var role = await access.RoleOfAsync(canvasId, userId, linkId, cancellationToken);
        // Invited while already signed in: the invitation is accepted the first time they come to the canvas.
        if (role == Role.None && userId is not null && await access.AcceptInvitationsAsync(userId, canvasId, cancellationToken))
            role = await access.RoleOfAsync(canvasId, userId, linkId, cancellationToken);
        if (role == Role.None)
            return (userId is null
                ? Refuse(CloseCodes.Unauthorized, linksOff ? "share links are switched off; sign in"
                    : hello.Link is null ? "sign in, or open a share link" : "this share link was revoked or is not for this canvas")
                : Refuse(CloseCodes.Forbidden, "you have no access to this canvas")) with { ShareLinksOff = linksOff };
        UserInfo user;
        if (userId is not null && await users.FindAsync(userId, cancellationToken) is { } account) user = new UserInfo(userId, account.DisplayName, ColorOf(userId));
        else if (userId is not null) return Refuse(CloseCodes.Unauthorized, "the account no longer exists");
        else
        {
            var guestId = "guest-" + Ids.New(8);
            user = new UserInfo(guestId, (Users.CleanName(hello.Name) ?? "Guest") + " (guest)", ColorOf(guestId));
        }
        return new Admission(user, new SessionAccess(canvasId, userId, caller?.AuthSessionId, linkId, caller?.Until), role, ShareLinksOff: linksOff);
    }

    /// <summary>
    /// The session's access resting on the credentials of an <c>auth</c> message, or null (with why) when they are
    /// refused: invalid, expired, or another account's (a link guest has no account to re-authenticate).
    /// </summary>
    public async Task<(SessionAccess? Access, string Reason)> ReauthenticateAsync(SessionAccess current, AuthMessage auth)
    {
        var credentials = auth.Token is { } token ? await tokens.AuthenticateAsync(token) : await sessions.RedeemTicketAsync(auth.Ticket!);
        if (credentials is null) return (null, auth.Token is null ? "the ticket is unknown, expired or already used" : "the token was refused");
        if (credentials.UserId != current.UserId) return (null, "the new credentials are another account's");
        return (current with { AuthSessionId = credentials.AuthSessionId, Until = credentials.Until }, "");
    }

    /// <summary>
    /// Whether the sign-in a session rests on has ended. A sign-out published between checking the credentials and
    /// the session showing them to the access enforcer (Realtime) would be missed; looking again once they show closes that gap.
    /// </summary>
    public async Task<bool> SignInEndedAsync(SessionAccess session, CancellationToken cancellationToken = default) =>
        session is { AuthSessionId: { } sessionId, UserId: { } userId } && await sessions.ActiveUntilAsync(sessionId, userId, cancellationToken) is null;

    /// <summary>Whether the account a session belongs to has been deleted since it opened.</summary>
    public async Task<bool> AccountDeletedAsync(SessionAccess session, CancellationToken cancellationToken = default) =>
        session.UserId is { } userId && await users.FindAsync(userId, cancellationToken) is null;

    /// <summary>The role a session of an account that still exists has now, after a change of access; None ends it.</summary>
    public Task<Role> ReconsiderAsync(SessionAccess session, CancellationToken cancellationToken = default) =>
        access.RoleOfAsync(session.CanvasId, session.UserId, session.LinkId, cancellationToken);

    private static Admission Refuse(int code, string reason) => new(null, SessionAccess.Nobody, Role.None, code, reason);

    /// <summary>A user's colour (cursors, selections, and their changes in playback).</summary>
    internal static string ColorOf(string id) => Palette[(int)((uint)StableHash(id) % Palette.Length)];

    /// <summary>The same colour for a user on every instance and after restarts (string.GetHashCode is randomized per process).</summary>
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }
}
