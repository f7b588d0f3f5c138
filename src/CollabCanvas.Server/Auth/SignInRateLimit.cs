using CollabCanvas.Server.Web;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Requests per address and minute to the endpoints that hash a password (<see cref="AuthOptions.SignInRequestsPerMinute"/>),
/// so that no one address can keep the CPU hashing.
/// </summary>
public sealed class SignInRateLimit(IOptions<AuthOptions> options)
    : RequestLimit(LimitName, options.Value.SignInRequestsPerMinute, TimeSpan.FromMinutes(1), "Too many sign-in requests from this address. Try again in a minute.")
{
    public const string LimitName = "sign-in";

    protected override string? KeyOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
