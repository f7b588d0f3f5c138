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

    /// <summary>
    /// Reads one prop's value: <paramref name="json"/> is on the value's first token, and on success is left on its last
    /// (the closing <c>]</c> or <c>}</c> of an array or object). On a reader rather than a <see cref="JsonElement"/>, so that a snapshot of thousands of
    /// objects is read in one pass with no document tree (docs/benchmarks.md, "join").
    /// </summary>
    public delegate bool Reader(ref Utf8JsonReader json, Limits limits, out PropValue value, out string error);

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
        ["parentId"] = ObjectId,
        ["z"] = ZIndex,
        ["name"] = String(static _ => 256, static _ => true),
        ["locked"] = Bool,
        // Hidden objects stay in the document (and in a JSON export, which is the document) but are not drawn, hit or
        // exported as a picture; a hidden frame hides what it holds. The editor's eye in the layers panel.
        ["hidden"] = Bool,
        // Objects with the same groupId are one group: selected, moved and aligned together (the editor's Ctrl+G). A
        // label rather than an object: a group has no drawing, size or place of its own to keep in step, and deleting
        // every member leaves nothing behind.
        ["groupId"] = ObjectId,
        ["startBinding"] = ConnectorBinding,
        ["endBinding"] = ConnectorBinding,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Props"/> looked up by the characters of a name, with the table's own instance of the name, so that
    /// reading a prop's name allocates nothing and every object shares one string per name.
    /// </summary>
    internal static readonly FrozenDictionary<string, (string Name, Reader Read)>.AlternateLookup<ReadOnlySpan<char>> PropsByName =
        Props.ToFrozenDictionary(p => p.Key, p => (p.Key, p.Value), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Client-made ids: 1 to 64 of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        return true;
    }

    /// <summary>
    /// The value of a string token when it is one of <paramref name="allowed"/>, as the set's own instance (one string
    /// per name for every object that has it), without allocating; false for anything else.
    /// </summary>
    private static bool TryGetMember(ref Utf8JsonReader json, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> allowed, out string member)
    {
        member = "";
        if (json.TokenType != JsonTokenType.String) return false;
        Span<char> chars = stackalloc char[32];
        if (json.ValueSpan.Length > chars.Length || json.ValueIsEscaped) return allowed.TryGetValue(json.GetString()!, out member!);
        return allowed.TryGetValue(chars[..json.CopyString(chars)], out member!);
    }

    private static Reader Number(double min, double max) =>
        (ref Utf8JsonReader json, Limits _, out PropValue value, out string error) =>
        {
            value = default;
            if (json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out var d))
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
        (ref Utf8JsonReader json, Limits limits, out PropValue value, out string error) =>
        {
            var maxLength = maxLengthOf(limits);
            value = default;
            if (json.TokenType != JsonTokenType.String)
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

    private static Reader Enum(FrozenSet<string> allowed)
    {
        var byName = allowed.GetAlternateLookup<ReadOnlySpan<char>>();
        return (ref Utf8JsonReader json, Limits _, out PropValue value, out string error) =>
        {
            value = default;
            if (!TryGetMember(ref json, byName, out var member))
            {
                error = $"must be one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}";
                return false;
            }
            value = PropValue.String(member);
            error = "";
            return true;
        };
    }

    private static bool Bool(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        if (json.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            error = "must be true or false";
            return false;
        }
        value = PropValue.Bool(json.GetBoolean());
        error = "";
        return true;
    }

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NamedColors =
        PaletteColors.Append("transparent").Append("auto").ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// <c>#rgb</c>, <c>#rgba</c>, <c>#rrggbb</c>, <c>#rrggbbaa</c>, <c>transparent</c>, <c>auto</c> (the viewer's theme
    /// chooses: text and lines in the theme's ink, frames in its surface, so defaults stay readable in light and dark),
    /// or one of <see cref="PaletteColors"/>.
    /// </summary>
    private static bool Color(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = "must be a color: #rgb, #rgba, #rrggbb, #rrggbbaa, transparent, auto or a palette color";
        if (json.TokenType != JsonTokenType.String) return false;
        if (TryGetMember(ref json, NamedColors, out var named))
        {
            value = PropValue.String(named);
            error = "";
            return true;
        }
        var s = json.GetString()!;
        if (s.Length is not (4 or 5 or 7 or 9) || s[0] != '#') return false;
        for (var i = 1; i < s.Length; i++)
            if (!char.IsAsciiHexDigit(s[i])) return false;
        value = PropValue.String(s.ToLowerInvariant());
        error = "";
        return true;
    }

    private static bool FontWeight(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out var w) || w < 100 || w > 900 || w % 100 != 0)
        {
            error = "must be one of 100, 200, ..., 900";
            return false;
        }
        value = PropValue.Number(w);
        error = "";
        return true;
    }

    /// <summary>A flat array <c>[x0, y0, x1, y1, ...]</c>, relative to the object's x and y.</summary>
    private static bool Points(ref Utf8JsonReader json, Limits limits, out PropValue value, out string error)
    {
        value = default;
        if (json.TokenType != JsonTokenType.StartArray)
        {
            error = "must be an array of numbers";
            return false;
        }
        // Counted first, so that a wrong count is reported before a wrong number, whatever comes first in the array.
        var n = 0;
        var counter = json;
        while (counter.Read() && counter.TokenType != JsonTokenType.EndArray)
        {
            n++;
            counter.Skip();
        }
        if (n < 2 || n % 2 != 0 || n > limits.MaxPointNumbers)
        {
            error = $"must hold an even count of numbers, from 2 to {limits.MaxPointNumbers}";
            return false;
        }
        var points = new double[n];
        for (var i = 0; i < n; i++)
        {
            json.Read();
            if (json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out var d) || !double.IsFinite(d) || Math.Abs(d) > MaxCoordinate)
            {
                error = $"must hold finite numbers between {-MaxCoordinate} and {MaxCoordinate}";
                return false;
            }
            points[i] = d;
        }
        json.Read(); // the closing ]
        value = PropValue.Points(points);
        error = "";
        return true;
    }

    /// <summary>
    /// <c>{"id": ID, "x": 0..1, "y": 0..1}</c>, exactly these three: the object a connector's end is held by and the point
    /// of that object's box it is held at (<see cref="Binding"/>). The object need not exist (it may be deleted
    /// concurrently); the geometry then falls back to the stored points (<see cref="Connectors"/>).
    /// </summary>
    private static bool ConnectorBinding(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = "must be {\"id\": an object id, \"x\": 0 to 1, \"y\": 0 to 1}";
        if (json.TokenType != JsonTokenType.StartObject) return false;
        string? id = null;
        double? x = null, y = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueTextEquals("id"u8) && id is null)
            {
                json.Read();
                id = json.TokenType == JsonTokenType.String ? json.GetString() : null;
                if (!IsValidId(id)) return false;
            }
            else if (json.ValueTextEquals("x"u8) && x is null)
            {
                json.Read();
                if ((x = Fraction(ref json)) is null) return false;
            }
            else if (json.ValueTextEquals("y"u8) && y is null)
            {
                json.Read();
                if ((y = Fraction(ref json)) is null) return false;
            }
            else
            {
                return false;
            }
        }
        if (id is null || x is null || y is null) return false;
        value = PropValue.Binding(new Binding(id, x.Value, y.Value));
        error = "";
        return true;

        static double? Fraction(ref Utf8JsonReader json) =>
            json.TokenType == JsonTokenType.Number && json.TryGetDouble(out var d) && d is >= 0 and <= 1 ? d : null;
    }

    /// <summary>An id's syntax (<see cref="IsValidId"/>): a parent's, or a group's.</summary>
    private static bool ObjectId(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        var id = json.TokenType == JsonTokenType.String ? json.GetString() : null;
        if (!IsValidId(id))
        {
            error = "must be an object id";
            return false;
        }
        value = PropValue.String(id!);
        error = "";
        return true;
    }

    /// <summary>
    /// A fractional index: base-62 digits compared as ordinal strings, so a key between any two keys always
    /// exists. Ties are broken by object id.
    /// </summary>
    private static bool ZIndex(ref Utf8JsonReader json, Limits _, out PropValue value, out string error)
    {
        value = default;
        error = $"must be 1 to {MaxZLength} characters of 0-9 A-Z a-z";
        if (json.TokenType != JsonTokenType.String) return false;
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
