using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Auth;

namespace CollabCanvas.Server.Access;

/// <summary>Who a realtime session is and what it may do, decided at <c>hello</c>; or why it may not open.</summary>
public sealed record Admission(UserInfo? User, SessionAccess Access, Role Role, int CloseCode = 0, string Reason = "");

/// <summary>
/// Admits a WebSocket session at <c>hello</c>. The account comes from the upgrade request (the session cookie,
/// whose Origin was checked, or a bearer token) or from a single-use ticket in <c>hello</c>; a share link in
/// <c>hello</c> admits a guest (who is named by <c>hello.name</c>) or lifts a signed-in user's role.
/// </summary>
public sealed class SessionGate(CanvasAccess access, AuthSessions sessions, Users users)
{
    private static readonly string[] Palette =
        ["#e03131", "#2f9e44", "#1971c2", "#f08c00", "#9c36b5", "#0c8599", "#e8590c", "#5c940d", "#3b5bdb", "#c2255c"];

    /// <param name="caller">Who the upgrade request authenticated as (both null when it did not).</param>
    public Admission Admit((string? UserId, string? AuthSessionId) caller, HelloMessage hello, string canvasId)
    {
        var (userId, authSessionId) = caller;
        if (userId is null && hello.Ticket is { } ticket)
        {
            userId = sessions.RedeemTicket(ticket);
            if (userId is null) return Refuse(CloseCodes.Unauthorized, "the ticket is unknown, expired or already used");
        }
        var linkId = hello.Link is { } token ? access.FindLink(canvasId, token) : null;
        var role = access.RoleOf(canvasId, userId, linkId);
        if (role == Role.None)
            return userId is null
                ? Refuse(CloseCodes.Unauthorized, hello.Link is null ? "sign in, or open a share link" : "this share link was revoked or is not for this canvas")
                : Refuse(CloseCodes.Forbidden, "you have no access to this canvas");
        UserInfo user;
        if (userId is not null && users.Find(userId) is { } account) user = new UserInfo(userId, account.DisplayName, ColorOf(userId));
        else if (userId is not null) return Refuse(CloseCodes.Unauthorized, "the account no longer exists");
        else
        {
            var guestId = "guest-" + Ids.New(8);
            user = new UserInfo(guestId, (Users.CleanName(hello.Name) ?? "Guest") + " (guest)", ColorOf(guestId));
        }
        return new Admission(user, new SessionAccess(canvasId, userId, authSessionId, linkId), role);
    }

    /// <summary>The role a session has now, after a change of access; None ends it.</summary>
    public Role Reconsider(SessionAccess session) =>
        session.UserId is { } userId && users.Find(userId) is null ? Role.None : access.RoleOf(session.CanvasId, session.UserId, session.LinkId);

    private static Admission Refuse(int code, string reason) => new(null, SessionAccess.Nobody, Role.None, code, reason);

    private static string ColorOf(string id) => Palette[(int)((uint)StableHash(id) % Palette.Length)];

    /// <summary>The same colour for a user on every instance and after restarts (string.GetHashCode is randomized per process).</summary>
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }
}
