using System.Collections.Frozen;
using System.Text.Json;

namespace CollabCanvas.Core.Model;

/// <summary>
/// Every prop an object may carry, with its type and bounds. This table is the single source of truth;
/// docs/protocol.md lists the same rows.
/// </summary>
public static class ObjectSchema
{
    public const int MaxIdLength = 64;
    public const int MaxZLength = 64;

    /// <summary>The canvas's extent: <c>x</c>, <c>y</c> and every point lie within ±<see cref="MaxCoordinate"/>.</summary>
    public const double MaxCoordinate = 1e6;
    /// <summary>The largest <c>width</c> and <c>height</c>.</summary>
    public const double MaxSize = 1e6;

    public static readonly FrozenSet<string> Types =
        new[] { "rect", "ellipse", "line", "arrow", "text", "frame", "path" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Only frames may hold children.</summary>
    public const string ContainerType = "frame";

    /// <summary>
    /// How a stroke is drawn: <c>solid</c> (also what a missing <c>dash</c> means), <c>dashed</c> or <c>dotted</c>. The
    /// pattern is named rather than given as lengths, so every viewer draws it in proportion to the stroke's width.
    /// </summary>
    public static readonly FrozenSet<string> DashStyles =
        new[] { "solid", "dashed", "dotted" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The editor's palette, stored by name so that each viewer's theme draws its own shade (strong colours lighter on
    /// a dark canvas, light fills darker), as <c>auto</c> is: a palette colour reads well in light and in dark alike.
    /// The <c>palette:</c> prefix keeps them apart from CSS colour names, which are not colours here.
    /// </summary>
    public static readonly FrozenSet<string> PaletteColors = new[]
    {
        "grey", "red", "orange", "yellow", "green", "blue", "violet",
        "light-grey", "light-red", "light-orange", "light-yellow", "light-green", "light-blue", "light-violet",
    }.Select(name => "palette:" + name).ToFrozenSet(StringComparer.Ordinal);

    public delegate bool Reader(JsonElement json, Limits limits, out PropValue value, out string error);

    public static readonly FrozenDictionary<string, Reader> Props = new Dictionary<string, Reader>
    {
        ["type"] = Enum(Types),
        ["x"] = Number(-MaxCoordinate, MaxCoordinate),
        ["y"] = Number(-MaxCoordinate, MaxCoordinate),
        ["width"] = Number(0, MaxSize),
        ["height"] = Number(0, MaxSize),
        ["rotation"] = Number(-360, 360),
        ["fill"] = Color,
        ["stroke"] = Color,
        ["strokeWidth"] = Number(0, 1000),
        ["dash"] = Enum(DashStyles),
        ["opacity"] = Number(0, 1),
        ["cornerRadius"] = Number(0, 1e5),
        ["text"] = String(static limits => limits.MaxTextLength, static _ => true),
        ["fontSize"] = Number(1, 1000),
        ["fontFamily"] = String(static _ => 64, IsFontFamilyChar),
        ["fontWeight"] = FontWeight,
        ["textAlign"] = Enum(new[] { "left", "center", "right" }.ToFrozenSet(StringComparer.Ordinal)),
        ["points"] = Points,
        ["parentId"] = ParentId,
        ["z"] = ZIndex,
        ["name"] = String(static _ => 256, static _ => true),
        ["locked"] = Bool,
        ["startBinding"] = ConnectorBinding,
        ["endBinding"] = ConnectorBinding,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Client-made ids: 1 to 64 of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        return true;
    }

    private static Reader Number(double min, double max) =>
        (JsonElement json, Limits _, out PropValue value, out string error) =>
        {
            value = default;
            if (json.ValueKind != JsonValueKind.Number || !json.TryGetDouble(out var d))
            {
                error = "must be a number";
                return false;
            }
            if (!double.IsFinite(d) || d < min || d > max)
            {
                error = $"must be between {min} and {max}";
                return false;
            }
            value = PropValue.Number(d);
            error = "";
            return true;
        };

    private static Reader String(Func<Limits, int> maxLengthOf, Func<char, bool> allowed) =>
        (JsonElement json, Limits limits, out PropValue value, out string error) =>
        {
            var maxLength = maxLengthOf(limits);
            value = default;
            if (json.ValueKind != JsonValueKind.String)
            {
                error = "must be a string";
                return false;
            }
            var s = json.GetString()!;
            if (s.Length > maxLength)
            {
                error = $"must be at most {maxLength} characters";
                return false;
            }
            foreach (var c in s)
            {
                if (!allowed(c))
                {
                    error = "contains a character that is not allowed";
                    return false;
                }
            }
            value = PropValue.String(s);
            error = "";
            return true;
        };

    private static Reader Enum(FrozenSet<string> allowed) =>
        (JsonElement json, Limits _, out PropValue value, out string error) =>
        {
            value = default;
            if (json.ValueKind != JsonValueKind.String || !allowed.Contains(json.GetString()!))
            {
                error = $"must be one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}";
                return false;
            }
            value = PropValue.String(allowed.TryGetValue(json.GetString()!, out var interned) ? interned : json.GetString()!);
            error = "";
            return true;
        };

    private static bool Bool(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        if (json.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = "must be true or false";
            return false;
        }
        value = PropValue.Bool(json.GetBoolean());
        error = "";
        return true;
    }

    /// <summary>
    /// <c>#rgb</c>, <c>#rgba</c>, <c>#rrggbb</c>, <c>#rrggbbaa</c>, <c>transparent</c>, <c>auto</c> (the viewer's theme
    /// chooses: text and lines in the theme's ink, frames in its surface, so defaults stay readable in light and dark),
    /// or one of <see cref="PaletteColors"/>.
    /// </summary>
    private static bool Color(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = "must be a color: #rgb, #rgba, #rrggbb, #rrggbbaa, transparent, auto or a palette color";
        if (json.ValueKind != JsonValueKind.String) return false;
        var s = json.GetString()!;
        if (s is "transparent" or "auto" || PaletteColors.Contains(s))
        {
            value = PropValue.String(PaletteColors.TryGetValue(s, out var interned) ? interned : s == "auto" ? "auto" : "transparent");
            error = "";
            return true;
        }
        if (s.Length is not (4 or 5 or 7 or 9) || s[0] != '#') return false;
        for (var i = 1; i < s.Length; i++)
            if (!char.IsAsciiHexDigit(s[i])) return false;
        value = PropValue.String(s.ToLowerInvariant());
        error = "";
        return true;
    }

    private static bool FontWeight(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        if (json.ValueKind != JsonValueKind.Number || !json.TryGetInt32(out var w) || w < 100 || w > 900 || w % 100 != 0)
        {
            error = "must be one of 100, 200, ..., 900";
            return false;
        }
        value = PropValue.Number(w);
        error = "";
        return true;
    }

    /// <summary>A flat array <c>[x0, y0, x1, y1, ...]</c>, relative to the object's x and y.</summary>
    private static bool Points(JsonElement json, Limits limits, out PropValue value, out string error)
    {
        value = default;
        if (json.ValueKind != JsonValueKind.Array)
        {
            error = "must be an array of numbers";
            return false;
        }
        var n = json.GetArrayLength();
        if (n < 2 || n % 2 != 0 || n > limits.MaxPointNumbers)
        {
            error = $"must hold an even count of numbers, from 2 to {limits.MaxPointNumbers}";
            return false;
        }
        var points = new double[n];
        var i = 0;
        foreach (var p in json.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Number || !p.TryGetDouble(out var d) || !double.IsFinite(d) || Math.Abs(d) > MaxCoordinate)
            {
                error = $"must hold finite numbers between {-MaxCoordinate} and {MaxCoordinate}";
                return false;
            }
            points[i++] = d;
        }
        value = PropValue.Points(points);
        error = "";
        return true;
    }

    /// <summary>
    /// <c>{"id": ID, "x": 0..1, "y": 0..1}</c>, exactly these three: the object a connector's end is held by and the point
    /// of that object's box it is held at (<see cref="Binding"/>). The object need not exist (it may be deleted
    /// concurrently); the geometry then falls back to the stored points (<see cref="Connectors"/>).
    /// </summary>
    private static bool ConnectorBinding(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = "must be {\"id\": an object id, \"x\": 0 to 1, \"y\": 0 to 1}";
        if (json.ValueKind != JsonValueKind.Object) return false;
        string? id = null;
        double? x = null, y = null;
        foreach (var member in json.EnumerateObject())
        {
            switch (member.Name)
            {
                case "id" when id is null && member.Value.ValueKind == JsonValueKind.String && IsValidId(member.Value.GetString()):
                    id = member.Value.GetString();
                    break;
                case "x" when x is null && Fraction(member.Value) is { } fx:
                    x = fx;
                    break;
                case "y" when y is null && Fraction(member.Value) is { } fy:
                    y = fy;
                    break;
                default:
                    return false;
            }
        }
        if (id is null || x is null || y is null) return false;
        value = PropValue.Binding(new Binding(id, x.Value, y.Value));
        error = "";
        return true;

        static double? Fraction(JsonElement json) =>
            json.ValueKind == JsonValueKind.Number && json.TryGetDouble(out var d) && d is >= 0 and <= 1 ? d : null;
    }

    private static bool ParentId(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        if (json.ValueKind != JsonValueKind.String || !IsValidId(json.GetString()))
        {
            error = "must be an object id";
            return false;
        }
        value = PropValue.String(json.GetString()!);
        error = "";
        return true;
    }

    /// <summary>
    /// A fractional index: base-62 digits compared as ordinal strings, so a key between any two keys always
    /// exists. Ties are broken by object id.
    /// </summary>
    private static bool ZIndex(JsonElement json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = $"must be 1 to {MaxZLength} characters of 0-9 A-Z a-z";
        if (json.ValueKind != JsonValueKind.String) return false;
        var s = json.GetString()!;
        if (s.Length is 0 or > MaxZLength) return false;
        foreach (var c in s)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        value = PropValue.String(s);
        error = "";
        return true;
    }

    private static bool IsFontFamilyChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is ' ' or ',' or '-' or '_' or '\'' or '"';
}
