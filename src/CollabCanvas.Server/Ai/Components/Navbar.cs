namespace CollabCanvas.Server.Ai.Components;

public sealed class Navbar : IComponent
{
    public string Name => "navbar";
    public string[] Synonyms => ["nav bar", "navigation bar", "navigation", "nav", "header", "top bar", "menu bar", "app bar", "topbar", "menubar"];
    public string Description => "A navigation bar: the logo (Title), links (Labels, Count), a button on the right.";
    public int MaxCount => 8;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(4, max: MaxCount);
        var links = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "Home", "Features", "Pricing", "About", "Blog", "Docs", "Careers", "Contact" }[i])).ToList();
        var logo = spec.Title ?? "Brand";
        var logoWidth = Drawing.Measure(logo, 20, true);
        var linksWidth = links.Sum(l => Drawing.Measure(l, 15) + 3 * u);
        var width = Math.Max(960, 3 * u + logoWidth + 5 * u + linksWidth + 2 * u + 14 * u + 3 * u);
        var frame = d.Frame("Navbar", 0, 0, width, 8 * u, radius: 0);
        d.Text(frame, 3 * u, 2.5 * u, logo, 20, d.Theme.Primary, bold: true);
        var x = 3 * u + logoWidth + 5 * u;
        foreach (var link in links) x += d.Text(frame, x, 3 * u, link, 15) + 3 * u;
        d.Button(frame, width - 3 * u - 14 * u, 1.5 * u, "Sign up", height: 40, minWidth: 14 * u, width: 14 * u);
    }
}
