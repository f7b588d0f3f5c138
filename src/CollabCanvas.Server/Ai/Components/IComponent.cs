namespace CollabCanvas.Server.Ai.Components;

/// <summary>A component builder: deterministic, draws into a frame of its own at (0, 0) with consistent spacing.</summary>
public interface IComponent
{
    /// <summary>The name tools and commands use (snake_case).</summary>
    string Name { get; }

    /// <summary>Other words people use for it; the parser matches these too.</summary>
    string[] Synonyms { get; }

    /// <summary>One line for the model's tool description and docs/ai.md.</summary>
    string Description { get; }

    /// <summary>What it is called in a sentence ("login form"): "Made 3 cards".</summary>
    string Noun => Name.Replace('_', ' ');

    /// <summary>The largest count it draws; a request for more is answered with this limit rather than silently cut.</summary>
    int MaxCount => 12;

    /// <summary>Whether its count is how many of it are drawn ("3 cards") rather than how many parts it has ("3 tiers").</summary>
    bool CountIsCopies => false;

    void Build(Drawing d, ComponentSpec spec);
}

/// <summary>Reading a spec with defaults and bounds, the same way in every builder.</summary>
public static class SpecExtensions
{
    public static string Label(this ComponentSpec spec, int index, string fallback) =>
        spec.Labels is { } labels && index < labels.Length && !string.IsNullOrWhiteSpace(labels[index]) ? labels[index] : fallback;

    public static int CountOr(this ComponentSpec spec, int fallback, int min = 1, int max = 12) =>
        Math.Clamp(spec.Count ?? spec.Labels?.Length ?? fallback, min, max);

    /// <summary>small 0.85, medium 1, large 1.2.</summary>
    public static double Scale(this ComponentSpec spec) => spec.Size switch { "small" => 0.85, "large" => 1.2, _ => 1.0 };
}
