using System.Collections.Frozen;
using System.Text.Json;

namespace CollabCanvas.Core.Model;

/// <summary>
/// Where a line's or arrow's ends are drawn when they are bound to objects (<c>startBinding</c>, <c>endBinding</c>):
/// derived from the current state by this one pure function, never stored, so that moving, resizing or turning a bound
/// object needs no op of its own and every replica (this server, every editor: <c>web/src/sync/connectors.ts</c> is the
/// twin, and <c>tests/vectors/connector-geometry.json</c> holds the cases both must agree on) draws the same ends from
/// the same log.
/// </summary>
public static class Connectors
{
    /// <summary>The types whose ends bind.</summary>
    public static readonly FrozenSet<string> ConnectorTypes = new[] { "line", "arrow" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The types an end binds to, with the size each is drawn at when it has none (the editor's defaults): boxes whose
    /// size is in their props. A text is not one: its height comes from measuring its words in a font, which the server
    /// cannot do, so a binding to it could not be computed alike everywhere.
    /// </summary>
    public static readonly FrozenDictionary<string, (double Width, double Height)> BindableTypes =
        new Dictionary<string, (double, double)>
        {
            ["rect"] = (100, 100),
            ["ellipse"] = (100, 100),
            ["frame"] = (400, 300),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The connector's points as drawn, in the frame of its <c>points</c> prop (relative to its <c>x</c>, <c>y</c>, turned
    /// by its <c>rotation</c>): the stored points with each bound end moved to its anchor in the bound object's box,
    /// rounded to hundredths. An end whose binding names a missing object, or one that is not bindable, stays where it
    /// is stored (a delete that did not write the ends, from an old client or a concurrent batch, leaves a drawable line).
    /// Null for an object that is not a connector.
    /// </summary>
    public static double[]? DrawnPoints(CanvasObject connector, IReadOnlyDictionary<string, CanvasObject> objects)
    {
        if (!ConnectorTypes.Contains(connector.Type)) return null;
        var props = connector.Properties;
        var points = props.TryGetValue("points", out var stored) && stored.Kind == PropKind.Points
            ? stored.AsPoints.ToArray()
            : [0, 0, Number(props, "width", 100), 0];
        var origin = (X: Number(props, "x", 0), Y: Number(props, "y", 0));
        var turn = Number(props, "rotation", 0);
        if (AnchorOf(props, "startBinding", objects) is { } start) (points[0], points[1]) = ToLocal(start, origin, turn);
        if (AnchorOf(props, "endBinding", objects) is { } end) (points[^2], points[^1]) = ToLocal(end, origin, turn);
        return points;
    }

    /// <summary>
    /// Writes <c>{ id: [points as drawn] }</c> for every connector with a binding, ids in ordinal order: what
    /// <c>GET /api/canvases/{id}/document</c> returns as <c>connectors</c>, so anyone can see the geometry the server derives.
    /// </summary>
    public static void WriteDrawn(Utf8JsonWriter writer, CanvasState state)
    {
        writer.WriteStartObject();
        foreach (var (id, obj) in state.Objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!obj.Properties.ContainsKey("startBinding") && !obj.Properties.ContainsKey("endBinding")) continue;
            if (DrawnPoints(obj, state.Objects) is not { } points) continue;
            writer.WriteStartArray(id);
            foreach (var p in points) writer.WriteNumberValue(p);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    public static byte[] DrawnToUtf8(CanvasState state)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) WriteDrawn(writer, state);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The canvas point a binding holds, or null when it holds nothing that can be drawn.</summary>
    private static (double X, double Y)? AnchorOf(IReadOnlyDictionary<string, PropValue> props, string name,
        IReadOnlyDictionary<string, CanvasObject> objects)
    {
        if (!props.TryGetValue(name, out var value) || value.Kind != PropKind.Binding) return null;
        var binding = value.AsBinding;
        if (!objects.TryGetValue(binding.Id, out var target) || !BindableTypes.TryGetValue(target.Type, out var size)) return null;
        var box = target.Properties;
        var (cos, sin) = Turn(Number(box, "rotation", 0));
        var (dx, dy) = (binding.X * Number(box, "width", size.Width), binding.Y * Number(box, "height", size.Height));
        return (Number(box, "x", 0) + dx * cos - dy * sin, Number(box, "y", 0) + dx * sin + dy * cos);
    }

    /// <summary>A canvas point in the connector's own frame (its origin, turned back by its rotation), rounded.</summary>
    private static (double X, double Y) ToLocal((double X, double Y) point, (double X, double Y) origin, double rotation)
    {
        var (cos, sin) = Turn(rotation);
        var (dx, dy) = (point.X - origin.X, point.Y - origin.Y);
        return (Round(dx * cos + dy * sin), Round(-dx * sin + dy * cos));
    }

    /// <summary>
    /// Cosine and sine of a turn in degrees, exact for quarter turns; other angles go through the platform's sine and
    /// cosine, which may differ from the browser's in the last bit, and the rounding to hundredths absorbs that.
    /// </summary>
    private static (double Cos, double Sin) Turn(double degrees)
    {
        if (degrees % 90 == 0)
        {
            return (((int)(degrees / 90) % 4 + 4) % 4) switch
            {
                0 => (1, 0),
                1 => (0, 1),
                2 => (-1, 0),
                _ => (0, -1),
            };
        }
        var radians = degrees * Math.PI / 180;
        return (Math.Cos(radians), Math.Sin(radians));
    }

    /// <summary>To hundredths, halves up (as JavaScript's <c>Math.round</c> does, and <c>Math.Round</c> does not).</summary>
    private static double Round(double value) => Math.Floor(value * 100 + 0.5) / 100;

    private static double Number(IReadOnlyDictionary<string, PropValue> props, string name, double fallback) =>
        props.TryGetValue(name, out var value) && value.Kind == PropKind.Number ? value.AsNumber : fallback;
}
