namespace CollabCanvas.Core.Model;

/// <summary>Bounds that depend on configuration; the fixed bounds of each prop live in <see cref="ObjectSchema"/>.</summary>
public sealed record Limits
{
    /// <summary>Ops in one batch.</summary>
    public int MaxOpsPerBatch { get; init; } = 1000;
    /// <summary>UTF-16 characters in a <c>text</c> prop.</summary>
    public int MaxTextLength { get; init; } = 10_000;
    /// <summary>Numbers in a <c>points</c> array (two per point).</summary>
    public int MaxPointNumbers { get; init; } = 10_000;

    public static Limits Default { get; } = new();

    /// <summary>Used to replay the log: what was accepted once is never refused later because limits shrank.</summary>
    public static Limits Replay { get; } = new()
    {
        MaxOpsPerBatch = int.MaxValue,
        MaxTextLength = int.MaxValue,
        MaxPointNumbers = int.MaxValue,
    };
}
