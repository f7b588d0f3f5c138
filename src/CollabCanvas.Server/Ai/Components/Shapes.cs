namespace CollabCanvas.Server.Ai.Components;

/// <summary>
/// The canvas's own shapes, drawn loose (no frame): a box or a round shape in the accent colour with an optional label
/// inside, and texts. "a blue square", "an orange oval labelled Start", "a title saying Hello", "some body text".
/// </summary>
internal static class Shape
{
    public static void Build(Drawing d, ComponentSpec spec, string name, bool round, double width, double height)
    {
        var s = spec.Scale();
        var label = spec.Label(0, spec.Title ?? "");
        var w = Math.Max(width * s, label.Length == 0 ? 0 : Drawing.Measure(label, 16, true) + 4 * Drawing.U);
        var h = height * s;
        if (width == height) h = w; // a square or a circle stays one
        // Only frames hold other objects: a labelled shape is a frame of its size holding the shape and its label.
        var parent = label.Length == 0 ? null
            : d.Frame(label, 0, 0, w, h, fill: d.Theme.Background, stroke: d.Theme.Background, radius: round ? Math.Min(w, h) / 2 : 8);
        if (round) d.Ellipse(parent, 0, 0, w, h, d.Theme.Primary, name: name);
        else d.Rect(parent, 0, 0, w, h, d.Theme.Primary, radius: 8, name: name);
        if (parent is not null) d.CenteredText(parent, 0, 0, w, h, label, 16, d.Theme.OnPrimary);
    }
}

public sealed class Rectangle : IComponent
{
    public string Name => "rectangle";
    public string[] Synonyms => ["rect", "box", "block", "rectangles", "boxes", "shape"];
    public string Description => "A plain rectangle in the accent colour (Color), with an optional label (Labels[0]).";
    public void Build(Drawing d, ComponentSpec spec) => Shape.Build(d, spec, "rectangle", false, 200, 120);
}

public sealed class Square : IComponent
{
    public string Name => "square";
    public string[] Synonyms => ["squares"];
    public string Description => "A plain square in the accent colour (Color), with an optional label (Labels[0]).";
    public void Build(Drawing d, ComponentSpec spec) => Shape.Build(d, spec, "square", false, 120, 120);
}

public sealed class Ellipse : IComponent
{
    public string Name => "ellipse";
    public string[] Synonyms => ["oval", "ovals", "ellipses"];
    public string Description => "A plain ellipse in the accent colour (Color), with an optional label (Labels[0]).";
    public string Noun => "ellipse";
    public void Build(Drawing d, ComponentSpec spec) => Shape.Build(d, spec, "ellipse", true, 200, 120);
}

public sealed class Circle : IComponent
{
    public string Name => "circle";
    public string[] Synonyms => ["circles", "dot", "round shape"];
    public string Description => "A plain circle in the accent colour (Color), with an optional label (Labels[0]).";
    public void Build(Drawing d, ComponentSpec spec) => Shape.Build(d, spec, "circle", true, 120, 120);
}

public sealed class Heading : IComponent
{
    public string Name => "heading";
    public string[] Synonyms => ["title", "headline", "big text", "header text", "page title", "large text"];
    public string Description => "A loose heading: Labels[0] (or Title) in large bold type.";
    public void Build(Drawing d, ComponentSpec spec) =>
        d.Text(null, 0, 0, spec.Label(0, spec.Title ?? "Heading"), Math.Round(32 * spec.Scale()), bold: true);
}

public sealed class TextBlock : IComponent
{
    public string Name => "text";
    public string[] Synonyms => ["body text", "paragraph", "some text", "text block", "caption", "plain text", "sentence", "copy"];
    public string Description => "A loose line of body text: Labels[0] (or Title).";
    public void Build(Drawing d, ComponentSpec spec) =>
        d.Text(null, 0, 0, spec.Label(0, spec.Title ?? "Body text: say what this part is about."), Math.Round(16 * spec.Scale()));
}

public sealed class Frame : IComponent
{
    public string Name => "frame";
    public string[] Synonyms => ["artboard", "board", "frames", "empty frame", "canvas frame"];
    public string Description => "An empty frame named Title; a device in its name (phone, tablet, desktop) gives it that size.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var name = spec.Title ?? spec.Label(0, "Frame");
        var (w, h) = name.ToLowerInvariant() switch
        {
            var n when n.Contains("tablet") || n.Contains("ipad") => (768, 1024),
            var n when n.Contains("phone") || n.Contains("mobile") || n.Contains("iphone") || n.Contains("android") => (390, 844),
            var n when n.Contains("desktop") || n.Contains("laptop") || n.Contains("web") => (1440, 900),
            _ => (800, 600),
        };
        d.Frame(name, 0, 0, w * spec.Scale(), h * spec.Scale(), radius: 0);
    }
}

public sealed class Arrow : IComponent
{
    public string Name => "arrow";
    public string[] Synonyms => ["arrows", "connector", "connection", "connect", "pointer arrow"];
    public string Description => "An arrow. From and To: the names or texts of objects on the canvas it joins; boxes are drawn for ends not found.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        if (spec.From is null && spec.To is null)
        {
            d.Arrow(null, 0, 0, 160 * spec.Scale(), 0, d.Theme.Text);
            return;
        }
        // Ends that are not on the canvas: a labelled box for each, the arrow between them.
        var from = spec.From ?? "Start";
        var to = spec.To ?? "End";
        var frame = d.Frame("Arrow", 0, 0, 0, 0, fill: d.Theme.Background, radius: 12);
        var (w1, w2) = (Node.Width(from), Node.Width(to));
        Node.Draw(d, frame, 2 * u, 2 * u, w1, from, true);
        Node.Draw(d, frame, 2 * u + w1 + 10 * u, 2 * u, w2, to, true);
        d.Arrow(frame, 2 * u + w1 + u, 2 * u + Node.Height / 2, 2 * u + w1 + 9 * u, 2 * u + Node.Height / 2, d.Theme.Text);
        d.Resize(frame, 4 * u + w1 + 10 * u + w2, 4 * u + Node.Height);
    }
}
