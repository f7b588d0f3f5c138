namespace CollabCanvas.Server.Ai.Components;

public sealed class SearchField : IComponent
{
    public string Name => "search_field";
    public string[] Synonyms => ["search bar", "searchbar", "search box", "search input", "search", "search field with icon"];
    public string Description => "A search field with a magnifier icon. Labels[0] (or Title): the placeholder.";
    public string Noun => "search field";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var placeholder = spec.Label(0, spec.Title is { } subject ? $"Search {subject.ToLowerInvariant()}…" : "Search…");
        var width = Math.Max(320 * spec.Scale(), Drawing.Measure(placeholder, 15) + 8 * u);
        var frame = d.Frame("Search field", 0, 0, width, 6 * u, fill: d.Theme.Background, radius: 24);
        d.Ellipse(frame, 2 * u, 1.75 * u, 14, 14, d.Theme.Background, d.Theme.Muted);
        d.Line(frame, 2 * u + 12, 1.75 * u + 12, 2 * u + 18, 1.75 * u + 18, d.Theme.Muted, 2);
        d.Text(frame, 5 * u, 1.5 * u + 1, placeholder, 15, d.Theme.Muted, width: width - 7 * u);
    }
}
