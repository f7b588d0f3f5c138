using Microsoft.AspNetCore.Authentication;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Checks a bearer token that arrives on an open socket (an <c>auth</c> message) through the very handlers that check
/// a request's Authorization header: the same issuers, audiences, keys, algorithms, lifetime and skew, and the same
/// account, so a socket accepts exactly the tokens REST accepts.
/// </summary>
public sealed class BearerTokens(IServiceScopeFactory scopes)
{
    /// <summary>The token's credentials, or null when REST would answer it with 401.</summary>
    public async Task<Credentials?> AuthenticateAsync(string token)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + token;
        var result = await context.AuthenticateAsync(AuthSchemes.Default);
        return result.Succeeded ? result.Principal.Credentials() : null;
    }
}
