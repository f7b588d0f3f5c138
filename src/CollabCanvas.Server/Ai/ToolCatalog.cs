using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Ai;

/// <summary>The input of the tools that take only a number or a name.</summary>
public sealed record DuplicateInput(int? Count);

public sealed record ThemeInput(string? Theme);

public sealed record RefuseInput(string? Message);

/// <summary>
/// The tools Claude may call, defined once: each is a record type whose JSON schema is generated from it (with the
/// allowed values filled in from the catalogs), and the same record is what the plan carries, so the model and the
/// built-in parser drive the same builders. Inputs are validated and repaired here: unknown values dropped or mapped
/// to the nearest known one, numbers clamped, texts shortened.
/// </summary>
public static class ToolCatalog
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>
    /// A call read: its action, or null when it is dropped. Errors (place_objects only: the builders' inputs are
    /// repaired instead) say what to fix, and the model gets one turn to fix them.
    /// </summary>
    public sealed record ToolReading(AiAction? Action, IReadOnlyList<string> Errors);

    public sealed record ToolDefinition(string Name, string Description, JsonObject Schema, Func<JsonElement, Limits, ToolReading> Read);

    public static readonly IReadOnlyList<ToolDefinition> All =
    [
        Define<ComponentSpec>("create_component",
            "Draw one UI component on the canvas. Components: " +
            string.Join("; ", ComponentCatalog.All.Select(c => $"{c.Name}: {c.Description}")),
            schema =>
            {
                Enum(schema, "component", ComponentCatalog.Names);
                Enum(schema, "theme", Themes.All.Keys);
                Enum(schema, "size", ["small", "medium", "large"]);
                Enum(schema, "variant", ["primary", "secondary", "outline"]);
                Enum(schema, "placement", ["below", "right", "center"]);
                schema["required"] = new JsonArray("component");
            },
            spec => RepairSpec(spec) is { } repaired ? new CreateComponent(repaired) : null),
        Define<StyleEdit>("edit_selection",
            "Change the style of the selected objects: fill colour (a component's accent parts; plain shapes), background (a component's container), text colour, border colour (#rrggbb), scale (1.25 = bigger, 0.8 = smaller), corner radius, opacity, font weight (normal or bold).",
            schema => Enum(schema, "fontWeight", ["normal", "bold"]),
            edit => RepairEdit(edit) is { } repaired ? new EditSelection(repaired) : null),
        Define<ArrangeSpec>("arrange_selection",
            "Move the selected objects: stack (vertical or horizontal), grid (columns), align (left, center, right, top, middle, bottom), distribute (horizontal or vertical).",
            schema =>
            {
                Enum(schema, "layout", ["stack", "grid", "align", "distribute"]);
                Enum(schema, "direction", ["horizontal", "vertical"]);
                Enum(schema, "edge", ["left", "center", "right", "top", "middle", "bottom"]);
                schema["required"] = new JsonArray("layout");
            },
            arrange => new ArrangeSelection(arrange with
            {
                Layout = arrange.Layout is "stack" or "grid" or "align" or "distribute" ? arrange.Layout : "stack",
                Columns = arrange.Columns is { } c ? Math.Clamp(c, 1, 20) : null,
                Gap = arrange.Gap is { } g ? Math.Clamp(g, 0, 500) : null,
            })),
        Define<DuplicateInput>("duplicate_selection", "Duplicate the selected objects (count copies, placed to the right).",
            _ => { }, input => new DuplicateSelection(Math.Clamp(input.Count ?? 1, 1, 20))),
        Define<RefuseInput>("delete_selection", "Delete the selected objects (and what is inside them). Takes no input.",
            _ => { }, _ => new DeleteSelection()),
        Define<ThemeInput>("set_default_theme", "Set the canvas's default theme for components created from now on.",
            schema => Enum(schema, "theme", Themes.All.Keys),
            input => input.Theme is { } t && Themes.All.ContainsKey(t) ? new SetDefaultTheme(t) : null),
        new ToolDefinition("place_objects",
            "Place shapes, text, lines, arrows and frames you design yourself, for what no component draws (a custom " +
            "diagram, an illustration, a free layout). Coordinates are your own: (0, 0) is the top left of what you place, " +
            "and the server puts the whole group in free space on the canvas. Positions are absolute in that system, " +
            "children's too. A line or arrow starts at x, y and follows points [x0, y0, x1, y1, ...] relative to x, y " +
            "(an arrow points at its last point). Give every object an id unique in this call; parentId names a frame " +
            "listed before the object, which must lie inside it. Colours are #rrggbb; fontWeight 100 to 900. " +
            $"At most {ObjectPlacement.MaxObjects} objects.",
            PlaceObjectsSchema(), ObjectPlacement.Read),
        Define<RefuseInput>("refuse",
            "Use when the request is not about drawing or changing UI components on this canvas: say briefly what you can do.",
            schema => schema["required"] = new JsonArray("message"), _ => null),
    ];

    private static ToolDefinition Define<T>(string name, string description, Action<JsonObject> refine, Func<T, AiAction?> toAction)
    {
        var schema = SchemaOf<T>();
        refine(schema);
        return new ToolDefinition(name, description, schema, (element, _) =>
            new ToolReading(JsonSerializer.Deserialize<T>(element, Json) is { } input ? toAction(input) : null, []));
    }

    private static JsonObject SchemaOf<T>()
    {
        var schema = (JsonObject)Json.GetJsonSchemaAsNode(typeof(T), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        schema.Remove("$schema");
        return schema;
    }

    /// <summary><c>{objects: [PlacedObject]}</c>, with the allowed types and alignments, and nothing else allowed.</summary>
    private static JsonObject PlaceObjectsSchema()
    {
        var item = SchemaOf<PlacedObject>();
        Enum(item, "type", ObjectPlacement.Types);
        Enum(item, "textAlign", ["left", "center", "right"]);
        Enum(item, "dash", ObjectSchema.DashStyles.Order(StringComparer.Ordinal));
        item["required"] = new JsonArray("id", "type", "x", "y");
        item["additionalProperties"] = false;
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["objects"] = new JsonObject { ["type"] = "array", ["items"] = item } },
            ["required"] = new JsonArray("objects"),
        };
    }

    private static void Enum(JsonObject schema, string property, IEnumerable<string> values)
    {
        if (schema["properties"]?[property] is JsonObject p)
        {
            p.Remove("type");
            p["enum"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }
    }

    /// <summary>The component named, or the one a synonym names; numbers clamped, texts shortened, unknown values dropped.</summary>
    public static ComponentSpec? RepairSpec(ComponentSpec spec)
    {
        var component = ComponentCatalog.Find(spec.Component)?.Name;
        if (component is null) return null;
        string? Short(string? s) => s is null ? null : s.Trim().Length == 0 ? null : s.Trim()[..Math.Min(60, s.Trim().Length)];
        return spec with
        {
            Component = component,
            Theme = spec.Theme is { } t && Themes.All.ContainsKey(t) ? t.ToLowerInvariant() : null,
            Title = Short(spec.Title),
            Labels = spec.Labels?.Select(Short).OfType<string>().Take(12).ToArray() is { Length: > 0 } labels ? labels : null,
            Count = spec.Count is { } n ? Math.Clamp(n, 1, 12) : null,
            Rows = spec.Rows is { } r ? Math.Clamp(r, 1, 20) : null,
            Columns = spec.Columns is { } c ? Math.Clamp(c, 1, 8) : null,
            Size = spec.Size is "small" or "medium" or "large" ? spec.Size : null,
            Variant = spec.Variant is "primary" or "secondary" or "outline" ? spec.Variant : null,
            Color = Colors.Parse(spec.Color),
            Placement = spec.Placement is "below" or "right" or "center" ? spec.Placement : null,
            From = Short(spec.From),
            To = Short(spec.To),
            Value = spec.Value is { } v ? Math.Clamp(v, 0, 100) : null,
            Parts = spec.Parts?.Select(p => ComponentCatalog.Find(p)?.Name).OfType<string>().Take(8).ToArray() is { Length: > 0 } parts ? parts : null,
        };
    }

    public static StyleEdit? RepairEdit(StyleEdit edit)
    {
        var repaired = new StyleEdit
        {
            Fill = Colors.Parse(edit.Fill),
            Background = Colors.Parse(edit.Background),
            Stroke = Colors.Parse(edit.Stroke),
            TextColor = Colors.Parse(edit.TextColor),
            Scale = edit.Scale is { } s && double.IsFinite(s) ? Math.Clamp(s, 0.1, 10) : null,
            CornerRadius = edit.CornerRadius is { } r && double.IsFinite(r) ? Math.Clamp(r, 0, 200) : null,
            Opacity = edit.Opacity is { } o && double.IsFinite(o) ? Math.Clamp(o, 0, 1) : null,
            FontWeight = edit.FontWeight is "bold" or "normal" ? edit.FontWeight : null,
        };
        return repaired == new StyleEdit() ? null : repaired;
    }
}
