namespace CollabCanvas.Server.Ai.Components;

public sealed class Checkbox : IComponent
{
    public string Name => "checkbox";
    public string[] Synonyms => ["check box", "tickbox", "tick box", "checkboxes"];
    public string Description => "Checkboxes, one per label (Labels), the first checked.";
    public int MaxCount => 8;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(1, max: MaxCount);
        var labels = Enumerable.Range(0, count).Select(i => spec.Label(i, count == 1 ? "Remember me" : $"Option {i + 1}")).ToList();
        var width = labels.Max(l => Drawing.Measure(l, 15)) + 7 * u;
        var frame = d.Frame("Checkbox", 0, 0, width, count * 4 * u + 2 * u, radius: 10);
        for (var i = 0; i < count; i++)
        {
            var y = 2 * u + i * 4 * u;
            var on = i == 0;
            d.Rect(frame, 2 * u, y + 3, 18, 18, on ? d.Theme.Primary : d.Theme.Surface, on ? null : d.Theme.Border, radius: 4);
            if (on) d.CenteredText(frame, 2 * u, y + 3, 18, 18, "✓", 13, d.Theme.OnPrimary);
            d.Text(frame, 5 * u, y + 4, labels[i], 15);
        }
    }
}
