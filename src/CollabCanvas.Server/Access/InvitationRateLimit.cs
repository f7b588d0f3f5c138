using System.Threading.RateLimiting;
using CollabCanvas.Server.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Access;

/// <summary>
/// Invitations per user and hour, on each instance (<see cref="AuthOptions.InvitationsPerHour"/>). The answer to an
/// invitation is the same whoever has the address, so this is not what keeps addresses secret: it keeps one account
/// from filling the table, and from testing addresses in bulk should some other difference ever appear.
/// </summary>
public sealed class InvitationRateLimit(IOptions<AuthOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "invitations";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } =
        (context, _) => AuthExtensions.RejectAsync(context, "Too many invitations in the last hour. Try again later.");

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        httpContext.User.FindUserId() is { } userId
            ? RateLimitPartition.GetFixedWindowLimiter(userId, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.InvitationsPerHour, Window = TimeSpan.FromHours(1),
            })
            : RateLimitPartition.GetNoLimiter("anonymous"); // the endpoint answers 401 to them anyway
}
