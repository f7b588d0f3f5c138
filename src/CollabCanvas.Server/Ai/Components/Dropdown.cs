namespace CollabCanvas.Server.Ai.Components;

public sealed class Dropdown : IComponent
{
    public string Name => "dropdown";
    public string[] Synonyms => ["select", "select box", "combobox", "combo box", "drop down", "picker", "dropdown menu"];
    public string Description => "A labelled select box. Title: the label; Labels: the options (the first is shown).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Title ?? "Choose one";
        var value = spec.Label(0, "Select an option");
        var width = Math.Max(240, Drawing.Measure(value, 14) + 8 * u);
        var frame = d.Frame("Dropdown", 0, 0, width + 4 * u, 11 * u + 2, radius: 10);
        d.Text(frame, 2 * u, 2 * u, label, 14, bold: true);
        d.Rect(frame, 2 * u, 5 * u, width, 40, d.Theme.Background, d.Theme.Border, radius: 6, name: "select");
        d.Text(frame, 3.5 * u, 5 * u + 13, value, 14);
        d.Text(frame, 2 * u + width - 4 * u, 5 * u + 11, "▾", 16, d.Theme.Muted);
    }
}
