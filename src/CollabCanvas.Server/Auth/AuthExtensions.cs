using System.Net;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CollabCanvas.Server.Auth;

public static class AuthSchemes
{
    /// <summary>Picks the bearer scheme of the token's issuer when there is an Authorization header, the cookie otherwise.</summary>
    public const string Default = "default";
    public const string Cookie = "cookie";
    public static string Oidc(string provider) => "oidc-" + provider;
    public static string Bearer(string provider) => "bearer-" + provider;
}

/// <summary>
/// Sign-in: the session cookie, one OpenID Connect handler per configured provider (code flow with PKCE, as a
/// confidential client), one JWT bearer handler per provider that has an API audience, and local accounts. The
/// ASP.NET Core handlers do the protocol work; this file only configures them and maps what they learn to accounts.
/// </summary>
public static class AuthExtensions
{
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();

        // Cookies and the OIDC handshake's state are protected with these keys; every instance on the host shares
        // them (the callback may land on another instance than the one that sent the user to the provider).
        services.AddDataProtection().SetApplicationName("CollabCanvas")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(storage.DataDirectory, "keys")));

        services.AddSingleton<Passwords>();
        services.AddSingleton<Users>();
        services.AddSingleton<AuthSessions>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SignInFlow>();

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Default;
                o.DefaultSignInScheme = AuthSchemes.Cookie;
            })
            .AddPolicyScheme(AuthSchemes.Default, null, o => o.ForwardDefaultSelector = context => SelectScheme(context, options))
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.Cookie = new SecureOutsideLoopbackCookie { Name = "cc_session", HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" };
                o.ExpireTimeSpan = TimeSpan.FromDays(options.SessionDays);
                o.SlidingExpiration = false;
                o.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = async context =>
                {
                    // The cookie names a sign-in; once it has ended (here or on another instance) the cookie is worthless.
                    // Its end, read from the same row, goes on the principal: a socket opened with it closes then.
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<AuthSessions>();
                    if (context.Principal?.AuthSessionId() is not { } sid || context.Principal.FindUserId() is not { } uid ||
                        await sessions.ActiveUntilAsync(sid, uid, context.HttpContext.RequestAborted) is not { } until)
                        context.RejectPrincipal();
                    else
                        ((System.Security.Claims.ClaimsIdentity)context.Principal.Identity!).AddClaim(CallerClaims.UntilClaim(until));
                };
            });

        // Microsoft.IdentityModel refreshes a provider's keys in the background by default, so the token that revealed a
        // rotation is refused before the new keys arrive. Blocking, the refresh it asks for when a kid is unknown happens
        // before it validates that token again (see ProviderMetadata).
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
        foreach (var (name, provider) in options.Providers)
        {
            var metadata = ProviderMetadata(provider, options);
            authentication.AddOpenIdConnect(AuthSchemes.Oidc(name), provider.DisplayName ?? name, o =>
            {
                o.Authority = provider.Authority;
                o.ConfigurationManager = metadata; // an id token with an unknown kid: see ProviderMetadata
                o.ClientId = provider.ClientId;
                o.ClientSecret = provider.ClientSecret;
                o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.ResponseMode = OpenIdConnectResponseMode.Query; // a top-level GET back: the Lax correlation cookie comes with it
                o.UsePkce = true;
                o.CallbackPath = $"/auth/callback/{name}";
                o.SignedOutCallbackPath = $"/auth/signed-out/{name}";
                o.SignInScheme = AuthSchemes.Cookie;
                o.Scope.Clear();
                foreach (var scope in provider.Scopes) o.Scope.Add(scope);
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                // Not mapped from the userinfo answer by default, and needed to decide on linking.
                o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
                o.ClaimActions.MapUniqueJsonKey("picture", "picture");
                o.SaveTokens = false;
                o.TokenValidationParameters.ValidAlgorithms = provider.Algorithms;
                o.TokenValidationParameters.NameClaimType = "name";
                o.CorrelationCookie = new SecureOutsideLoopbackCookie { Name = "cc_oidc_correlation", HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/auth" };
                o.NonceCookie = new SecureOutsideLoopbackCookie { Name = "cc_oidc_nonce", HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/auth" };
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    if (provider.Connection is { } connection) context.ProtocolMessage.SetParameter("connection", connection);
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = context =>
                {
                    // Kept (in the protected cookie) only to end the provider's session at sign-out.
                    if (context.TokenEndpointResponse?.IdToken is { } idToken)
                        context.Properties!.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
                    return Task.CompletedTask;
                };
                o.Events.OnTicketReceived = context =>
                    context.HttpContext.RequestServices.GetRequiredService<SignInFlow>().OnProviderSignInAsync(context, name);
                o.Events.OnRemoteFailure = context =>
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILogger<SignInFlow>>()
                        .LogWarning("sign-in through {Provider} failed: {Error}", name, context.Failure?.Message);
                    context.Response.Redirect("/signin?error=provider");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });

            if (provider.Audience is { } audience)
            {
                authentication.AddJwtBearer(AuthSchemes.Bearer(name), o =>
                {
                    o.Authority = provider.Authority;
                    o.ConfigurationManager = metadata; // the handler validates with it, so an unknown kid refreshes as above
                    o.Audience = audience;
                    o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                    o.MapInboundClaims = false;
                    o.TokenValidationParameters.ValidateIssuer = true;
                    o.TokenValidationParameters.ValidateAudience = true;
                    o.TokenValidationParameters.ValidateLifetime = true;
                    o.TokenValidationParameters.RequireExpirationTime = true;
                    o.TokenValidationParameters.RequireSignedTokens = true;
                    o.TokenValidationParameters.ValidAlgorithms = provider.Algorithms;
                    o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds);
                    // The provider briefly unreachable: keep validating with the last keys that worked.
                    o.TokenValidationParameters.ValidateWithLKG = true;
                    o.Events = new JwtBearerEvents
                    {
                        OnTokenValidated = context =>
                            context.HttpContext.RequestServices.GetRequiredService<SignInFlow>().OnBearerTokenAsync(context),
                    };
                });
            }
        }
        services.AddAuthorization();
        services.AddSingleton<RequestLimit, SignInRateLimit>();
        return services;
    }

    /// <summary>
    /// A provider's discovery document and signing keys, one cache for its browser and bearer handlers alike. Both hand
    /// it to the token handler they validate with, and that handler, when a token names a kid the cached keys do not
    /// have (the provider has rotated its keys), fetches them again and validates once more, so the first sign-in or API
    /// request after a rotation succeeds, whichever comes first. Unknown kids fetch at most once per KeyRefreshSeconds,
    /// so made-up tokens cannot make the server hammer the provider.
    /// </summary>
    private static ConfigurationManager<OpenIdConnectConfiguration> ProviderMetadata(OidcProviderOptions provider, AuthOptions options) =>
        new($"{provider.Authority.TrimEnd('/')}/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromSeconds(60) }) { RequireHttps = provider.RequireHttpsMetadata })
        {
            RefreshInterval = TimeSpan.FromSeconds(options.KeyRefreshSeconds),
        };

    /// <summary>Authentication, and the Origin check for cookie-authenticated writes.</summary>
    public static WebApplication UseSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestLimits();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value;
        app.Use(async (context, next) =>
        {
            if (IsWriteOrUpgrade(context.Request) && !OriginAllowed(context.Request, options))
            {
                await TypedResults.Problem("This origin may not use CollabCanvas from a browser.", statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>
    /// A browser always sends Origin with WebSocket upgrades and cross-origin writes. Same host, or listed in
    /// <see cref="AuthOptions.AllowedOrigins"/>, or no Origin at all (not a browser) passes.
    /// </summary>
    public static bool OriginAllowed(HttpRequest request, AuthOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
               string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsWriteOrUpgrade(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) ||
        request.Headers.Upgrade.Count > 0;

    private static string SelectScheme(HttpContext context, AuthOptions options)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthSchemes.Cookie;
        var bearers = options.Providers.Where(p => p.Value.Audience is not null).ToList();
        if (bearers.Count == 0) return AuthSchemes.Cookie;
        // Route by the (not yet validated) issuer; the chosen handler validates everything.
        string? issuer = null;
        try
        {
            issuer = new JsonWebToken(header["Bearer ".Length..].Trim()).Issuer;
        }
        catch (ArgumentException)
        {
        }
        var match = bearers.FirstOrDefault(p => SameIssuer(p.Value.Authority, issuer));
        return AuthSchemes.Bearer((match.Key is null ? bearers[0] : match).Key);
    }

    private static bool SameIssuer(string authority, string? issuer) =>
        issuer is not null && string.Equals(authority.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal);

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Cookies are Secure on every request except plain HTTP to a loopback address (development and tests).</summary>
    public static bool SecureCookies(HttpContext context) => context.Request.IsHttps || !IsLoopback(context.Request.Host.Host);

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private sealed class SecureOutsideLoopbackCookie : CookieBuilder
    {
        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var cookie = base.Build(context, expiresFrom);
            cookie.Secure = SecureCookies(context);
            return cookie;
        }
    }
}
