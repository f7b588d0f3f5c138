using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Web;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Access;

/// <summary>
/// Invitations per user and hour, on each instance (<see cref="AuthOptions.InvitationsPerHour"/>). The answer to an
/// invitation is the same whoever has the address, so this is not what keeps addresses secret: it keeps one account
/// from filling the table, and from testing addresses in bulk should some other difference ever appear.
/// </summary>
public sealed class InvitationRateLimit(IOptions<AuthOptions> options)
    : RequestLimit(LimitName, options.Value.InvitationsPerHour, TimeSpan.FromHours(1), "Too many invitations in the last hour. Try again later.")
{
    public const string LimitName = "invitations";

    /// <summary>Anonymous callers are not counted: the endpoint answers them 401 anyway.</summary>
    protected override string? KeyOf(HttpContext context) => context.User.FindUserId();
}
