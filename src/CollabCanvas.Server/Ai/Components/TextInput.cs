namespace CollabCanvas.Server.Ai.Components;

public sealed class TextInput : IComponent
{
    public string Name => "text_input";
    public string[] Synonyms => ["input", "text field", "textfield", "field", "textbox", "text box", "search box", "search bar", "searchbar", "search field", "search input"];
    public string Description => "A labelled text field. Title: the label; Labels[0]: the placeholder.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Title ?? "Label";
        var width = Math.Max(280 * spec.Scale(), Drawing.Measure(label, 14, true) + 4 * u);
        var frame = d.Frame("Text input", 0, 0, width + 4 * u, 11 * u + 2, radius: 10);
        d.Text(frame, 2 * u, 2 * u, label, 14, bold: true);
        d.Input(frame, 2 * u, 5 * u, width, spec.Label(0, "Type here…"));
    }
}
