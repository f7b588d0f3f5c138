using System.Globalization;
using System.Security.Claims;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// What proves that a caller is an account: the account, the browser sign-in it came through (null for a bearer
/// token), and when that sign-in or token stops being accepted. A socket opened with them ends when they do.
/// </summary>
public sealed record Credentials(string UserId, string? AuthSessionId, DateTimeOffset Until);

/// <summary>The claims CollabCanvas puts on a signed-in principal, whatever the way in (cookie or bearer token).</summary>
public static class CallerClaims
{
    public const string UserId = "cc_uid";
    public const string SessionId = "cc_sid";
    public const string Name = "cc_name";
    /// <summary>When the credentials stop being accepted (Unix milliseconds): the sign-in's end, or the token's expiry plus the clock skew.</summary>
    public const string Until = "cc_until";

    /// <summary>The account behind the request, or null for an anonymous request.</summary>
    public static string? FindUserId(this ClaimsPrincipal principal) => principal.FindFirst(UserId)?.Value;

    /// <summary>The browser sign-in behind the request (null for bearer tokens).</summary>
    public static string? AuthSessionId(this ClaimsPrincipal principal) => principal.FindFirst(SessionId)?.Value;

    /// <summary>The request's credentials, or null for an anonymous request.</summary>
    public static Credentials? Credentials(this ClaimsPrincipal principal) =>
        principal.FindUserId() is { } userId && long.TryParse(principal.FindFirst(Until)?.Value, CultureInfo.InvariantCulture, out var until)
            ? new Credentials(userId, principal.AuthSessionId(), DateTimeOffset.FromUnixTimeMilliseconds(until))
            : null;

    /// <param name="until">When the credentials stop being accepted; for a cookie it is added on each request, from the sign-in's row.</param>
    public static ClaimsPrincipal Principal(User user, string? sessionId, string authenticationType, DateTimeOffset? until = null)
    {
        var claims = new List<Claim> { new(UserId, user.Id), new(Name, user.DisplayName) };
        if (sessionId is not null) claims.Add(new Claim(SessionId, sessionId));
        if (until is { } u) claims.Add(UntilClaim(u));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, Name, null));
    }

    public static Claim UntilClaim(DateTimeOffset until) => new(Until, until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
}
