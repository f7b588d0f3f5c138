using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Web;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabCanvas.Server.Canvases;

/// <param name="Template">The id of a starter template (GET /api/templates) whose objects the canvas starts with.</param>
public sealed record CreateCanvasRequest(string? Name, string? Template = null);

public sealed record RenameCanvasRequest(string? Name);

public sealed record AddMemberRequest(string? Email, string? Role);

public sealed record SetRoleRequest(string? Role);

public sealed record CreateLinkRequest(string? Role);

/// <summary>
/// The canvas REST API. Every endpoint states the least role it needs (<see cref="RequestAccess.AuthorizeAsync"/>).
/// </summary>
public static class CanvasEndpoints
{
    public const int MaxNameLength = 100;

    public static IServiceCollection AddCanvases(this IServiceCollection services)
    {
        services.AddSingleton<CanvasStore>();
        services.AddSingleton<ICanvasRemoval>(sp => sp.GetRequiredService<CanvasStore>());
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
        canvases.MapGet("/{id}/document", GetDocument).RequireFeature(Feature.ExportJson);
        canvases.MapGet("/{id}/members", ListMembers);
        canvases.MapPost("/{id}/members", AddMember).RequireFeature(Feature.Invitations).RequireRequestLimit(InvitationRateLimit.LimitName)
            .Produces<Invitation>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        canvases.MapPut("/{id}/members/{userId}", SetMemberRole);
        canvases.MapDelete("/{id}/members/{userId}", RemoveMember);
        canvases.MapGet("/{id}/invitations", ListInvitations).RequireFeature(Feature.Invitations).Produces<IReadOnlyList<Invitation>>();
        canvases.MapDelete("/{id}/invitations/{invitationId}", RevokeInvitation).RequireFeature(Feature.Invitations).Produces(StatusCodes.Status204NoContent);
        canvases.MapGet("/{id}/links", ListLinks).RequireFeature(Feature.ShareLinks);
        canvases.MapPost("/{id}/links", CreateLink).RequireFeature(Feature.ShareLinks);
        canvases.MapDelete("/{id}/links/{linkId}", RevokeLink).RequireFeature(Feature.ShareLinks);
        return app;
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
        var canvas = await store.CreateAsync(request.Name!.Trim(), userId, context.RequestAborted);
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
    private static async Task<IResult> List(HttpContext context, CanvasStore store, CanvasAccess access)
    {
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        await access.AcceptInvitationsAsync(userId, cancellationToken: context.RequestAborted);
        return TypedResults.Ok(await store.ListAsync(userId, context.RequestAborted));
    }

    private static async Task<IResult> Get(string id, HttpContext context, CanvasStore store, CanvasAccess access)
    {
        var (role, denied) = await access.AuthorizeAsync(context, id, Role.Viewer);
        if (denied is not null) return denied;
        return await store.FindAsync(id, context.RequestAborted) is { } canvas ? TypedResults.Ok(canvas with { Role = role.ToWire() }) : TypedResults.NotFound();
    }

    private static async Task<IResult> Rename(string id, RenameCanvasRequest request, HttpContext context, CanvasStore store, CanvasAccess access,
        IAccessEventBus events)
    {
        var (role, denied) = await access.AuthorizeAsync(context, id, Role.Editor);
        if (denied is not null) return denied;
        if (ValidateName(request.Name) is { } problem) return problem;
        if (await store.RenameAsync(id, request.Name!.Trim(), context.RequestAborted) is not { } canvas) return TypedResults.NotFound();
        await events.PublishAsync(new AccessChange(CanvasId: id, CanvasName: canvas.Name), context.RequestAborted);
        return TypedResults.Ok(canvas with { Role = role.ToWire() });
    }

    private static async Task<IResult> Delete(string id, HttpContext context, CanvasStore store, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        return await store.DeleteAsync(id, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static async Task<IResult> ListMembers(string id, HttpContext context, CanvasAccess access) =>
        (await access.AuthorizeAsync(context, id, Role.Viewer)).Denied ?? TypedResults.Ok(await access.MembersAsync(id, context.RequestAborted));

    /// <summary>
    /// Invites an address with a role: 201 with the invitation, the same answer whether or not an account has the
    /// address (docs/auth.md, Invitations). It becomes a membership when an account with this verified address signs
    /// in, opens the dashboard or comes to the canvas; until then the owner sees it, and may revoke it, as pending.
    /// </summary>
    private static async Task<IResult> AddMember(string id, AddMemberRequest request, HttpContext context, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role == Role.None) return InvalidRole;
        if (!Users.IsEmail(request.Email))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["An email address is required."] });
        var email = Users.NormalizeEmail(request.Email!);
        // The members list shows the owner every member's address already: saying so tells nothing new.
        if ((await access.MembersAsync(id, context.RequestAborted)).Any(m => m.Email is { } e && Users.NormalizeEmail(e) == email))
            return TypedResults.Problem("This address belongs to a member already; change their role in the list.", statusCode: StatusCodes.Status409Conflict);
        var invitation = await access.InviteAsync(id, email, role, context.User.FindUserId()!, context.RequestAborted);
        return TypedResults.Created($"/api/canvases/{id}/invitations/{invitation.Id}", invitation);
    }

    private static async Task<IResult> ListInvitations(string id, HttpContext context, CanvasAccess access) =>
        (await access.AuthorizeAsync(context, id, Role.Owner)).Denied ?? TypedResults.Ok(await access.InvitationsAsync(id, context.RequestAborted));

    private static async Task<IResult> RevokeInvitation(string id, string invitationId, HttpContext context, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        return await access.RevokeInvitationAsync(id, invitationId, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static async Task<IResult> SetMemberRole(string id, string userId, SetRoleRequest request, HttpContext context, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role == Role.None) return InvalidRole;
        if ((await access.MembersAsync(id, context.RequestAborted)).All(m => m.UserId != userId)) return TypedResults.NotFound();
        return await access.SetRoleAsync(id, userId, role, context.RequestAborted) == MemberChange.WouldLeaveNoOwner
            ? TypedResults.Problem("A canvas keeps at least one owner.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(await access.MembersAsync(id, context.RequestAborted));
    }

    /// <summary>The owner removes anyone; any member may leave.</summary>
    private static async Task<IResult> RemoveMember(string id, string userId, HttpContext context, CanvasAccess access)
    {
        var leaving = context.User.FindUserId() == userId;
        if ((await access.AuthorizeAsync(context, id, leaving ? Role.Viewer : Role.Owner)).Denied is { } denied) return denied;
        return await access.RemoveAsync(id, userId, context.RequestAborted) switch
        {
            MemberChange.NotMember => TypedResults.NotFound(),
            MemberChange.WouldLeaveNoOwner => TypedResults.Problem("A canvas keeps at least one owner.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<IResult> ListLinks(string id, HttpContext context, CanvasAccess access) =>
        (await access.AuthorizeAsync(context, id, Role.Owner)).Denied ?? TypedResults.Ok(await access.LinksAsync(id, context.RequestAborted));

    private static async Task<IResult> CreateLink(string id, CreateLinkRequest request, HttpContext context, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        var role = Roles.Parse(request.Role);
        if (role is not (Role.Viewer or Role.Editor))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["A link gives the editor or viewer role."] });
        var link = await access.CreateLinkAsync(id, role, context.User.FindUserId()!, context.RequestAborted);
        return TypedResults.Created($"/api/canvases/{id}/links/{link.Id}", link);
    }

    private static async Task<IResult> RevokeLink(string id, string linkId, HttpContext context, CanvasAccess access)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        return await access.RevokeLinkAsync(id, linkId, context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static readonly ValidationProblem InvalidRole =
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["The role is owner, editor or viewer."] });

    /// <summary><c>{ seq, objects, connectors }</c>: the state after every batch up to <c>seq</c>, and the bound connectors' points as drawn.</summary>
    private static async Task<IResult> GetDocument(string id, HttpContext context, CanvasStore store, CanvasAccess access, RoomManager rooms)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        if (await store.FindAsync(id, context.RequestAborted) is null) return TypedResults.NotFound();
        var room = await rooms.GetAsync(id);
        var (seq, objects, connectors) = await room.DocumentAsync();
        _ = rooms.ReleaseAsync(room);
        using var buffer = new MemoryStream(objects.Length + connectors.Length + 48);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq"u8, seq);
            writer.WritePropertyName("objects"u8);
            writer.WriteRawValue(objects, skipInputValidation: true);
            writer.WritePropertyName("connectors"u8);
            writer.WriteRawValue(connectors, skipInputValidation: true);
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
