namespace CollabCanvas.Server.Ai;

/// <summary>A palette by colour role; builders never name a colour, only a role.</summary>
public sealed record Theme(string Name, string Background, string Surface, string Primary, string OnPrimary, string Text, string Muted,
    string Border)
{
    /// <summary>The same theme with another primary colour (and the text colour with the higher contrast on it).</summary>
    public Theme WithPrimary(string primary) => Contrast.Legible(primary) is var legible ? this with { Primary = legible, OnPrimary = Contrast.BestOn(legible) } : this;
}

/// <summary>The themes, as data. <c>light</c> is the default of a canvas that has none.</summary>
public static class Themes
{
    public static readonly IReadOnlyDictionary<string, Theme> All = new Dictionary<string, Theme>(StringComparer.OrdinalIgnoreCase)
    {
        ["light"] = new("light", "#f6f7f9", "#ffffff", "#1971c2", "#ffffff", "#1f2328", "#656d76", "#d0d7de"),
        ["dark"] = new("dark", "#16181d", "#1f2228", "#4dabf7", "#0b1220", "#e6e8eb", "#9aa3ad", "#343a43"),
        ["ocean"] = new("ocean", "#eef7fb", "#ffffff", "#0b7285", "#ffffff", "#0b2e3a", "#4f6d7a", "#b8dce6"),
        ["sunset"] = new("sunset", "#fff5f0", "#ffffff", "#e8590c", "#ffffff", "#3d1f12", "#8a5a44", "#f3c9b2"),
        ["forest"] = new("forest", "#f1f8f2", "#ffffff", "#237a34", "#ffffff", "#16301c", "#55705b", "#c3dfc8"),
    };

    public const string Default = "light";

    public static Theme Get(string? name) => name is not null && All.TryGetValue(name, out var theme) ? theme : All[Default];
}

/// <summary>Named colours the commands understand, and contrast.</summary>
public static class Colors
{
    public static readonly IReadOnlyDictionary<string, string> Named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["red"] = "#e03131", ["orange"] = "#f08c00", ["yellow"] = "#fab005", ["green"] = "#2f9e44", ["teal"] = "#0c8599",
        ["cyan"] = "#1098ad", ["blue"] = "#1971c2", ["indigo"] = "#3b5bdb", ["purple"] = "#7048e8", ["violet"] = "#7048e8",
        ["pink"] = "#d6336c", ["magenta"] = "#ae3ec9", ["brown"] = "#8d5524", ["black"] = "#000000", ["white"] = "#ffffff",
        ["gray"] = "#868e96", ["grey"] = "#868e96", ["navy"] = "#1c2c5b", ["lime"] = "#74b816", ["gold"] = "#f59f00",
        ["silver"] = "#ced4da", ["maroon"] = "#862e2e", ["olive"] = "#5c940d", ["coral"] = "#ff6b6b", ["mint"] = "#38d9a9",
        ["lavender"] = "#b197fc", ["beige"] = "#f5f0e1", ["turquoise"] = "#22b8cf", ["salmon"] = "#ff8787",
    };

    /// <summary>#rgb or #rrggbb, as #rrggbb in lower case; null when it is neither.</summary>
    public static string? NormalizeHex(string text)
    {
        var hex = text.Trim().TrimStart('#');
        if (hex.Length == 3 && hex.All(char.IsAsciiHexDigit)) hex = string.Concat(hex.Select(c => $"{c}{c}"));
        return hex.Length == 6 && hex.All(char.IsAsciiHexDigit) ? "#" + hex.ToLowerInvariant() : null;
    }

    /// <summary>A named colour or a hex code, as #rrggbb; null when it is neither.</summary>
    public static string? Parse(string? text) =>
        text is null ? null : Named.TryGetValue(text.Trim(), out var named) ? named : NormalizeHex(text);
}
