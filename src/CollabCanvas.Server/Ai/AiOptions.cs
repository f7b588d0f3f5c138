using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Ai;

/// <summary>Section <c>CollabCanvas:Ai</c>; described in docs/ai.md.</summary>
public sealed class AiOptions
{
    public const string Section = "CollabCanvas:Ai";

    /// <summary>Commands per user and hour, counted in the database (so across instances and restarts).</summary>
    [Range(1, 100_000)]
    public int CommandsPerHour { get; set; } = 10;

    [Range(1, 2000)]
    public int MaxPromptLength { get; set; } = 500;

    /// <summary>How long a previewed command (Claude's answers) waits to be accepted before it is dropped.</summary>
    [Range(1, 3600)]
    public int PreviewSeconds { get; set; } = 120;

    public ClaudeOptions Claude { get; set; } = new();
}

public sealed class ClaudeOptions
{
    /// <summary>The Anthropic API key; unset: the built-in parser does everything. From the environment, never a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Another address for the Messages API (a proxy, or a local stand-in in tests).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model for short, single-component commands.</summary>
    public string SimpleModel { get; set; } = "claude-haiku-4-5";

    /// <summary>The model for longer commands (several components, layouts, many labels).</summary>
    public string ComplexModel { get; set; } = "claude-sonnet-4-5";

    /// <summary>
    /// The whole command's wait for Claude, retries and a repair turn included: past it the built-in parser answers, so a
    /// hung API costs a person seconds, not <see cref="TimeoutSeconds"/> × (1 + <see cref="MaxRetries"/>).
    /// </summary>
    [Range(1, 120)]
    public int BudgetSeconds { get; set; } = 8;

    /// <summary>One request's limit; within the budget, an attempt has what is left of it.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 20;

    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Output limit of one answer: room for a drawing of about 80 objects (place_objects, ≈ 45 tokens each).</summary>
    [Range(64, 8192)]
    public int MaxTokens { get; set; } = 4096;

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}
