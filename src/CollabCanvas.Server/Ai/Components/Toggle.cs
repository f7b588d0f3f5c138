namespace CollabCanvas.Server.Ai.Components;

public sealed class Toggle : IComponent
{
    public string Name => "toggle";
    public string[] Synonyms => ["switch", "toggle switch", "on off switch"];
    public string Description => "A switch (on) with a label (Labels[0]).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Label(0, spec.Title ?? "Notifications");
        var frame = d.Frame("Toggle", 0, 0, Drawing.Measure(label, 15) + 10 * u, 6 * u, radius: 10);
        d.Rect(frame, 2 * u, 1.5 * u, 44, 24, d.Theme.Primary, radius: 12, name: "track");
        d.Ellipse(frame, 2 * u + 22, 1.5 * u + 2, 20, 20, d.Theme.OnPrimary);
        d.Text(frame, 2 * u + 44 + 1.5 * u, 1.5 * u + 4, label, 15);
    }
}
