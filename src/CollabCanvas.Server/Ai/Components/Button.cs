namespace CollabCanvas.Server.Ai.Components;

public sealed class Button : IComponent
{
    public string Name => "button";
    public string[] Synonyms => ["btn", "cta", "call to action"];
    public string Description => "A button. Labels[0]: its text; Variant: primary, secondary or outline; Size.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var s = spec.Scale();
        var label = spec.Label(0, spec.Title ?? "Button");
        var height = Math.Round(40 * s);
        var width = Math.Max(96 * s, Drawing.Measure(label, 15 * s, true) + 4 * Drawing.U);
        var frame = d.Frame("Button", 0, 0, width, height, fill: d.Theme.Surface, stroke: d.Theme.Surface, radius: 8);
        d.Button(frame, 0, 0, label, spec.Variant ?? "primary", height, Math.Round(15 * s), width: width);
    }
}
