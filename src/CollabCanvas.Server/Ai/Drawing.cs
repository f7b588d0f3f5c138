using System.Text.Json.Nodes;

namespace CollabCanvas.Server.Ai;

/// <summary>One object a builder drew, in the builder's own coordinates (its frame's top-left corner is 0, 0).</summary>
public sealed record Shape(string Id, string Type, string? Parent, double X, double Y, double Width, double Height, JsonObject Props);

/// <summary>
/// The builders' drawing kit: frames, rectangles, ellipses, lines and text, in local coordinates, with the theme's
/// colours at hand and a spacing scale. Text is measured so that its box holds it on one line. The result is
/// placed on the canvas afterwards (<see cref="Place"/>), so that a builder never thinks about where it lands.
/// </summary>
public sealed class Drawing(Theme theme, Func<string> newId)
{
    /// <summary>The spacing unit: every gap is a multiple of it.</summary>
    public const double U = 8;
    private readonly List<Shape> _shapes = [];

    public Theme Theme { get; } = theme;
    public IReadOnlyList<Shape> Shapes => _shapes;

    /// <summary>
    /// Width of one line of text, from per-letter advances of a wide sans-serif (DejaVu Sans, the fallback where
    /// Inter or the system font is missing), bold 12% wider, plus a little slack: text never wraps in its box.
    /// </summary>
    public static double Measure(string text, double fontSize, bool bold = false)
    {
        double em = 0;
        foreach (var c in text) em += Advance(c);
        return Math.Ceiling(em * fontSize * (bold ? 1.12 : 1.0) + 6);
    }

    private const string Lower = "613 635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525";
    private const string Upper = "684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 611 732 684 989 685 611 685";
    private static readonly double[] LowerAdvance = Lower.Split(' ').Select(v => int.Parse(v) / 1000.0).ToArray();
    private static readonly double[] UpperAdvance = Upper.Split(' ').Select(v => int.Parse(v) / 1000.0).ToArray();

    private static double Advance(char c) => c switch
    {
        >= 'a' and <= 'z' => LowerAdvance[c - 'a'],
        >= 'A' and <= 'Z' => UpperAdvance[c - 'A'],
        >= '0' and <= '9' => 0.636,
        ' ' => 0.318,
        '.' or ',' or ':' or ';' or '\'' or '!' or '|' => 0.35,
        '-' or '(' or ')' or '/' => 0.4,
        _ => 0.85, // symbols (✓ × • … © $ ?) and other scripts: wide
    };

    public string Frame(string name, double x, double y, double width, double height, string? fill = null, string? stroke = null,
        double radius = 12, string? parent = null) =>
        Add("frame", parent, x, y, width, height, new JsonObject
        {
            ["name"] = name, ["fill"] = fill ?? Theme.Surface, ["stroke"] = stroke ?? Theme.Border, ["strokeWidth"] = 1,
            ["cornerRadius"] = radius,
        });

    public string Rect(string? parent, double x, double y, double width, double height, string fill, string? stroke = null,
        double radius = 0, double strokeWidth = 1, string? name = null)
    {
        var props = new JsonObject { ["fill"] = fill, ["cornerRadius"] = radius };
        if (stroke is not null)
        {
            props["stroke"] = stroke;
            props["strokeWidth"] = strokeWidth;
        }
        if (name is not null) props["name"] = name;
        return Add("rect", parent, x, y, width, height, props);
    }

    public string Ellipse(string? parent, double x, double y, double width, double height, string fill, string? stroke = null, string? name = null)
    {
        var props = stroke is null ? new JsonObject { ["fill"] = fill } : new JsonObject { ["fill"] = fill, ["stroke"] = stroke, ["strokeWidth"] = 1 };
        if (name is not null) props["name"] = name;
        return Add("ellipse", parent, x, y, width, height, props);
    }

    public string Line(string? parent, double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        Segment("line", parent, x1, y1, x2, y2, stroke, width);

    /// <summary>An arrow from (x1, y1) to its head at (x2, y2).</summary>
    public string Arrow(string? parent, double x1, double y1, double x2, double y2, string stroke, double width = 2) =>
        Segment("arrow", parent, x1, y1, x2, y2, stroke, width);

    private string Segment(string type, string? parent, double x1, double y1, double x2, double y2, string stroke, double width) =>
        Add(type, parent, Math.Min(x1, x2), Math.Min(y1, y2), Math.Abs(x2 - x1), Math.Abs(y2 - y1), new JsonObject
        {
            ["points"] = new JsonArray(x1 - Math.Min(x1, x2), y1 - Math.Min(y1, y2), x2 - Math.Min(x1, x2), y2 - Math.Min(y1, y2)),
            ["stroke"] = stroke, ["strokeWidth"] = width,
        });

    /// <summary>Gives a shape drawn earlier its final size: a frame sized once its contents are laid out.</summary>
    public void Resize(string id, double width, double height)
    {
        var i = _shapes.FindIndex(s => s.Id == id);
        _shapes[i] = _shapes[i] with { Width = Math.Ceiling(width), Height = Math.Ceiling(height) };
    }

    /// <summary>Another component drawn inside this one at (x, y) of <paramref name="parent"/>: its frame becomes a child. Returns its frame and size.</summary>
    public (string Root, double Width, double Height) Embed(string parent, double x, double y, ComponentSpec spec)
    {
        var inner = new Drawing(Theme, newId);
        (ComponentCatalog.Find(spec.Component) ?? throw new ArgumentException($"unknown component \"{spec.Component}\"")).Build(inner, spec);
        _shapes.AddRange(inner._shapes.Select(s => s with { X = s.X + x, Y = s.Y + y, Parent = s.Parent ?? parent }));
        return (inner._shapes[0].Id, inner.Size.Width, inner.Size.Height);
    }

    /// <summary>The size a component will have, to lay it out before drawing it.</summary>
    public static (double Width, double Height) SizeOf(ComponentSpec spec, Theme theme)
    {
        var n = 0;
        var drawing = new Drawing(theme, () => $"m{n++}");
        ComponentCatalog.Find(spec.Component)!.Build(drawing, spec);
        return drawing.Size;
    }

    /// <summary>
    /// Every text recoloured, where it must be, to read at 4.5:1 on what is behind it (the theme's page colour for loose
    /// text): a custom accent may be as light as yellow or as dark as navy.
    /// </summary>
    public void MakeTextReadable()
    {
        var boxes = _shapes.Select(s => new Contrast.Box(s.Id, s.Type, s.X, s.Y, s.Width, s.Height, s.Props["fill"]?.GetValue<string>())).ToList();
        foreach (var (id, color) in Contrast.Fixes(boxes, Theme.Background))
            _shapes.Single(s => s.Id == id).Props["fill"] = color;
    }

    /// <summary>One line of text in a box at least as wide as the text; returns the box's width.</summary>
    public double Text(string? parent, double x, double y, string text, double fontSize, string? color = null, bool bold = false,
        string align = "left", double? width = null)
    {
        var box = Math.Max(width ?? 0, Measure(text, fontSize, bold));
        Add("text", parent, x, y, box, Math.Ceiling(fontSize * 1.25), new JsonObject
        {
            ["text"] = text, ["fontSize"] = fontSize, ["fill"] = color ?? Theme.Text, ["fontWeight"] = bold ? 600 : 400,
            ["textAlign"] = align,
        });
        return box;
    }

    /// <summary>Text centred in a box (a button's label): the box is widened if the text needs it.</summary>
    public void CenteredText(string? parent, double x, double y, double width, double height, string text, double fontSize, string color,
        bool bold = true) =>
        Text(parent, x, y + (height - fontSize) / 2, text, fontSize, color, bold, "center", width);

    /// <summary>How wide a button is drawn: at least <paramref name="minWidth"/>, more when the label needs it.</summary>
    public static double ButtonWidth(string label, double fontSize = 15, double minWidth = 96) =>
        Math.Max(minWidth, Measure(label, fontSize, true) + 4 * U);

    /// <summary>A rounded button; returns its width (at least <paramref name="minWidth"/>, more when the label needs it).</summary>
    public double Button(string? parent, double x, double y, string label, string variant = "primary", double height = 40,
        double fontSize = 15, double minWidth = 96, double? width = null)
    {
        var w = width ?? ButtonWidth(label, fontSize, minWidth);
        var (fill, stroke, text) = variant switch
        {
            "secondary" => (Theme.Surface, Theme.Border, Theme.Text),
            "outline" => (Theme.Surface, Theme.Primary, Theme.Primary),
            "ghost" => (Theme.Surface, (string?)null, Theme.Primary),
            _ => (Theme.Primary, (string?)null, Theme.OnPrimary),
        };
        Rect(parent, x, y, w, height, fill, stroke, radius: 8, name: "button");
        CenteredText(parent, x, y, w, height, label, fontSize, text);
        return w;
    }

    /// <summary>A text field: a bordered box with placeholder text.</summary>
    public void Input(string? parent, double x, double y, double width, string placeholder, double height = 40)
    {
        Rect(parent, x, y, width, height, Theme.Background, Theme.Border, radius: 6, name: "input");
        Text(parent, x + 1.5 * U, y + (height - 14) / 2, placeholder, 14, Theme.Muted, width: width - 3 * U);
    }

    /// <summary>Everything drawn so far moved to (<paramref name="x"/>, <paramref name="y"/>) on the canvas.</summary>
    public IReadOnlyList<Shape> Place(double x, double y) =>
        _shapes.Select(s => s with { X = Math.Round(s.X + x, 2), Y = Math.Round(s.Y + y, 2) }).ToList();

    /// <summary>The extent of what was drawn.</summary>
    public (double Width, double Height) Size =>
        _shapes.Count == 0 ? (0, 0) : (_shapes.Max(s => s.X + s.Width), _shapes.Max(s => s.Y + s.Height));

    private string Add(string type, string? parent, double x, double y, double width, double height, JsonObject props)
    {
        var id = newId();
        _shapes.Add(new Shape(id, type, parent, x, y, Math.Max(0, width), Math.Max(0, height), props));
        return id;
    }
}
