using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.History;

/// <summary>
/// Who may use a canvas's history: the role the request needs (<see cref="RequestAccess"/>), and then the canvas's
/// history settings: viewers only when the owner lets them (the default), share-link guests (and whatever role a link
/// adds to a member's own) only when the owner allows it (not the default).
/// </summary>
public sealed class HistoryAccess(CanvasAccess access, ICanvasHistory history)
{
    public async Task<(Role Role, IResult? Denied)> AuthorizeAsync(HttpContext context, string canvasId, Role needed)
    {
        var (role, denied) = await access.AuthorizeAsync(context, canvasId, needed);
        if (denied is not null) return (role, denied);
        var settings = await history.SettingsAsync(canvasId, context.RequestAborted);
        if (!settings.LinksSeeHistory && await access.RoleOfAsync(canvasId, context.User.FindUserId(), null, context.RequestAborted) < role)
            return (role, Forbidden("The owner does not share this canvas's history through links."));
        if (role == Role.Viewer && !settings.ViewersSeeHistory)
            return (role, Forbidden("The owner does not show this canvas's history to viewers."));
        return (role, null);
    }

    private static IResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden);
}
