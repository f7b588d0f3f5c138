using System.Security.Claims;

namespace CollabCanvas.Server.Auth;

/// <summary>The claims CollabCanvas puts on a signed-in principal, whatever the way in (cookie or bearer token).</summary>
public static class CallerClaims
{
    public const string UserId = "cc_uid";
    public const string SessionId = "cc_sid";
    public const string Name = "cc_name";

    /// <summary>The account behind the request, or null for an anonymous request.</summary>
    public static string? FindUserId(this ClaimsPrincipal principal) => principal.FindFirst(UserId)?.Value;

    /// <summary>The browser sign-in behind the request (null for bearer tokens).</summary>
    public static string? AuthSessionId(this ClaimsPrincipal principal) => principal.FindFirst(SessionId)?.Value;

    public static ClaimsPrincipal Principal(User user, string? sessionId, string authenticationType)
    {
        var claims = new List<Claim> { new(UserId, user.Id), new(Name, user.DisplayName) };
        if (sessionId is not null) claims.Add(new Claim(SessionId, sessionId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, Name, null));
    }
}
