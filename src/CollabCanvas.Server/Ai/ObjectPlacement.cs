using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// One object of a <c>place_objects</c> call: the canvas's own props (<see cref="ObjectSchema"/>, same names and
/// bounds) minus what the server decides (<c>z</c>, <c>locked</c>, <c>hidden</c>: what a model draws is shown), plus an id of the model's choosing that
/// <c>parentId</c> refers to. The tool's JSON schema is generated from this record; a test holds it to Core's props.
/// </summary>
public sealed record PlacedObject
{
    /// <summary>The model's name for it, unique in the call; the server gives it a real id.</summary>
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public double X { get; init; }
    public double Y { get; init; }
    public double? Width { get; init; }
    public double? Height { get; init; }
    public double? Rotation { get; init; }
    public string? Fill { get; init; }
    public string? Stroke { get; init; }
    public double? StrokeWidth { get; init; }
    /// <summary>How the stroke is drawn: solid, dashed or dotted.</summary>
    public string? Dash { get; init; }
    public double? Opacity { get; init; }
    public double? CornerRadius { get; init; }
    public string? Text { get; init; }
    public double? FontSize { get; init; }
    public int? FontWeight { get; init; }
    public string? TextAlign { get; init; }
    /// <summary>Line and arrow: [x0, y0, x1, y1, ...] relative to x and y.</summary>
    public double[]? Points { get; init; }
    /// <summary>The id (in this call) of a frame listed before this object, which holds it.</summary>
    public string? ParentId { get; init; }
    /// <summary>The layer name.</summary>
    public string? Name { get; init; }
}

/// <summary>The objects a model placed, validated, in its own coordinates: the executor puts them in free space.</summary>
public sealed record PlaceObjects(IReadOnlyList<PlaceObjects.Item> Objects) : AiAction
{
    /// <param name="Props">Core-validated props, with <c>parentId</c> still the model's id.</param>
    public sealed record Item(string Id, JsonObject Props);
}

/// <summary>
/// Reads a <c>place_objects</c> call: every object through Core's validation (<see cref="OpJson.TryReadProps"/>) and
/// the rules that make a drawing whole (a size or points, unique ids, parents that are frames listed before their
/// children, children inside them). Either every object is good, or the errors say exactly what to fix, for the model's
/// repair turn: nothing of a call with an error is ever appended.
/// </summary>
public static class ObjectPlacement
{
    public const int MaxObjects = 200;
    private const int MaxErrors = 20;

    public static readonly string[] Types = ["rect", "ellipse", "text", "line", "arrow", "frame"];

    public static ToolCatalog.ToolReading Read(JsonElement input, Limits limits)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
            return Failed("objects: required, an array of objects");
        if (objects.GetArrayLength() is 0 or > MaxObjects) return Failed($"objects: 1 to {MaxObjects} objects");

        var errors = new List<string>();
        var items = new List<PlaceObjects.Item>();
        var placed = new Dictionary<string, (string Type, (double X1, double Y1, double X2, double Y2) Box)>(StringComparer.Ordinal);
        var i = -1;
        foreach (var element in objects.EnumerateArray())
        {
            i++;
            var at = $"objects[{i}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}: must be an object");
                continue;
            }
            var props = new JsonObject();
            string? id = null;
            foreach (var member in element.EnumerateObject())
            {
                if (member.Name == "id") id = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                else if (member.Name is "z" or "locked" or "hidden") errors.Add($"{at}.{member.Name}: set by the server, leave it out");
                else props[member.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
            if (string.IsNullOrWhiteSpace(id) || id.Length > ObjectSchema.MaxIdLength)
            {
                errors.Add($"{at}.id: required, a name of 1 to {ObjectSchema.MaxIdLength} characters unique in this call");
                continue;
            }
            if (placed.ContainsKey(id)) errors.Add($"{at}.id: '{id}' is used twice");
            if (Problem(props, limits) is { } problem)
            {
                errors.Add(at + problem);
                continue;
            }

            var type = props["type"]!.GetValue<string>();
            var box = Bounds(props);
            if (props["parentId"]?.GetValue<string>() is { } parent)
            {
                if (!placed.TryGetValue(parent, out var frame) || frame.Type != "frame")
                    errors.Add($"{at}.parentId: '{parent}' is not a frame listed before this object");
                else if (box.X1 < frame.Box.X1 || box.Y1 < frame.Box.Y1 || box.X2 > frame.Box.X2 || box.Y2 > frame.Box.Y2)
                    errors.Add($"{at}: lies outside its frame '{parent}' ({Describe(box)}; the frame: {Describe(frame.Box)})");
            }
            placed.TryAdd(id, (type, box));
            items.Add(new PlaceObjects.Item(id, props));
        }
        return errors.Count > 0 ? new(null, errors.Take(MaxErrors).ToList()) : new(new PlaceObjects(items), []);

        static ToolCatalog.ToolReading Failed(string error) => new(null, [error]);
        static string Describe((double X1, double Y1, double X2, double Y2) b) =>
            string.Create(CultureInfo.InvariantCulture, $"x {b.X1} to {b.X2}, y {b.Y1} to {b.Y2}");
    }

    /// <summary>What is wrong with one object's props, starting with the prop's path (".fill: must be a color..."), or null.</summary>
    private static string? Problem(JsonObject props, Limits limits)
    {
        // The model's ids are not canvas ids: Core checks the other props, the caller checks what parentId refers to.
        if (props["parentId"] is { } parent && parent.GetValueKind() != JsonValueKind.String) return ".parentId: must be the id of a frame in this call";
        var core = (JsonObject)props.DeepClone();
        core.Remove("parentId");
        using (var json = JsonDocument.Parse(core.ToJsonString()))
            if (!OpJson.TryReadProps(json.RootElement, limits, out _, out var error)) return error[".props".Length..];

        var type = props["type"]?.GetValue<string>();
        if (type is null || !Types.Contains(type)) return $".type: required, one of {string.Join(", ", Types)}";
        if (props["x"] is null || props["y"] is null) return ".x, .y: required";
        if (type is "line" or "arrow")
        {
            if (props["points"] is not JsonArray { Count: >= 4 }) return ".points: a line or arrow needs at least two points [x0, y0, x1, y1]";
        }
        else if (!(props["width"]?.GetValue<double>() > 0 && props["height"]?.GetValue<double>() > 0))
            return $".width, .height: a {type} needs both, above 0";
        if (type == "text" && string.IsNullOrWhiteSpace(props["text"]?.GetValue<string>())) return ".text: a text object needs its text";
        return null;
    }

    /// <summary>The box an object covers: a line's or an arrow's points, anything else's size.</summary>
    public static (double X1, double Y1, double X2, double Y2) Bounds(JsonObject props)
    {
        var (x, y) = (props["x"]!.GetValue<double>(), props["y"]!.GetValue<double>());
        if (props["type"]?.GetValue<string>() is "line" or "arrow" && props["points"] is JsonArray points)
        {
            var xs = points.Where((_, i) => i % 2 == 0).Select(p => x + p!.GetValue<double>()).ToList();
            var ys = points.Where((_, i) => i % 2 == 1).Select(p => y + p!.GetValue<double>()).ToList();
            return (xs.Min(), ys.Min(), xs.Max(), ys.Max());
        }
        return (x, y, x + (props["width"]?.GetValue<double>() ?? 0), y + (props["height"]?.GetValue<double>() ?? 0));
    }
}
