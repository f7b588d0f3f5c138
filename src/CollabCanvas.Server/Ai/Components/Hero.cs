namespace CollabCanvas.Server.Ai.Components;

public sealed class Hero : IComponent
{
    public string Name => "hero";
    public string[] Synonyms => ["hero section", "hero banner", "banner", "landing header", "jumbotron", "splash", "hero area", "landing section"];
    public string Description => "A hero section: a headline (Title), a sub-headline, a primary (Labels[0]) and a secondary button (Labels[1]).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var headline = spec.Title ?? "Design together, in real time";
        const string sub = "Draw, arrange and build interfaces with your whole team on one canvas.";
        var width = Math.Max(960, Math.Max(Drawing.Measure(headline, 44, true), Drawing.Measure(sub, 18)) + 16 * u);
        var frame = d.Frame("Hero", 0, 0, width, 46 * u, fill: d.Theme.Background, radius: 16);
        d.Text(frame, 8 * u, 10 * u, headline, 44, bold: true, align: "center", width: width - 16 * u);
        d.Text(frame, 8 * u, 19 * u, sub, 18, d.Theme.Muted, align: "center", width: width - 16 * u);
        var primary = spec.Label(0, "Get started");
        var secondary = spec.Label(1, "Learn more");
        var w1 = Math.Max(140, Drawing.Measure(primary, 16, true) + 4 * u);
        var w2 = Math.Max(140, Drawing.Measure(secondary, 16, true) + 4 * u);
        var x = (width - w1 - 2 * u - w2) / 2;
        d.Button(frame, x, 28 * u, primary, height: 48, fontSize: 16, width: w1);
        d.Button(frame, x + w1 + 2 * u, 28 * u, secondary, "outline", 48, 16, width: w2);
    }
}
