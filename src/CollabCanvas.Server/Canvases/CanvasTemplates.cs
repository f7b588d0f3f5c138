using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Canvases;

/// <summary>What the dashboard offers: a template's id, its name and a line on what it holds.</summary>
public sealed record TemplateInfo(string Id, string Name, string Description);

/// <summary>
/// Starter canvases (Templates/*.json, embedded): ordinary objects in the document's form (id → props, frames before
/// what they hold), which a canvas made from the template starts with, as its first batch. Each is validated once, against
/// the limits this server is configured with: one that does not fit them (an operator's smaller text limit, say) is
/// not offered, and a warning says why; the tests hold every template to the default limits.
/// </summary>
public sealed class CanvasTemplates
{
    private const string ResourcePrefix = "Templates.";
    private readonly Dictionary<string, (TemplateInfo Info, Op[] Ops)> _templates = new(StringComparer.Ordinal);

    public CanvasTemplates(IOptions<RealtimeOptions> realtime, ILogger<CanvasTemplates> logger)
    {
        var assembly = typeof(CanvasTemplates).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            var id = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var file = JsonDocument.Parse(stream);
            var ops = file.RootElement.GetProperty("objects").EnumerateObject()
                .Select(o => new Dictionary<string, object> { ["op"] = "put", ["id"] = o.Name, ["props"] = o.Value });
            using var batch = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(ops));
            if (!OpJson.TryRead(batch.RootElement, realtime.Value.ToLimits(), out var read, out var error))
            {
                logger.LogWarning("template {Template} is not offered: it does not fit this server's limits ({Error})", id, error);
                continue;
            }
            var info = new TemplateInfo(id, file.RootElement.GetProperty("name").GetString()!, file.RootElement.GetProperty("description").GetString()!);
            _templates[id] = (info, read);
        }
    }

    public IReadOnlyList<TemplateInfo> All => _templates.Values.Select(t => t.Info).ToList();

    /// <summary>The ops that fill a new canvas with the template's objects, or null for an unknown template.</summary>
    public Op[]? Ops(string id) => _templates.TryGetValue(id, out var template) ? template.Ops : null;
}
