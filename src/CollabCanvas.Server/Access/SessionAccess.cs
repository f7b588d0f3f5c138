namespace CollabCanvas.Server.Access;

/// <summary>
/// What a realtime session's access rests on: the account (null for a link guest), the browser sign-in it came
/// through (its cookie or a ticket that sign-in minted; null for bearer tokens), the share link it used (if any),
/// and when the sign-in or token stops being accepted (null for a link guest: a link has no end but its revocation).
/// When one of these changes, the session's role is worked out again; when the sign-in ends or expires, the session does.
/// </summary>
public sealed record SessionAccess(string CanvasId, string? UserId, string? AuthSessionId, string? LinkId, DateTimeOffset? Until)
{
    public static readonly SessionAccess Nobody = new("", null, null, null, null);
}
