using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabCanvas.Server.Canvases;

public sealed record CreateCanvasRequest(string? Name);

public sealed record RenameCanvasRequest(string? Name);

public static class CanvasEndpoints
{
    public const int MaxNameLength = 100;

    public static IServiceCollection AddCanvases(this IServiceCollection services)
    {
        services.AddSingleton<CanvasStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapCanvases(this IEndpointRouteBuilder app)
    {
        var canvases = app.MapGroup("/api/canvases").WithTags("Canvases");
        canvases.MapPost("/", Create);
        canvases.MapGet("/", (CanvasStore store) => TypedResults.Ok(store.List()));
        canvases.MapGet("/{id}", Get);
        canvases.MapPatch("/{id}", Rename);
        canvases.MapDelete("/{id}", Delete);
        canvases.MapGet("/{id}/document", GetDocument);
        return app;
    }

    private static Results<Created<Canvas>, ValidationProblem> Create(CreateCanvasRequest request, CanvasStore store)
    {
        if (ValidateName(request.Name) is { } problem) return problem;
        var canvas = store.Create(request.Name!.Trim());
        return TypedResults.Created($"/api/canvases/{canvas.Id}", canvas);
    }

    private static Results<Ok<Canvas>, NotFound> Get(string id, CanvasStore store) =>
        store.Find(id) is { } canvas ? TypedResults.Ok(canvas) : TypedResults.NotFound();

    private static Results<Ok<Canvas>, NotFound, ValidationProblem> Rename(string id, RenameCanvasRequest request, CanvasStore store)
    {
        if (ValidateName(request.Name) is { } problem) return problem;
        return store.Rename(id, request.Name!.Trim()) is { } canvas ? TypedResults.Ok(canvas) : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> Delete(string id, CanvasStore store, RoomManager rooms, ICanvasLog log)
    {
        if (!store.Delete(id)) return TypedResults.NotFound();
        rooms.CloseCanvas(id, CloseCodes.CanvasDeleted, "the canvas was deleted");
        await log.DeleteCanvasAsync(id);
        return TypedResults.NoContent();
    }

    /// <summary><c>{ seq, objects }</c>: the state after every batch up to <c>seq</c>.</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> GetDocument(string id, CanvasStore store, RoomManager rooms)
    {
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
