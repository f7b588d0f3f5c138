namespace CollabCanvas.Server.Access;

/// <summary>
/// What a realtime session's access rests on: the account (null for a link guest), the browser sign-in it came
/// through (null for bearer tokens and tickets), and the share link it used (if any). When one of these changes,
/// the session's role is worked out again.
/// </summary>
public sealed record SessionAccess(string CanvasId, string? UserId, string? AuthSessionId, string? LinkId)
{
    public static readonly SessionAccess Nobody = new("", null, null, null);
}
