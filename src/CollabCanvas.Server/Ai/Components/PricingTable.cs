namespace CollabCanvas.Server.Ai.Components;

public sealed class PricingTable : IComponent
{
    public string Name => "pricing_table";
    public string[] Synonyms => ["pricing", "pricing section", "price table", "pricing plans", "pricing cards", "price list", "subscription plans", "pricing tiers"];
    public string Description => "Pricing tiers side by side (Count, default 3; Labels: tier names), the middle one highlighted.";
    public int MaxCount => 6;

    private static readonly string[] Names = ["Free", "Pro", "Team", "Business", "Enterprise", "Custom"];
    private static readonly string[] Prices = ["$0", "$12", "$29", "$59", "$99", "Contact us"];

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(3, max: MaxCount);
        const double width = 240;
        var frame = d.Frame("Pricing table", 0, 0, count * (width + 3 * u) + 3 * u, 56 * u, fill: d.Theme.Background, radius: 16);
        var highlighted = count / 2;
        for (var i = 0; i < count; i++)
        {
            var x = 3 * u + i * (width + 3 * u);
            var on = i == highlighted && count > 1;
            d.Rect(frame, x, 3 * u, width, 50 * u, d.Theme.Surface, on ? d.Theme.Primary : d.Theme.Border, radius: 12, strokeWidth: on ? 2 : 1, name: "tier");
            d.Text(frame, x + 3 * u, 6 * u, spec.Label(i, Names[i]), 18, on ? d.Theme.Primary : d.Theme.Text, bold: true);
            var price = Prices[i];
            var priceWidth = d.Text(frame, x + 3 * u, 10 * u, price, 36, bold: true);
            if (price.StartsWith('$')) d.Text(frame, x + 3 * u + priceWidth + u, 13.5 * u, "/month", 14, d.Theme.Muted);
            for (var f = 0; f < 4; f++)
                d.Text(frame, x + 3 * u, 20 * u + f * 4 * u, "✓ " + new[] { $"{(i + 1) * 3} projects", $"{(i + 1) * 5} GB storage", i == 0 ? "Community support" : "Priority support", i >= count - 1 ? "SSO and audit log" : "Unlimited viewers" }[f], 14, d.Theme.Muted);
            d.Button(frame, x + 3 * u, 43 * u, i == 0 ? "Start free" : "Choose plan", on ? "primary" : "outline", width: width - 6 * u);
        }
    }
}
