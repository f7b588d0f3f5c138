using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Features;

namespace CollabCanvas.Server.Access;

/// <summary>
/// The role behind an HTTP request on a canvas, for every endpoint that acts on one: 401 to a caller who is neither
/// signed in nor holding a share link, 404 to one without access (whether the canvas exists is not theirs to know),
/// 403 to one whose role is too low. A signed-in caller invited to the canvas joins as they come to it. A share link
/// counts only while the flag <see cref="Feature.ShareLinks"/> is on for the caller.
/// </summary>
public static class RequestAccess
{
    /// <summary>Share-link guests (and users who are not members) send the link's token in this header.</summary>
    public const string ShareLinkHeader = "X-Share-Link";

    /// <summary>The caller's role on the canvas if it is at least <paramref name="needed"/>, or the answer that refuses them.</summary>
    public static async Task<(Role Role, IResult? Denied)> AuthorizeAsync(this CanvasAccess access, HttpContext context, string canvasId, Role needed)
    {
        var cancellationToken = context.RequestAborted;
        var userId = context.User.FindUserId();
        var token = context.Request.Headers[ShareLinkHeader].ToString();
        var (linkId, linksOff) = token.Length is > 0 and <= ClientMessages.MaxSecretLength
            ? await access.FindLinkAsync(canvasId, token, userId, cancellationToken) : (null, false);
        var role = await access.RoleOfAsync(canvasId, userId, linkId, cancellationToken);
        // Invited while already signed in: the invitation is accepted the first time they come to the canvas.
        if (role < needed && userId is not null && await access.AcceptInvitationsAsync(userId, canvasId, cancellationToken))
            role = await access.RoleOfAsync(canvasId, userId, linkId, cancellationToken);
        // A caller who came only through a link while share links are off is told so, not sent to sign in.
        if (role == Role.None && linksOff) return (role, FeatureFlags.Refusal(Feature.ShareLinks));
        if (role == Role.None)
            return (role, userId is null && linkId is null ? TypedResults.Unauthorized() : TypedResults.NotFound());
        if (role < needed)
            return (role, TypedResults.Problem($"This needs the {needed.ToWire()} role; you are {role.ToWire()}.", statusCode: StatusCodes.Status403Forbidden));
        return (role, null);
    }
}
