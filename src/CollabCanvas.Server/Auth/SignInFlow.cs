using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// What happens when someone signs in, whichever way: a provider's callback, a bearer token, or a local password.
/// Provider identities map to accounts by (issuer, subject) only. A new identity whose provider says its email is
/// verified, and whose email belongs to a local account, is not joined silently: the user is asked for that
/// account's password, and only then is the identity linked (<see cref="CompleteLinkAsync"/>). Every browser sign-in
/// accepts the invitations waiting for the account's verified addresses.
/// </summary>
public sealed class SignInFlow(Users users, AuthSessions sessions, Passwords passwords, LoginThrottle throttle, ISignInListener listener,
    IDataProtectionProvider protection, IOptions<AuthOptions> options, ILogger<SignInFlow> logger)
{
    public const string PendingLinkCookie = "cc_pending_link";
    private static readonly TimeSpan PendingLinkLifetime = TimeSpan.FromMinutes(10);
    private readonly IDataProtector _pendingLinks = protection.CreateProtector("CollabCanvas.PendingLink");

    public async Task OnProviderSignInAsync(TicketReceivedContext context, string provider)
    {
        // Set by the challenge and carried in the protected state; held to the rule again where it is used.
        context.ReturnUri = ReturnTarget.Resolve(context.ReturnUri, context.Request);
        var identity = ReadIdentity(context.Principal!);
        if (identity is null)
        {
            context.Fail("the provider gave no subject");
            return;
        }
        var cancellationToken = context.HttpContext.RequestAborted;
        var user = await users.FindByIdentityAsync(identity.Issuer, identity.Subject, cancellationToken);
        if (user is null && identity is { EmailVerified: true, Email: { } email } && await users.FindLocalAsync(email, cancellationToken) is not null)
        {
            // Someone with this verified address has a local account: offer to link, never link by email alone.
            var payload = JsonSerializer.Serialize(new PendingLink(identity, provider, DateTimeOffset.UtcNow + PendingLinkLifetime));
            context.Response.Cookies.Append(PendingLinkCookie, _pendingLinks.Protect(payload), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", Secure = AuthExtensions.SecureCookies(context.HttpContext),
                MaxAge = PendingLinkLifetime,
            });
            context.Response.Redirect("/signin?link=pending&returnUrl=" + Uri.EscapeDataString(context.ReturnUri));
            context.HandleResponse();
            return;
        }
        user = await users.SignInExternalAsync(identity, cancellationToken); // creates the account, or refreshes its profile from the provider
        await listener.OnSignedInAsync(user.Id, cancellationToken); // with the email and its verified flag just stored
        var sessionId = await sessions.CreateAsync(user.Id, TimeSpan.FromDays(options.Value.SessionDays), cancellationToken);
        context.Principal = CallerClaims.Principal(user, sessionId, AuthSchemes.Cookie);
        context.Properties!.Items["cc_provider"] = provider;
        logger.LogInformation("user {User} signed in through {Provider}", user.Id, provider);
    }

    public async Task OnBearerTokenAsync(TokenValidatedContext context)
    {
        if (await MapBearerAsync(context.Principal!, context.SecurityToken, context.Scheme.Name, context.HttpContext.RequestAborted) is { } principal)
            context.Principal = principal;
        else
            context.Fail("the token has no subject");
    }

    /// <summary>The account of a valid token, with the moment the token stops being accepted (what a socket resting on it needs).</summary>
    private async Task<ClaimsPrincipal?> MapBearerAsync(ClaimsPrincipal claims, SecurityToken token, string scheme, CancellationToken cancellationToken)
    {
        if (ReadIdentity(claims) is not { } identity) return null;
        var user = await users.FindByIdentityAsync(identity.Issuer, identity.Subject, cancellationToken) ??
            await users.SignInExternalAsync(identity, cancellationToken);
        var until = new DateTimeOffset(token.ValidTo, TimeSpan.Zero) + TimeSpan.FromSeconds(options.Value.ClockSkewSeconds);
        return CallerClaims.Principal(user, sessionId: null, scheme, until);
    }

    public enum LocalResult { SignedIn, Wrong, Throttled }

    /// <summary>
    /// Checks a local password. Unknown account and wrong password take the same path and the same time (one
    /// Argon2id verification either way); imported SHA-256 rows are upgraded to Argon2id on their first success.
    /// </summary>
    public async Task<(LocalResult Result, string? UserId, TimeSpan RetryAfter)> CheckLocalAsync(string email, string password, string? address,
        CancellationToken cancellationToken = default)
    {
        var wait = await throttle.RetryAfterAsync(email, address, cancellationToken);
        if (wait > TimeSpan.Zero) return (LocalResult.Throttled, null, wait);
        var credentials = await users.FindLocalAsync(email, cancellationToken);
        var ok = false;
        if (credentials?.PasswordHash is { } hash)
        {
            ok = await passwords.VerifyAsync(password, hash);
            if (ok && Passwords.NeedsRehash(hash)) await users.SetPasswordHashAsync(credentials.UserId, await passwords.HashAsync(password), cancellationToken);
        }
        else if (credentials?.LegacySha256 is { } legacy)
        {
            await passwords.VerifyNothingAsync(password); // the legacy check alone would be measurably faster
            ok = Passwords.VerifyLegacySha256(password, legacy);
            if (ok) await users.SetPasswordHashAsync(credentials.UserId, await passwords.HashAsync(password), cancellationToken);
        }
        else
        {
            await passwords.VerifyNothingAsync(password);
        }
        if (!ok)
        {
            await throttle.FailAsync(email, address, CancellationToken.None); // a caller that hangs up still used a guess
            return (LocalResult.Wrong, null, TimeSpan.Zero);
        }
        await throttle.SucceedAsync(email, CancellationToken.None);
        return (LocalResult.SignedIn, credentials!.UserId, TimeSpan.Zero);
    }

    /// <summary>Starts a browser sign-in for an account: a new auth session and the cookie that names it.</summary>
    public async Task SignInCookieAsync(HttpContext context, User user)
    {
        await listener.OnSignedInAsync(user.Id, context.RequestAborted);
        var sessionId = await sessions.CreateAsync(user.Id, TimeSpan.FromDays(options.Value.SessionDays), context.RequestAborted);
        await context.SignInAsync(AuthSchemes.Cookie, CallerClaims.Principal(user, sessionId, AuthSchemes.Cookie));
    }

    /// <summary>The provider identity waiting to be linked in this browser, if any (for the sign-in page to show).</summary>
    public PendingLink? ReadPendingLink(HttpContext context)
    {
        if (context.Request.Cookies[PendingLinkCookie] is not { } cookie) return null;
        try
        {
            var link = JsonSerializer.Deserialize<PendingLink>(_pendingLinks.Unprotect(cookie));
            return link is not null && link.ExpiresAt > DateTimeOffset.UtcNow ? link : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Links the pending identity to the local account of its email once the user gives that account's password.</summary>
    public async Task<(LocalResult Result, TimeSpan RetryAfter)> CompleteLinkAsync(HttpContext context, string password,
        CancellationToken cancellationToken = default)
    {
        if (ReadPendingLink(context) is not { Identity.Email: { } email } pending) return (LocalResult.Wrong, TimeSpan.Zero);
        var (result, userId, wait) = await CheckLocalAsync(email, password, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (result != LocalResult.SignedIn) return (result, wait);
        await users.LinkAsync(userId!, pending.Identity, cancellationToken); // false when the identity found an account meanwhile: it stays there
        context.Response.Cookies.Delete(PendingLinkCookie, new CookieOptions { Path = "/" });
        await SignInCookieAsync(context, (await users.FindAsync(userId!, cancellationToken))!);
        logger.LogInformation("user {User} linked an identity from {Provider}", userId, pending.Provider);
        return (LocalResult.SignedIn, TimeSpan.Zero);
    }

    private static ExternalIdentity? ReadIdentity(ClaimsPrincipal principal)
    {
        var sub = principal.FindFirst("sub");
        if (sub is null || string.IsNullOrEmpty(sub.Value)) return null;
        var issuer = principal.FindFirst("iss")?.Value ?? sub.Issuer;
        var email = principal.FindFirst("email")?.Value;
        var verified = principal.FindFirst("email_verified")?.Value is "true" or "True";
        var name = principal.FindFirst("name")?.Value ?? principal.FindFirst("nickname")?.Value;
        var picture = principal.FindFirst("picture")?.Value;
        if (picture is not null && !picture.StartsWith("https://", StringComparison.Ordinal)) picture = null;
        return new ExternalIdentity(issuer, sub.Value, email, verified, name, picture);
    }
}

public sealed record PendingLink(ExternalIdentity Identity, string Provider, DateTimeOffset ExpiresAt);
