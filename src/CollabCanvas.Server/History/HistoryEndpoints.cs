using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Canvases;
using CollabCanvas.Server.Features;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.History;

public sealed record SaveVersionRequest(string? Name);

public sealed record DuplicateVersionRequest(string? Name);

/// <summary>A version as the history panel lists it. <c>thumbnail</c> is a place for a preview image's URL (none yet).</summary>
public sealed record VersionInfo(string Id, long Seq, string Kind, string? Name, string? Author, string? AuthorName, DateTimeOffset CreatedAt,
    string? Thumbnail = null);

/// <summary>One batch of the log: who, when, and its ops as the editor applies them.</summary>
public sealed record HistoryBatch(long Seq, DateTimeOffset? At, string Actor, JsonElement Ops);

/// <summary>
/// A page of batches; <c>next</c> is the <c>after</c> of the next page (null: the end of the log). <c>actors</c> names the
/// page's authors with the colour their cursors have, so that playback shows who did what without a request per author.
/// </summary>
public sealed record HistoryBatches(IReadOnlyList<HistoryBatch> Batches, long? Next, IReadOnlyList<HistoryActor> Actors);

/// <summary>An author of batches: display name (null when the account is gone) and presence colour.</summary>
public sealed record HistoryActor(string Id, string? Name, string Color);

/// <summary>The state at a seq (<c>exact</c>: false when that part of history was thinned and this is the checkpoint before it).</summary>
public sealed record StateAtSeq(long Seq, bool Exact, JsonElement Objects);

public sealed record VersionState(VersionInfo Version, JsonElement Objects);

/// <summary>A restore's batch (<c>seq</c> null: the canvas already was that version) and the ops that undo it.</summary>
public sealed record RestoreResult(long? Seq, JsonElement Undo);

public sealed record ObjectHistoryEntry(long Seq, DateTimeOffset? At, string Actor, string? ActorName, string Kind, IReadOnlyList<PropDiff> Changes,
    VersionInfo? Version);

/// <summary>
/// Version history's REST API (docs/api.md, "History"): the state at any seq, the log's batches, versions (save, list,
/// read, restore, duplicate), per-object history, and the canvas's history settings. Every endpoint needs the flag
/// <see cref="Feature.VersionHistory"/> and checks the caller's access through <see cref="HistoryAccess"/>.
/// </summary>
public static class HistoryEndpoints
{
    private const int MaxBatchesPerPage = 1000;

    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddSingleton<HistoryAccess>();
        services.AddSingleton<StateReplay>();
        services.AddSingleton<CanvasHistoryService>();
        services.AddHostedService<AutoVersions>();
        return services;
    }

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        var canvas = app.MapGroup("/api/canvases/{id}").WithTags("History").RequireFeature(Feature.VersionHistory);
        canvas.MapGet("/history/state", GetState).Produces<StateAtSeq>();
        canvas.MapGet("/history/batches", GetBatches).Produces<HistoryBatches>();
        canvas.MapGet("/history/settings", GetSettings).Produces<HistorySettings>();
        canvas.MapPut("/history/settings", SetSettings).Produces<HistorySettings>();
        canvas.MapGet("/versions", ListVersions).Produces<IReadOnlyList<VersionInfo>>();
        canvas.MapPost("/versions", SaveVersion).Produces<VersionInfo>(StatusCodes.Status201Created).ProducesValidationProblem();
        canvas.MapGet("/versions/{versionId}", GetVersion).Produces<VersionState>();
        canvas.MapPost("/versions/{versionId}/restore", Restore).Produces<RestoreResult>().ProducesProblem(StatusCodes.Status409Conflict);
        canvas.MapPost("/versions/{versionId}/duplicate", Duplicate).Produces<Canvas>(StatusCodes.Status201Created);
        canvas.MapGet("/objects/{objectId}/history", GetObjectHistory).Produces<IReadOnlyList<ObjectHistoryEntry>>();
        return app;
    }

    /// <summary>The state after every batch up to <paramref name="seq"/> (the current state when it is past the end).</summary>
    private static async Task<IResult> GetState(string id, long seq, HttpContext context, HistoryAccess access, CanvasHistoryService history)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        if (seq < 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["seq"] = ["A seq is 0 or more."] });
        var state = await history.StateAtAsync(id, seq, context.RequestAborted);
        // Written directly (as GET .../document): the objects are not parsed again to be serialized again.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq"u8, state.Seq);
            writer.WriteBoolean("exact"u8, state.Exact);
            writer.WritePropertyName("objects"u8);
            state.State.WriteObjects(writer);
            writer.WriteEndObject();
        }
        return TypedResults.File(buffer.WrittenSpan.ToArray(), "application/json");
    }

    /// <summary>Batches after <paramref name="after"/> (default 0, the start), at most <paramref name="limit"/> (default and at most 1000), for playback.</summary>
    private static async Task<IResult> GetBatches(string id, HttpContext context, HistoryAccess access, ICanvasLog log, IUserStore users,
        long after = 0, int limit = MaxBatchesPerPage)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        limit = Math.Clamp(limit, 1, MaxBatchesPerPage);
        if (await log.ReadAfterAsync(id, Math.Max(0, after), limit, context.RequestAborted) is not { } batches)
            return TypedResults.Problem("Batches after this seq were thinned (history retention); start from a later seq.", statusCode: StatusCodes.Status410Gone);
        var names = new UserNames(users, context.RequestAborted);
        var actors = new List<HistoryActor>();
        foreach (var actor in batches.Select(b => b.Actor).Distinct(StringComparer.Ordinal))
            actors.Add(new HistoryActor(actor, await names.OfAsync(actor), SessionGate.ColorOf(actor)));
        return TypedResults.Ok(new HistoryBatches(
            [.. batches.Select(b => new HistoryBatch(b.Seq, b.At, b.Actor, Json(b.OpsJson)))], batches.Count == limit ? batches[^1].Seq : null, actors));
    }

    private static async Task<IResult> GetSettings(string id, HttpContext context, HistoryAccess access, ICanvasHistory history) =>
        (await access.AuthorizeAsync(context, id, Role.Viewer)).Denied ?? TypedResults.Ok(await history.SettingsAsync(id, context.RequestAborted));

    /// <summary>The owner chooses who sees history and how long it is kept in full (<c>retentionDays</c>: null follows the server, 0 keeps everything).</summary>
    private static async Task<IResult> SetSettings(string id, HistorySettings settings, HttpContext context, CanvasAccess access, ICanvasHistory history)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Owner)).Denied is { } denied) return denied;
        if (settings.RetentionDays is < 0 or > 100 * 365)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["retentionDays"] = ["Null, or 0 to 36500 days."] });
        await history.SetSettingsAsync(id, settings, context.RequestAborted);
        return TypedResults.Ok(settings);
    }

    private static async Task<IResult> ListVersions(string id, HttpContext context, HistoryAccess access, ICanvasHistory history, IUserStore users)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        var names = new UserNames(users, context.RequestAborted);
        var versions = new List<VersionInfo>();
        foreach (var version in await history.VersionsAsync(id, context.RequestAborted)) versions.Add(await Info(version, names));
        return TypedResults.Ok(versions);
    }

    /// <summary>Saves the canvas as it is now under a name (editors and owners).</summary>
    private static async Task<IResult> SaveVersion(string id, SaveVersionRequest request, HttpContext context, HistoryAccess access,
        CanvasHistoryService history, IUserStore users)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Editor)).Denied is { } denied) return denied;
        if (ValidateName(request.Name) is { } problem) return problem;
        var version = await history.SaveVersionAsync(id, VersionKind.Named, request.Name!.Trim(), context.User.FindUserId(), context.RequestAborted);
        return TypedResults.Created($"/api/canvases/{id}/versions/{version!.Id}", await Info(version, new UserNames(users, context.RequestAborted)));
    }

    private static async Task<IResult> GetVersion(string id, string versionId, HttpContext context, HistoryAccess access, ICanvasHistory history,
        IUserStore users)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        if (await history.FindVersionAsync(id, versionId, context.RequestAborted) is not { } found) return TypedResults.NotFound();
        return TypedResults.Ok(new VersionState(await Info(found.Version, new UserNames(users, context.RequestAborted)), Json(found.State.ObjectsJson)));
    }

    /// <summary>Turns the canvas into the version with one batch of ordinary ops (editors and owners); live for everyone, undoable.</summary>
    private static async Task<IResult> Restore(string id, string versionId, HttpContext context, HistoryAccess access, ICanvasHistory history,
        CanvasHistoryService service)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Editor)).Denied is { } denied) return denied;
        if (await history.FindVersionAsync(id, versionId, context.RequestAborted) is not { } found) return TypedResults.NotFound();
        var restored = await service.RestoreAsync(id, StateReplay.Read(found.State.ObjectsJson), context.User.FindUserId()!);
        if (restored is not { } result)
            return TypedResults.Problem("The canvas would hold too many objects.", statusCode: StatusCodes.Status409Conflict);
        // Written directly (a restore of 10,000 objects has as many undo ops): the ops' JSON is not parsed to be written again.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (result.Seq is { } seq) writer.WriteNumber("seq"u8, seq); else writer.WriteNull("seq"u8);
            writer.WritePropertyName("undo"u8);
            writer.WriteRawValue(OpJson.ToUtf8(result.Undo), skipInputValidation: true);
            writer.WriteEndObject();
        }
        return TypedResults.File(buffer.WrittenSpan.ToArray(), "application/json");
    }

    /// <summary>A new canvas, owned by the caller, holding the version's objects.</summary>
    private static async Task<IResult> Duplicate(string id, string versionId, DuplicateVersionRequest request, HttpContext context,
        HistoryAccess access, ICanvasHistory history, CanvasHistoryService service, CanvasStore canvases)
    {
        if (context.User.FindUserId() is not { } userId) return TypedResults.Unauthorized();
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        if (await history.FindVersionAsync(id, versionId, context.RequestAborted) is not { } found) return TypedResults.NotFound();
        var name = request.Name?.Trim() is { Length: > 0 } given ? given
            : $"{(await canvases.FindAsync(id, context.RequestAborted))?.Name} ({found.Version.Name ?? found.Version.CreatedAt.ToString("yyyy-MM-dd HH:mm")})";
        if (ValidateName(name[..Math.Min(name.Length, CanvasEndpoints.MaxNameLength)]) is { } problem) return problem;
        var copy = await service.DuplicateAsync(StateReplay.Read(found.State.ObjectsJson), name[..Math.Min(name.Length, CanvasEndpoints.MaxNameLength)],
            userId, context.RequestAborted);
        return TypedResults.Created($"/api/canvases/{copy.Id}", copy);
    }

    /// <summary>Who changed the object, when, which props from what to what, and the version each change belongs to; newest first.</summary>
    private static async Task<IResult> GetObjectHistory(string id, string objectId, HttpContext context, HistoryAccess access,
        CanvasHistoryService history, IUserStore users)
    {
        if ((await access.AuthorizeAsync(context, id, Role.Viewer)).Denied is { } denied) return denied;
        if (!ObjectSchema.IsValidId(objectId)) return TypedResults.NotFound();
        var names = new UserNames(users, context.RequestAborted);
        var entries = new List<ObjectHistoryEntry>();
        foreach (var change in (await history.ObjectHistoryAsync(id, objectId, context.RequestAborted)).Reverse())
            entries.Add(new ObjectHistoryEntry(change.Seq, change.At, change.Actor, await names.OfAsync(change.Actor), change.Kind, change.Changes,
                change.Version is { } version ? await Info(version, names) : null));
        return TypedResults.Ok(entries);
    }

    private static async Task<VersionInfo> Info(CanvasVersion version, UserNames names) => new(
        version.Id, version.Seq, version.Kind == VersionKind.Named ? "named" : "auto", version.Name, version.Author,
        version.Author is { } author ? await names.OfAsync(author) : null, version.CreatedAt);

    private static JsonElement Json(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    private static IResult? ValidateName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > CanvasEndpoints.MaxNameLength || trimmed.Any(char.IsControl))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [$"A name of 1 to {CanvasEndpoints.MaxNameLength} characters without control characters is required."],
            });
        return null;
    }

    /// <summary>Display names of the users a response mentions, each looked up once.</summary>
    private sealed class UserNames(IUserStore users, CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, string?> _known = new(StringComparer.Ordinal);

        public async Task<string?> OfAsync(string userId)
        {
            if (!_known.TryGetValue(userId, out var name)) _known[userId] = name = (await users.FindAsync(userId, cancellationToken))?.DisplayName;
            return name;
        }
    }
}
