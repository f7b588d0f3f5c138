namespace CollabCanvas.Server.Ai.Components;

public sealed class TextInput : IComponent
{
    public string Name => "text_input";
    public string[] Synonyms => ["input", "text field", "textfield", "field", "textbox", "text box", "input field", "text input field", "form field", "entry field"];
    public string Description => "A labelled text field. Title (or Labels[0]): the label; Labels[1]: the placeholder.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Title ?? spec.Label(0, "Name");
        var placeholder = spec.Title is null ? spec.Label(1, $"Enter {label.ToLowerInvariant()}…") : spec.Label(0, $"Enter {label.ToLowerInvariant()}…");
        var width = Math.Max(280 * spec.Scale(), Math.Max(Drawing.Measure(label, 14, true), Drawing.Measure(placeholder, 14) + 3 * u) + 4 * u);
        var frame = d.Frame("Text input", 0, 0, width + 4 * u, 11 * u + 2, radius: 10);
        d.Text(frame, 2 * u, 2 * u, label, 14, bold: true);
        d.Input(frame, 2 * u, 5 * u, width, placeholder);
    }
}
