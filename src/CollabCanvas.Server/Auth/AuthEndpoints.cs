using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? Name);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LinkRequest(string? Password);

public sealed record ProviderInfo(string Name, string DisplayName);

public sealed record PendingLinkInfo(string Provider, string? Email);

public sealed record AuthConfig(IReadOnlyList<ProviderInfo> Providers, bool LocalAccounts, PendingLinkInfo? PendingLink);

public sealed record Me(string Id, string Name, string? Email, string? AvatarUrl);

/// <param name="ExpiresInSeconds">At most 30; less when the sign-in or token that minted it ends sooner.</param>
public sealed record Ticket(string Value, int ExpiresInSeconds);

public sealed record DeleteAccountRequest(string? Confirm)
{
    public const string Confirmation = "delete my account";
}

public static class AuthEndpoints
{
    /// <summary>The one answer to a failed local sign-in, whatever failed: no account, wrong password, or an imported row.</summary>
    private const string WrongCredentials = "The email or password is not right.";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Sign-in");
        auth.MapGet("/config", Config);
        auth.MapPost("/local/register", Register).RequireRequestLimit(SignInRateLimit.LimitName);
        auth.MapPost("/local/login", Login).RequireRequestLimit(SignInRateLimit.LimitName);
        auth.MapPost("/link", Link).RequireRequestLimit(SignInRateLimit.LimitName);
        auth.MapGet("/login/{provider}", Challenge);
        auth.MapPost("/logout", Logout);
        app.MapGet("/api/me", GetMe).WithTags("Sign-in");
        app.MapDelete("/api/me", DeleteMe).WithTags("Sign-in");
        app.MapPost("/api/ws-tickets", IssueTicket).WithTags("Sign-in");
        return app;
    }

    private static AuthConfig Config(HttpContext context, IOptions<AuthOptions> options, SignInFlow flow)
    {
        var o = options.Value;
        var providers = o.Providers.Select(p => new ProviderInfo(p.Key, p.Value.DisplayName ?? p.Key)).ToList();
        var pending = o.LocalAccountsEnabled && flow.ReadPendingLink(context) is { } link
            ? new PendingLinkInfo(o.Providers.TryGetValue(link.Provider, out var p) ? p.DisplayName ?? link.Provider : link.Provider, link.Identity.Email)
            : null;
        return new AuthConfig(providers, o.LocalAccountsEnabled, pending);
    }

    /// <summary>
    /// Always answers 202 with the same text, whether the account was created or the email was taken: the answer
    /// must not tell anyone which addresses have accounts. The editor signs in right after.
    /// </summary>
    private static async Task<Results<Accepted<object>, ValidationProblem, NotFound>> Register(RegisterRequest request, HttpContext context, Users users, Passwords passwords,
        IOptions<AuthOptions> options, ILogger<RegisterRequest> logger)
    {
        if (!options.Value.LocalAccountsEnabled) return TypedResults.NotFound();
        var errors = new Dictionary<string, string[]>();
        if (!Users.IsEmail(request.Email)) errors["email"] = ["An email address is required."];
        if (request.Password is not { Length: >= Passwords.MinLength and <= Passwords.MaxLength })
            errors["password"] = [$"A password has {Passwords.MinLength} to {Passwords.MaxLength} characters."];
        var name = Users.CleanName(request.Name);
        if (request.Name is not null && request.Name.Length > Users.MaxNameLength) errors["name"] = [$"A name has at most {Users.MaxNameLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var email = request.Email!.Trim();
        var hash = await passwords.HashAsync(request.Password!); // hashed either way: a taken email costs the same time
        if (await users.TryCreateLocalAsync(email, name ?? email.Split('@')[0], hash, context.RequestAborted) is { } userId)
            logger.LogInformation("local account {User} created", userId);
        return TypedResults.Accepted((string?)null, (object)new { message = "If the address was free, the account was created. Sign in with it." });
    }

    private static async Task<IResult> Login(LoginRequest request, HttpContext context, SignInFlow flow, Users users, IOptions<AuthOptions> options)
    {
        if (!options.Value.LocalAccountsEnabled) return TypedResults.NotFound();
        if (!Users.IsEmail(request.Email) || request.Password is not { Length: > 0 and <= Passwords.MaxLength })
            return TypedResults.Problem(WrongCredentials, statusCode: StatusCodes.Status401Unauthorized);
        var (result, userId, wait) = await flow.CheckLocalAsync(request.Email!.Trim(), request.Password, context.Connection.RemoteIpAddress?.ToString(),
            context.RequestAborted);
        switch (result)
        {
            case SignInFlow.LocalResult.Throttled:
                return Throttled(context, wait);
            case SignInFlow.LocalResult.Wrong:
                return TypedResults.Problem(WrongCredentials, statusCode: StatusCodes.Status401Unauthorized);
        }
        await flow.SignInCookieAsync(context, (await users.FindAsync(userId!, context.RequestAborted))!);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Link(LinkRequest request, HttpContext context, SignInFlow flow)
    {
        if (request.Password is not { Length: > 0 and <= Passwords.MaxLength })
            return TypedResults.Problem(WrongCredentials, statusCode: StatusCodes.Status401Unauthorized);
        var (result, wait) = await flow.CompleteLinkAsync(context, request.Password, context.RequestAborted);
        return result switch
        {
            SignInFlow.LocalResult.SignedIn => TypedResults.NoContent(),
            SignInFlow.LocalResult.Throttled => Throttled(context, wait),
            _ => TypedResults.Problem(WrongCredentials, statusCode: StatusCodes.Status401Unauthorized),
        };
    }

    private static IResult Challenge(string provider, string? returnUrl, HttpRequest request, IOptions<AuthOptions> options)
    {
        if (!options.Value.Providers.ContainsKey(provider)) return TypedResults.NotFound();
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = ReturnTarget.Resolve(returnUrl, request) }, [AuthSchemes.Oidc(provider)]);
    }

    /// <summary>
    /// Ends the browser sign-in (its sockets close on every instance) and, for a provider sign-in, the provider's
    /// session too (RP-initiated logout with the id token as hint), then comes back to the sign-in page.
    /// </summary>
    private static async Task Logout(HttpContext context, AuthSessions sessions, IOptions<AuthOptions> options)
    {
        var result = await context.AuthenticateAsync(AuthSchemes.Cookie);
        if (result.Principal?.AuthSessionId() is { } sessionId) await sessions.EndAsync(sessionId, CancellationToken.None); // even if the browser goes away meanwhile
        await context.SignOutAsync(AuthSchemes.Cookie);
        if (result.Properties?.Items.TryGetValue("cc_provider", out var provider) == true && provider is not null &&
            options.Value.Providers.ContainsKey(provider))
        {
            // The OIDC handler reads the id token from the cookie's properties for id_token_hint.
            context.User = result.Principal!;
            await context.SignOutAsync(AuthSchemes.Oidc(provider), new AuthenticationProperties(result.Properties.Items) { RedirectUri = "/signin" });
            return;
        }
        context.Response.Redirect("/signin");
    }

    private static async Task<Results<Ok<Me>, UnauthorizedHttpResult>> GetMe(HttpContext context, Users users) =>
        context.User.FindUserId() is { } id && await users.FindAsync(id, context.RequestAborted) is { } user
            ? TypedResults.Ok(new Me(user.Id, user.DisplayName, user.Email, user.AvatarUrl))
            : TypedResults.Unauthorized();

    /// <summary>
    /// Deletes the caller's account (the body must say <c>{"confirm": "delete my account"}</c>): its sign-ins and
    /// memberships, the canvases only it owned, the links it made. Its sockets close on every instance within a second.
    /// </summary>
    private static async Task<IResult> DeleteMe([Microsoft.AspNetCore.Mvc.FromBody] DeleteAccountRequest request, HttpContext context, Users users, IAccessEventBus events,
        ICanvasRemoval canvases, ILogger<DeleteAccountRequest> logger)
    {
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        if (request.Confirm != DeleteAccountRequest.Confirmation)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["confirm"] = [$"Send \"{DeleteAccountRequest.Confirmation}\" to confirm: this cannot be undone."],
            });
        // Not cancellable from here on: an account half-announced as deleted would keep sockets open elsewhere.
        if (await users.DeleteAsync(userId, CancellationToken.None) is not { } removal) return TypedResults.NotFound();
        foreach (var canvas in removal.SolelyOwnedCanvases) await canvases.DeleteAsync(canvas, CancellationToken.None);
        foreach (var (canvas, link) in removal.Links) await events.PublishAsync(new AccessChange(CanvasId: canvas, LinkId: link), CancellationToken.None);
        await events.PublishAsync(new AccessChange(UserId: userId), CancellationToken.None);
        await context.SignOutAsync(AuthSchemes.Cookie);
        logger.LogInformation("account {User} deleted with {Canvases} canvases it alone owned", userId, removal.SolelyOwnedCanvases.Count);
        return TypedResults.NoContent();
    }

    /// <summary>A ticket for one socket, belonging to the caller's sign-in (or resting on its bearer token): see docs/auth.md.</summary>
    private static async Task<Results<Ok<Ticket>, UnauthorizedHttpResult>> IssueTicket(HttpContext context, AuthSessions sessions) =>
        context.User.Credentials() is { } credentials && await sessions.IssueTicketAsync(credentials, context.RequestAborted) is { } ticket
            ? TypedResults.Ok(ticket)
            : TypedResults.Unauthorized();

    private static IResult Throttled(HttpContext context, TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Too many attempts. Try again in {Math.Max(1, seconds / 60)} minute(s).", statusCode: StatusCodes.Status429TooManyRequests);
    }
}
