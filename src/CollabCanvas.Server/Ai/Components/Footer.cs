namespace CollabCanvas.Server.Ai.Components;

public sealed class Footer : IComponent
{
    public string Name => "footer";
    public string[] Synonyms => ["page footer", "site footer", "bottom bar", "footer section"];
    public string Description => "A page footer: columns of links (Count, Labels: column titles) and a copyright line (Title: the company).";
    public int MaxCount => 4;

    private static readonly string[][] Links = [["Features", "Pricing", "Changelog"], ["About", "Careers", "Blog"], ["Docs", "Guides", "Status"], ["Privacy", "Terms", "Security"]];

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(3, max: MaxCount);
        var company = spec.Title ?? "Brand";
        var width = Math.Max(960, count * 22 * u + 6 * u);
        var frame = d.Frame("Footer", 0, 0, width, 24 * u, fill: d.Theme.Background, radius: 0);
        for (var c = 0; c < count; c++)
        {
            var x = 3 * u + c * 22 * u;
            d.Text(frame, x, 3 * u, spec.Label(c, new[] { "Product", "Company", "Resources", "Legal" }[c]), 14, bold: true);
            for (var l = 0; l < 3; l++) d.Text(frame, x, 7 * u + l * 3.5 * u, Links[c][l], 14, d.Theme.Muted);
        }
        d.Line(frame, 3 * u, 19 * u, width - 3 * u, 19 * u, d.Theme.Border);
        d.Text(frame, 3 * u, 20.5 * u, $"© {DateTime.UtcNow.Year} {company}. All rights reserved.", 13, d.Theme.Muted);
    }
}
