namespace CollabCanvas.Server.Ai.Components;

public sealed class Tabs : IComponent
{
    public string Name => "tabs";
    public string[] Synonyms => ["tab bar", "tabbar", "segmented control", "tab strip"];
    public string Description => "Tabs (Labels, Count) over a content area, the first one active.";
    public int MaxCount => 8;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(3, min: 2, max: MaxCount);
        var tabs = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "Overview", "Details", "Reviews", "Settings", "History", "Files", "Team", "More" }[i])).ToList();
        var widths = tabs.Select(t => Drawing.Measure(t, 15, true) + 4 * u).ToList();
        var width = Math.Max(480, widths.Sum() + 4 * u);
        var frame = d.Frame("Tabs", 0, 0, width, 30 * u, radius: 12);
        var x = 2 * u;
        for (var i = 0; i < count; i++)
        {
            d.CenteredText(frame, x, 2 * u, widths[i], 4 * u, tabs[i], 15, i == 0 ? d.Theme.Primary : d.Theme.Muted, bold: i == 0);
            if (i == 0) d.Rect(frame, x, 6 * u, widths[i], 3, d.Theme.Primary, radius: 1.5, name: "active");
            x += widths[i];
        }
        d.Line(frame, 2 * u, 6 * u + 3, width - 2 * u, 6 * u + 3, d.Theme.Border);
        d.Text(frame, 3 * u, 9 * u, $"{tabs[0]} content goes here.", 15, d.Theme.Muted, width: width - 6 * u);
    }
}
