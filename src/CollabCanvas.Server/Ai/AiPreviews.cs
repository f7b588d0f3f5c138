using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Server.Backend;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// What a previewed command keeps until its requester accepts it: the plan, and what it ran against (the selection,
/// the viewport, and the objects it changes as they were), so that accepting runs it again against the canvas as it
/// is then and can tell whether someone changed those objects meanwhile.
/// </summary>
public sealed record AiPreview(IReadOnlyList<AiAction> Actions, IReadOnlyList<string> Ignored, string Interpreter, string? Note,
    IReadOnlyList<string> Selection, Viewport? Viewport, IReadOnlyDictionary<string, JsonObject> Changes);

/// <summary>
/// The previews waiting for their requester, in the backend's <see cref="IAiPreviewStore"/> (so that an accept may
/// reach any instance). Each lives <see cref="AiOptions.PreviewSeconds"/>; a user has at most <see cref="PerUser"/>
/// (a newer one drops the oldest).
/// </summary>
public sealed class AiPreviews(IAiPreviewStore store, IOptions<AiOptions> options)
{
    public const int PerUser = 3;

    public TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.PreviewSeconds);

    /// <summary>Keeps a preview; returns its id.</summary>
    public async Task<string> AddAsync(string userId, string canvasId, AiPreview preview)
    {
        var id = "aip" + Ids.New(16);
        var now = DateTimeOffset.UtcNow;
        await store.AddAsync(new StoredAiPreview(id, userId, canvasId, JsonSerializer.Serialize(preview, ToolCatalog.Json), now, now + Lifetime), PerUser);
        return id;
    }

    public enum Found { Yes, No, Expired }

    /// <summary>Removes the user's preview on this canvas and returns it unless it expired. Another user's is not found.</summary>
    public async Task<(Found Found, AiPreview? Preview)> TakeAsync(string userId, string canvasId, string id)
    {
        var stored = await store.TakeAsync(id, userId, canvasId);
        if (stored is null) return (Found.No, null);
        if (stored.ExpiresAt <= DateTimeOffset.UtcNow) return (Found.Expired, null);
        return (Found.Yes, JsonSerializer.Deserialize<AiPreview>(stored.Command, ToolCatalog.Json));
    }
}
