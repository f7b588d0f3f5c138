namespace CollabCanvas.Server.Ai.Components;

public sealed class ModalDialog : IComponent
{
    public string Name => "modal";
    public string[] Synonyms => ["modal dialog", "dialog", "dialog box", "popup", "pop up", "pop-up", "confirm dialog", "alert dialog", "alert popup", "alert modal", "confirmation dialog", "lightbox"];
    public string Description => "A dialog: title, a message, a primary button (Labels[0]), a secondary one (Labels[1], Cancel by default), a close mark.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var title = spec.Title ?? "Are you sure?";
        const string message = "This action cannot be undone.";
        var (confirm, cancel) = (spec.Label(0, "Confirm"), spec.Label(1, "Cancel"));
        var (confirmWidth, cancelWidth) = (Drawing.ButtonWidth(confirm), Drawing.ButtonWidth(cancel));
        var width = Math.Max(Math.Max(420, confirmWidth + cancelWidth + 10 * u), Math.Max(Drawing.Measure(title, 22, true), Drawing.Measure(message, 15)) + 10 * u);
        var frame = d.Frame("Modal dialog", 0, 0, width, 24 * u, radius: 16);
        d.Text(frame, 4 * u, 4 * u, title, 22, bold: true);
        d.Text(frame, width - 5 * u, 3.5 * u, "×", 22, d.Theme.Muted);
        d.Text(frame, 4 * u, 9 * u, message, 15, d.Theme.Muted);
        d.Button(frame, width - 4 * u - confirmWidth, 15 * u, confirm, width: confirmWidth);
        d.Button(frame, width - 4 * u - confirmWidth - 2 * u - cancelWidth, 15 * u, cancel, "secondary", width: cancelWidth);
    }
}
