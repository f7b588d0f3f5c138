namespace CollabCanvas.Server.Ai.Components;

public sealed class Avatar : IComponent
{
    public string Name => "avatar";
    public string[] Synonyms => ["profile picture", "profile pic", "user avatar", "user icon", "profile image", "avatars"];
    public string Description => "Round avatars with initials (Labels: names, Count).";
    public int MaxCount => 8;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(1, max: MaxCount);
        var size = Math.Round(48 * spec.Scale());
        var frame = d.Frame("Avatar", 0, 0, count * (size + u) + u, size + 2 * u, fill: d.Theme.Surface, stroke: d.Theme.Surface, radius: size / 2 + u);
        for (var i = 0; i < count; i++)
        {
            var name = spec.Label(i, spec.Title ?? new[] { "Ada Lovelace", "Grace Hopper", "Alan Turing", "Linus Torvalds", "Barbara Liskov", "Ken Thompson", "Margaret Hamilton", "Dennis Ritchie" }[i]);
            var initials = string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));
            var x = u + i * (size + u);
            d.Ellipse(frame, x, u, size, size, d.Theme.Primary);
            d.CenteredText(frame, x, u, size, size, initials, Math.Round(size * 0.38), d.Theme.OnPrimary);
        }
    }
}
