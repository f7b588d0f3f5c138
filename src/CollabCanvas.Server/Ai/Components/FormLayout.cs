namespace CollabCanvas.Server.Ai.Components;

/// <summary>The one layout of forms (login, sign-up): title, labelled fields, a full-width button, a link.</summary>
internal static class FormLayout
{
    public static void Build(Drawing d, string name, string title, IReadOnlyList<(string Label, string Placeholder)> fields, string button,
        string link, double scale)
    {
        var u = Drawing.U;
        var inner = Math.Max(296 * scale, new[] { Drawing.Measure(title, 24, true), Drawing.Measure(link, 14) }
            .Concat(fields.Select(f => Drawing.Measure(f.Placeholder, 14) + 3 * u)).Max());
        var height = 4 * u + 5 * u + fields.Count * 10 * u + u + 6 * u + 6 * u + 2 * u;
        var frame = d.Frame(name, 0, 0, inner + 8 * u, height, radius: 16);
        var y = 4 * u;
        d.Text(frame, 4 * u, y, title, 24, bold: true);
        y += 6 * u;
        foreach (var (label, placeholder) in fields)
        {
            d.Text(frame, 4 * u, y, label, 14, bold: true);
            d.Input(frame, 4 * u, y + 3 * u, inner, placeholder);
            y += 10 * u;
        }
        y += u;
        d.Button(frame, 4 * u, y, button, width: inner, height: 44);
        y += 6 * u + u;
        d.Text(frame, 4 * u, y, link, 14, d.Theme.Primary, align: "center", width: inner);
    }
}
