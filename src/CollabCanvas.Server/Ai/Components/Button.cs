namespace CollabCanvas.Server.Ai.Components;

public sealed class Button : IComponent
{
    public string Name => "button";
    public string[] Synonyms => ["btn", "cta", "call to action", "buttons"];
    public string Description => "Buttons in a row, one per label. Labels: their texts; Count; Variant: primary, secondary or outline; Size.";
    public int MaxCount => 8;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var s = spec.Scale();
        var count = spec.CountOr(1, max: MaxCount);
        var labels = Enumerable.Range(0, count).Select(i => spec.Label(i, count == 1 ? spec.Title ?? "Button" : $"Button {i + 1}")).ToList();
        var height = Math.Round(40 * s);
        var widths = labels.Select(l => Math.Max(96 * s, Drawing.Measure(l, 15 * s, true) + 4 * u)).ToList();
        var frame = d.Frame(count == 1 ? "Button" : "Buttons", 0, 0, widths.Sum() + (count - 1) * 2 * u, height,
            fill: d.Theme.Surface, stroke: d.Theme.Surface, radius: 8);
        var x = 0.0;
        for (var i = 0; i < count; i++)
        {
            d.Button(frame, x, 0, labels[i], spec.Variant ?? "primary", height, Math.Round(15 * s), width: widths[i]);
            x += widths[i] + 2 * u;
        }
    }
}
