namespace CollabCanvas.Server.Ai.Components;

public sealed class ListComponent : IComponent
{
    public string Name => "list";
    public string[] Synonyms => ["list view", "item list", "todo list", "to do list", "to-do list", "checklist", "bullet list", "menu list"];
    public string Description => "A list of items (Labels, Count) with a title, markers and dividers.";
    public int MaxCount => 12;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(4, max: MaxCount);
        var items = Enumerable.Range(0, count).Select(i => spec.Label(i, $"Item {i + 1}")).ToList();
        var width = Math.Max(320, items.Max(i => Drawing.Measure(i, 15)) + 9 * u);
        var frame = d.Frame("List", 0, 0, width, 8 * u + count * 6 * u + u, radius: 12);
        d.Text(frame, 3 * u, 3 * u, spec.Title ?? "List", 18, bold: true);
        for (var i = 0; i < count; i++)
        {
            var y = 8 * u + i * 6 * u;
            d.Ellipse(frame, 3 * u, y + 2 * u - 4, 8, 8, d.Theme.Primary);
            d.Text(frame, 5.5 * u, y + 1.5 * u, items[i], 15);
            if (i < count - 1) d.Line(frame, 3 * u, y + 6 * u - 0.5, width - 3 * u, y + 6 * u - 0.5, d.Theme.Border);
        }
    }
}
