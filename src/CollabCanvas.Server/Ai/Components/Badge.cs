namespace CollabCanvas.Server.Ai.Components;

public sealed class Badge : IComponent
{
    public string Name => "badge";
    public string[] Synonyms => ["tag", "label chip", "chip", "pill", "status badge", "badges", "tags", "chips", "lozenge"];
    public string Description => "Small rounded labels (Labels, Count).";
    public int MaxCount => 8;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(1, max: MaxCount);
        var labels = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "New", "Beta", "Popular", "Sale", "Draft", "Live", "Archived", "Pro" }[i])).ToList();
        var widths = labels.Select(l => Drawing.Measure(l, 12, true) + 2.5 * u).ToList();
        var frame = d.Frame("Badge", 0, 0, widths.Sum() + (count + 1) * u, 5 * u, fill: d.Theme.Surface, stroke: d.Theme.Surface, radius: 8);
        var x = u;
        for (var i = 0; i < count; i++)
        {
            var outline = spec.Variant == "outline";
            d.Rect(frame, x, u, widths[i], 3 * u, outline ? d.Theme.Surface : d.Theme.Primary, outline ? d.Theme.Primary : null, radius: 1.5 * u, name: "badge");
            d.CenteredText(frame, x, u, widths[i], 3 * u, labels[i], 12, outline ? d.Theme.Primary : d.Theme.OnPrimary);
            x += widths[i] + u;
        }
    }
}
