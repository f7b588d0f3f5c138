using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabCanvas.Server.Canvases;

/// <param name="Template">The id of a starter template (GET /api/templates) whose objects the canvas starts with.</param>
public sealed record CreateCanvasRequest(string? Name, string? Template = null);

public sealed record RenameCanvasRequest(string? Name);

public sealed record AddMemberRequest(string? Email, string? Role);

public sealed record SetRoleRequest(string? Role);

public sealed record CreateLinkRequest(string? Role);

/// <summary>
/// The canvas REST API. Every endpoint states the least role it needs; <see cref="Authorize"/> answers 401 to a
/// caller who is neither signed in nor holding a share link, 404 to one without access (whether the canvas exists
/// is not theirs to know), and 403 to one whose role is too low. A signed-in caller invited to the canvas joins
/// as they come to it.
/// </summary>
public static class CanvasEndpoints
{
    public const int MaxNameLength = 100;

    /// <summary>Share-link guests (and users who are not members) send the link's token in this header.</summary>
    public const string ShareLinkHeader = "X-Share-Link";

    public static IServiceCollection AddCanvases(this IServiceCollection services)
    {
        services.AddSingleton<CanvasStore>();
        services.AddSingleton<CanvasTemplates>();
        return services;
    }

    public static IEndpointRouteBuilder MapCanvases(this IEndpointRouteBuilder app)
    {
        var canvases = app.MapGroup("/api/canvases").WithTags("Canvases");
        app.MapGet("/api/templates", (CanvasTemplates templates) => TypedResults.Ok(templates.All)).WithTags("Canvases");
        canvases.MapPost("/", Create);
        canvases.MapGet("/", List);
        canvases.MapGet("/{id}", Get);
        canvases.MapPatch("/{id}", Rename);
        canvases.MapDelete("/{id}", Delete);
        canvases.MapGet("/{id}/document", GetDocument);
        canvases.MapGet("/{id}/members", ListMembers);
        canvases.MapPost("/{id}/members", AddMember).RequireRateLimiting(InvitationRateLimit.Name)
            .Produces<Invitation>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        canvases.MapPut("/{id}/members/{userId}", SetMemberRole);
        canvases.MapDelete("/{id}/members/{userId}", RemoveMember);
        canvases.MapGet("/{id}/invitations", ListInvitations).Produces<IReadOnlyList<Invitation>>();
        canvases.MapDelete("/{id}/invitations/{invitationId}", RevokeInvitation).Produces(StatusCodes.Status204NoContent);
        canvases.MapGet("/{id}/links", ListLinks);
        canvases.MapPost("/{id}/links", CreateLink);
        canvases.MapDelete("/{id}/links/{linkId}", RevokeLink);
        return app;
    }

    /// <summary>The caller's role on the canvas if it is at least <paramref name="needed"/>, or the answer that refuses them.</summary>
    public static (Role Role, IResult? Denied) Authorize(HttpContext context, string canvasId, Role needed, CanvasAccess access)
    {
        var userId = context.User.FindUserId();
        var token = context.Request.Headers[ShareLinkHeader].ToString();
        var linkId = token.Length is > 0 and <= ClientMessages.MaxSecretLength ? access.FindLink(canvasId, token) : null;
        var role = access.RoleOf(canvasId, userId, linkId);
        // Invited while already signed in: the invitation is accepted the first time they come to the canvas.
        if (role < needed && userId is not null && access.AcceptInvitations(userId, canvasId)) role = access.RoleOf(canvasId, userId, linkId);
        if (role == Role.None)
            return (role, userId is null && linkId is null ? TypedResults.Unauthorized() : TypedResults.NotFound());
        if (role < needed)
            return (role, TypedResults.Problem($"This needs the {needed.ToWire()} role; you are {role.ToWire()}.", statusCode: StatusCodes.Status403Forbidden));
        return (role, null);
    }

    /// <summary>A new canvas owned by the caller; made from a template, its objects are the canvas's first batch.</summary>
    private static async Task<IResult> Create(CreateCanvasRequest request, HttpContext context, CanvasStore store, CanvasTemplates templates,
        RoomManager rooms)
    {
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        if (ValidateName(request.Name) is { } problem) return problem;
        var ops = request.Template is null ? null : templates.Ops(request.Template);
        if (request.Template is not null && ops is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["template"] = [$"The templates are {string.Join(", ", templates.All.Select(t => t.Id))}."],
            });
        var canvas = store.Create(request.Name!.Trim(), userId);
        if (ops is not null)
        {
            var room = await rooms.GetAsync(canvas.Id);
            try
            {
                await room.SubmitFromServerAsync(userId, "template", ops, OpJson.ToUtf8(ops));
            }
            finally
            {
                _ = rooms.ReleaseAsync(room);
            }
        }
        return TypedResults.Created($"/api/canvases/{canvas.Id}", canvas);
    }

    /// <summary>The caller's canvases, after accepting the invitations waiting for them (the dashboard shows them at once).</summary>
    private static IResult List(HttpContext context, CanvasStore store, CanvasAccess access)
    {
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        access.AcceptInvitations(userId);
        return TypedResults.Ok(store.List(userId));
    }

    private static IResult Get(string id, HttpContext context, CanvasStore store, CanvasAccess access)
    {
        var (role, denied) = Authorize(context, id, Role.Viewer, access);
        if (denied is not null) return denied;
        return store.Find(id) is { } canvas ? TypedResults.Ok(canvas with { Role = role.ToWire() }) : TypedResults.NotFound();
    }

    private static IResult Rename(string id, RenameCanvasRequest request, HttpContext context, CanvasStore store, CanvasAccess access,
        AccessEvents events)
    {
        var (role, denied) = Authorize(context, id, Role.Editor, access);
        if (denied is not null) return denied;
        if (ValidateName(request.Name) is { } problem) return problem;
        if (store.Rename(id, request.Name!.Trim()) is not { } canvas) return TypedResults.NotFound();
        events.Publish(new AccessChange(CanvasId: id, CanvasName: canvas.Name));
        return TypedResults.Ok(canvas with { Role = role.ToWire() });
    }

    private static async Task<IResult> Delete(string id, HttpContext context, CanvasStore store, CanvasAccess access, RoomManager rooms, ICanvasLog log)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        return await DeleteCanvasAsync(id, store, rooms, log) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>Deletes a canvas: the row, its open sessions (closed with 4410) and its log.</summary>
    public static async Task<bool> DeleteCanvasAsync(string id, CanvasStore store, RoomManager rooms, ICanvasLog log)
    {
        if (!store.Delete(id)) return false;
        rooms.CloseCanvas(id, CloseCodes.CanvasDeleted, "the canvas was deleted");
        await log.DeleteCanvasAsync(id);
        return true;
    }

    private static IResult ListMembers(string id, HttpContext context, CanvasAccess access) =>
        Authorize(context, id, Role.Viewer, access).Denied ?? TypedResults.Ok(access.Members(id));

    /// <summary>
    /// Invites an address with a role: 201 with the invitation, the same answer whether or not an account has the
    /// address (docs/auth.md, Invitations). It becomes a membership when an account with this verified address signs
    /// in, opens the dashboard or comes to the canvas; until then the owner sees it, and may revoke it, as pending.
    /// </summary>
    private static IResult AddMember(string id, AddMemberRequest request, HttpContext context, CanvasAccess access)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role == Role.None) return InvalidRole;
        if (!Users.IsEmail(request.Email))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["An email address is required."] });
        var email = Users.NormalizeEmail(request.Email!);
        // The members list shows the owner every member's address already: saying so tells nothing new.
        if (access.Members(id).Any(m => m.Email is { } e && Users.NormalizeEmail(e) == email))
            return TypedResults.Problem("This address belongs to a member already; change their role in the list.", statusCode: StatusCodes.Status409Conflict);
        var invitation = access.Invite(id, email, role, context.User.FindUserId()!);
        return TypedResults.Created($"/api/canvases/{id}/invitations/{invitation.Id}", invitation);
    }

    private static IResult ListInvitations(string id, HttpContext context, CanvasAccess access) =>
        Authorize(context, id, Role.Owner, access).Denied ?? TypedResults.Ok(access.Invitations(id));

    private static IResult RevokeInvitation(string id, string invitationId, HttpContext context, CanvasAccess access)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        return access.RevokeInvitation(id, invitationId) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static IResult SetMemberRole(string id, string userId, SetRoleRequest request, HttpContext context, CanvasAccess access)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role == Role.None) return InvalidRole;
        if (access.Members(id).All(m => m.UserId != userId)) return TypedResults.NotFound();
        return access.SetRole(id, userId, role) == CanvasAccess.MemberChange.WouldLeaveNoOwner
            ? TypedResults.Problem("A canvas keeps at least one owner.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(access.Members(id));
    }

    /// <summary>The owner removes anyone; any member may leave.</summary>
    private static IResult RemoveMember(string id, string userId, HttpContext context, CanvasAccess access)
    {
        var leaving = context.User.FindUserId() == userId;
        if (Authorize(context, id, leaving ? Role.Viewer : Role.Owner, access).Denied is { } denied) return denied;
        return access.Remove(id, userId) switch
        {
            null => TypedResults.NotFound(),
            CanvasAccess.MemberChange.WouldLeaveNoOwner => TypedResults.Problem("A canvas keeps at least one owner.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NoContent(),
        };
    }

    private static IResult ListLinks(string id, HttpContext context, CanvasAccess access) =>
        Authorize(context, id, Role.Owner, access).Denied ?? TypedResults.Ok(access.Links(id));

    private static IResult CreateLink(string id, CreateLinkRequest request, HttpContext context, CanvasAccess access)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role is not (Role.Viewer or Role.Editor))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["A link gives the editor or viewer role."] });
        var link = access.CreateLink(id, role, context.User.FindUserId()!);
        return TypedResults.Created($"/api/canvases/{id}/links/{link.Id}", link);
    }

    private static IResult RevokeLink(string id, string linkId, HttpContext context, CanvasAccess access)
    {
        if (Authorize(context, id, Role.Owner, access).Denied is { } denied) return denied;
        return access.RevokeLink(id, linkId) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static readonly ValidationProblem InvalidRole =
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["The role is owner, editor or viewer."] });

    /// <summary><c>{ seq, objects }</c>: the state after every batch up to <c>seq</c>.</summary>
    private static async Task<IResult> GetDocument(string id, HttpContext context, CanvasStore store, CanvasAccess access, RoomManager rooms)
    {
        if (Authorize(context, id, Role.Viewer, access).Denied is { } denied) return denied;
        if (store.Find(id) is null) return TypedResults.NotFound();
        var room = await rooms.GetAsync(id);
        var (seq, objects) = room.Document();
        _ = rooms.ReleaseAsync(room);
        using var buffer = new MemoryStream(objects.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq"u8, seq);
            writer.WritePropertyName("objects"u8);
            writer.WriteRawValue(objects, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return TypedResults.File(buffer.ToArray(), "application/json");
    }

    private static ValidationProblem? ValidateName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A name is required."] });
        if (trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A name has at most {MaxNameLength} characters and no control characters."],
            });
        return null;
    }
}
