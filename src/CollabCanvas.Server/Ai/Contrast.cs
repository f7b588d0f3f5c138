namespace CollabCanvas.Server.Ai;

/// <summary>
/// Readable text, by WCAG 2 contrast ratio: every text keeps at least 4.5:1 against what is behind it (the topmost
/// filled shape under its middle, or the page). Used by the builders after drawing and by edits after recolouring,
/// so that a custom accent or "make these yellow" can never leave a label unreadable.
/// </summary>
public static class Contrast
{
    public const double Minimum = 4.5;

    /// <summary>A shape as contrast sees it, in drawing order (later shapes are on top).</summary>
    public sealed record Box(string Id, string Type, double X, double Y, double Width, double Height, string? Fill, double Opacity = 1);

    /// <summary>WCAG relative luminance of #rrggbb.</summary>
    public static double Luminance(string color)
    {
        var hex = Colors.NormalizeHex(color) ?? "#ffffff";
        double Channel(int i)
        {
            var c = Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(0) + 0.7152 * Channel(1) + 0.0722 * Channel(2);
    }

    public static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>Near-black or white, whichever has the higher contrast on <paramref name="background"/>.</summary>
    public static string BestOn(string background) => Ratio("#111111", background) >= Ratio("#ffffff", background) ? "#111111" : "#ffffff";

    /// <summary>
    /// <paramref name="color"/> if it reads on <paramref name="background"/>; otherwise the same hue mixed towards black or
    /// white (the direction with more room) just far enough to reach the minimum, so a brand colour stays recognisable.
    /// </summary>
    public static string Readable(string color, string background)
    {
        var c = Colors.NormalizeHex(color) ?? "#111111";
        if (Ratio(c, background) >= Minimum) return c;
        var towards = BestOn(background);
        for (var t = 0.05; t < 1; t += 0.05)
        {
            var mixed = Mix(c, towards, t);
            if (Ratio(mixed, background) >= Minimum) return mixed;
        }
        return towards;
    }

    /// <summary>
    /// An accent that some text can sit on: a mid-tone (a green where neither black nor white reaches 4.5:1) is darkened
    /// just enough for white text.
    /// </summary>
    public static string Legible(string accent)
    {
        var c = Colors.NormalizeHex(accent) ?? accent;
        if (Ratio(BestOn(c), c) >= Minimum) return c;
        for (var t = 0.05; t < 1; t += 0.05)
        {
            var darker = Mix(c, "#000000", t);
            if (Ratio("#ffffff", darker) >= Minimum) return darker;
        }
        return "#000000";
    }

    /// <summary>The colour behind a text: the last filled, opaque enough shape before it whose box holds its middle.</summary>
    public static string BackgroundOf(IReadOnlyList<Box> ordered, int textIndex, string page)
    {
        var text = ordered[textIndex];
        var (cx, cy) = (text.X + text.Width / 2, text.Y + text.Height / 2);
        for (var i = textIndex - 1; i >= 0; i--)
        {
            var b = ordered[i];
            if (b.Type is "rect" or "ellipse" or "frame" && b.Fill is { } fill && b.Opacity >= 0.5 && Colors.NormalizeHex(fill) is not null
                && cx >= b.X && cx <= b.X + b.Width && cy >= b.Y && cy <= b.Y + b.Height)
                return fill;
        }
        return page;
    }

    /// <summary>The texts whose colour must change to read, with the colour they get.</summary>
    public static IEnumerable<(string Id, string Color)> Fixes(IReadOnlyList<Box> ordered, string page)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Type != "text") continue;
            var background = BackgroundOf(ordered, i, page);
            var color = ordered[i].Fill ?? "#111111";
            var readable = Readable(color, background);
            if (!string.Equals(readable, Colors.NormalizeHex(color), StringComparison.Ordinal)) yield return (ordered[i].Id, readable);
        }
    }

    private static string Mix(string a, string b, double t)
    {
        int Channel(string hex, int i) => Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16);
        var channels = Enumerable.Range(0, 3).Select(i => (int)Math.Round(Channel(a, i) * (1 - t) + Channel(b, i) * t));
        return "#" + string.Concat(channels.Select(v => v.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
