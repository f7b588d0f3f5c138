namespace CollabCanvas.Server.Ai.Components;

public sealed class Card : IComponent
{
    public string Name => "card";
    public string[] Synonyms => ["cards", "product card", "info card", "tile", "panel"];
    public string Description => "Cards side by side (Count), each with an image area, a title, a line of text and a button. Labels: titles.";
    public int MaxCount => 6;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(1, max: MaxCount);
        var titles = Enumerable.Range(0, count).Select(i => spec.Label(i, count == 1 ? spec.Title ?? "Card title" : $"Card {i + 1}")).ToList();
        var width = Math.Max(280 * spec.Scale(), titles.Max(t => Drawing.Measure(t, 20, true)) + 4 * u);
        var frame = d.Frame("Cards", 0, 0, count * (width + 2 * u) + 2 * u, 44 * u, fill: d.Theme.Background, radius: 16);
        for (var i = 0; i < count; i++)
        {
            var x = 2 * u + i * (width + 2 * u);
            d.Rect(frame, x, 2 * u, width, 40 * u, d.Theme.Surface, d.Theme.Border, radius: 12, name: "card");
            d.Rect(frame, x, 2 * u, width, 18 * u, d.Theme.Border, radius: 12, name: "image");
            d.Text(frame, x + 2 * u, 22 * u, titles[i], 20, bold: true);
            d.Text(frame, x + 2 * u, 26 * u, "A short description.", 14, d.Theme.Muted, width: width - 4 * u);
            d.Button(frame, x + 2 * u, 34 * u, "Learn more", "outline", 36, 14);
        }
    }
}
