namespace CollabCanvas.Server.Ai.Components;

public sealed class Sidebar : IComponent
{
    public string Name => "sidebar";
    public string[] Synonyms => ["side bar", "side menu", "side navigation", "sidenav", "side nav", "drawer", "left menu"];
    public string Description => "A vertical navigation: a title and items (Labels, Count), the first selected.";
    public int MaxCount => 12;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(5, max: MaxCount);
        var defaults = new[] { "Dashboard", "Projects", "Team", "Calendar", "Reports", "Settings", "Messages", "Files", "Billing", "Help", "Archive", "Logout" };
        var items = Enumerable.Range(0, count).Select(i => spec.Label(i, defaults[i])).ToList();
        var width = Math.Max(240, items.Max(i => Drawing.Measure(i, 15)) + 6 * u);
        var frame = d.Frame("Sidebar", 0, 0, width, 9 * u + count * 5 * u + 2 * u, radius: 12);
        d.Text(frame, 3 * u, 3 * u, spec.Title ?? "Menu", 18, bold: true);
        for (var i = 0; i < count; i++)
        {
            var y = 8 * u + i * 5 * u;
            if (i == 0) d.Rect(frame, 1.5 * u, y, width - 3 * u, 4.5 * u, d.Theme.Primary, radius: 8, name: "selected");
            d.Text(frame, 3 * u, y + 1.5 * u, items[i], 15, i == 0 ? d.Theme.OnPrimary : d.Theme.Text, bold: i == 0);
        }
    }
}
