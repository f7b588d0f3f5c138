using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Auth;

/// <summary>Section <c>CollabCanvas:Auth</c>. Every setting is described in docs/auth.md.</summary>
public sealed class AuthOptions
{
    public const string Section = "CollabCanvas:Auth";

    /// <summary>OpenID Connect providers by a short name (letters, digits, dashes): each is a button on the sign-in page.</summary>
    public Dictionary<string, OidcProviderOptions> Providers { get; set; } = [];

    /// <summary>Local accounts (email and password). Unset: on only when no provider is configured.</summary>
    public bool? LocalAccounts { get; set; }

    public bool LocalAccountsEnabled => LocalAccounts ?? Providers.Count == 0;

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may open WebSockets and send cookie-authenticated writes, besides
    /// the server's own origin. Everything else is refused (no cross-site WebSocket hijacking).
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser sign-in lasts.</summary>
    [Range(1, 365)]
    public int SessionDays { get; set; } = 14;

    /// <summary>Fewest seconds between two fetches of a provider's signing keys when a token names an unknown key (1 at least: Microsoft.IdentityModel's floor).</summary>
    [Range(1, 86400)]
    public int KeyRefreshSeconds { get; set; } = 60;

    /// <summary>
    /// Seconds by which the provider's clock and this server's may differ: a bearer token is accepted until its
    /// <c>exp</c> plus this, on REST and on sockets alike (a socket resting on it closes then).
    /// </summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 30;

    public LoginThrottleOptions Throttle { get; set; } = new();

    /// <summary>
    /// Requests to register, sign in and link per client address and minute, on each instance: each costs an
    /// Argon2id hash (19 MiB, tens of milliseconds), so this bounds the CPU and memory one address can take.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SignInRequestsPerMinute { get; set; } = 60;

    /// <summary>
    /// Invitations (adding someone to a canvas by email) per user and hour, on each instance; more get 429 with
    /// Retry-After.
    /// </summary>
    [Range(1, 1_000_000)]
    public int InvitationsPerHour { get; set; } = 60;
}

public sealed class OidcProviderOptions
{
    /// <summary>The issuer URL, e.g. <c>https://your-tenant.eu.auth0.com/</c>; discovery is read from it.</summary>
    [Required]
    public string Authority { get; set; } = "";

    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The confidential client's secret; from the environment or a secret store, never from a committed file.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The button's text, e.g. "Google" or "Company SSO".</summary>
    public string? DisplayName { get; set; }

    /// <summary>Auth0's <c>connection</c> parameter (e.g. <c>google-oauth2</c>, <c>github</c>, <c>windowslive</c>): skips Auth0's own chooser.</summary>
    public string? Connection { get; set; }

    /// <summary>The API audience that access tokens for CollabCanvas carry; bearer tokens are accepted only when set.</summary>
    public string? Audience { get; set; }

    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>Signature algorithms accepted on tokens; anything else (none, HS256, ...) is refused.</summary>
    public string[] Algorithms { get; set; } = ["RS256", "PS256", "ES256"];

    /// <summary>Only for a provider on loopback in tests and development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

public sealed class LoginThrottleOptions
{
    [Range(1, 1000)]
    public int FailuresPerAccount { get; set; } = 5;

    [Range(1, 10000)]
    public int FailuresPerAddress { get; set; } = 20;

    [Range(1, 1440)]
    public int WindowMinutes { get; set; } = 15;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;
}
