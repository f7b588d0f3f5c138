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
    /// by its <c>rotation</c>): the stored points with each bound end moved to where the line towards its anchor meets
    /// the bound object's outline (<see cref="OnOutline"/>), rounded to hundredths. An end aims from the next point along
    /// the line: the other end's anchor when the connector is one segment with both ends bound, else the stored point.
    /// An end whose binding names a missing object, or one that is not bindable, stays where it is stored (a delete that
    /// did not write the ends, from an old client or a concurrent batch, leaves a drawable line). Null for an object that
    /// is not a connector.
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
        var start = HeldBy(props, "startBinding", objects);
        var end = HeldBy(props, "endBinding", objects);
        var last = points.Length - 2;
        // A connector of one point has no direction to come from: its ends are their anchors.
        (double X, double Y) From(Held held, Held? other, int i) =>
            last == 0 ? held.Anchor : OnOutline(held, last == 2 && other is { } o ? o.Anchor : ToCanvas(points[i], points[i + 1], origin, turn));
        var startAt = start is { } s ? From(s, end, 2) : ((double X, double Y)?)null;
        var endAt = end is { } e ? From(e, start, last - 2) : ((double X, double Y)?)null;
        if (startAt is { } a) (points[0], points[1]) = ToLocal(a, origin, turn);
        if (endAt is { } b) (points[last], points[last + 1]) = ToLocal(b, origin, turn);
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

    /// <summary>A binding's object as a box (its origin, size, turn and outline) and the anchor in it, in the box's own units.</summary>
    private readonly record struct Held(double X, double Y, double Width, double Height, double Cos, double Sin, bool Ellipse, double U, double V)
    {
        /// <summary>The canvas point the binding holds.</summary>
        public (double X, double Y) Anchor => ToCanvas(U, V);

        public (double X, double Y) ToCanvas(double u, double v) => (X + u * Cos - v * Sin, Y + u * Sin + v * Cos);
    }

    /// <summary>What a binding holds, or null when it holds nothing that can be drawn.</summary>
    private static Held? HeldBy(IReadOnlyDictionary<string, PropValue> props, string name, IReadOnlyDictionary<string, CanvasObject> objects)
    {
        if (!props.TryGetValue(name, out var value) || value.Kind != PropKind.Binding) return null;
        var binding = value.AsBinding;
        if (!objects.TryGetValue(binding.Id, out var target) || !BindableTypes.TryGetValue(target.Type, out var size)) return null;
        var box = target.Properties;
        var (cos, sin) = Turn(Number(box, "rotation", 0));
        var (width, height) = (Number(box, "width", size.Width), Number(box, "height", size.Height));
        return new Held(Number(box, "x", 0), Number(box, "y", 0), width, height, cos, sin, target.Type == "ellipse", binding.X * width, binding.Y * height);
    }

    /// <summary>
    /// Where the segment from <paramref name="from"/> to the anchor first meets the object's outline (its turned box, or
    /// the ellipse in it): an arrow ends at the shape's edge, not inside it. The anchor itself when <paramref name="from"/>
    /// lies inside the shape (nothing to cross) or the segment reaches the anchor before the outline (an anchor in an
    /// ellipse's box but off the ellipse). Only + − × ÷ and a square root, which IEEE 754 rounds alike everywhere (the
    /// editor's twin does the same operations in the same order), after the turn's sine and cosine.
    /// </summary>
    private static (double X, double Y) OnOutline(Held held, (double X, double Y) from)
    {
        var (dx, dy) = (from.X - held.X, from.Y - held.Y);
        var (pu, pv) = (dx * held.Cos + dy * held.Sin, -dx * held.Sin + dy * held.Cos);
        var (du, dv) = (held.U - pu, held.V - pv);
        var t = held.Ellipse ? EllipseEntry(pu, pv, du, dv, held.Width, held.Height) : BoxEntry(pu, pv, du, dv, held.Width, held.Height);
        return t is { } along ? held.ToCanvas(pu + along * du, pv + along * dv) : held.Anchor;
    }

    /// <summary>The fraction (0 to 1, above 0) of the way from p along d where it enters the box [0, w] × [0, h], if it does.</summary>
    private static double? BoxEntry(double pu, double pv, double du, double dv, double w, double h)
    {
        double enter = 0, exit = 1;
        foreach (var (p, d, size) in new[] { (pu, du, w), (pv, dv, h) })
        {
            if (d == 0)
            {
                if (p < 0 || p > size) return null;
                continue;
            }
            var (t1, t2) = (-p / d, (size - p) / d);
            enter = Math.Max(enter, Math.Min(t1, t2));
            exit = Math.Min(exit, Math.Max(t1, t2));
        }
        return enter > 0 && enter <= exit ? enter : null;
    }

    /// <summary>The same for the ellipse inscribed in the box.</summary>
    private static double? EllipseEntry(double pu, double pv, double du, double dv, double w, double h)
    {
        if (w <= 0 || h <= 0) return null;
        var (rx, ry) = (w / 2, h / 2);
        var (cu, cv, eu, ev) = ((pu - rx) / rx, (pv - ry) / ry, du / rx, dv / ry);
        var (a, b, c) = (eu * eu + ev * ev, 2 * (cu * eu + cv * ev), cu * cu + cv * cv - 1);
        var discriminant = b * b - 4 * a * c;
        if (c <= 0 || a == 0 || discriminant < 0) return null;
        var t = (-b - Math.Sqrt(discriminant)) / (2 * a);
        return t > 0 && t <= 1 ? t : null;
    }

    /// <summary>A point of the connector's own frame in canvas units.</summary>
    private static (double X, double Y) ToCanvas(double x, double y, (double X, double Y) origin, double rotation)
    {
        var (cos, sin) = Turn(rotation);
        return (origin.X + x * cos - y * sin, origin.Y + x * sin + y * cos);
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
