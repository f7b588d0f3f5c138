using System.Text.Json.Serialization;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// What a command asks for, whichever interpreter understood it: the built-in parser or Claude (whose tool calls
/// deserialize into these same records). Every field is optional; builders fill in sensible defaults.
/// </summary>
public sealed record ComponentSpec
{
    /// <summary>One of <see cref="ComponentCatalog.Names"/>.</summary>
    public string Component { get; init; } = "";
    /// <summary>light, dark, or a brand palette (<see cref="Themes"/>); the canvas's default when absent.</summary>
    public string? Theme { get; init; }
    /// <summary>A heading: the form's title, the card's title, the hero's headline, the logo text...</summary>
    public string? Title { get; init; }
    /// <summary>Texts in order: button label, items, tabs, tier names, column headers, links.</summary>
    public string[]? Labels { get; init; }
    /// <summary>How many: tiers, items, tabs, links.</summary>
    public int? Count { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    /// <summary>small, medium or large.</summary>
    public string? Size { get; init; }
    /// <summary>primary, secondary or outline (buttons and badges).</summary>
    public string? Variant { get; init; }
    /// <summary>A colour (#rrggbb) that replaces the theme's primary colour.</summary>
    public string? Color { get; init; }
    /// <summary>below or right (of the selection), or center (of the viewport).</summary>
    public string? Placement { get; init; }
    /// <summary>An arrow's start: the name or text of an object on the canvas (or of a box drawn for it).</summary>
    public string? From { get; init; }
    /// <summary>An arrow's end, like <see cref="From"/>.</summary>
    public string? To { get; init; }
    /// <summary>A percentage (0–100): a progress bar's or a slider's value.</summary>
    public int? Value { get; init; }
    /// <summary>Components a page layout holds besides its own ("a landing page with pricing": pricing_table).</summary>
    public string[]? Parts { get; init; }
}

/// <summary>Style changes for the selected objects.</summary>
public sealed record StyleEdit
{
    public string? Fill { get; init; }
    /// <summary>A colour for the selected container itself (a component's frame), which a plain fill leaves neutral.</summary>
    public string? Background { get; init; }
    public string? Stroke { get; init; }
    public string? TextColor { get; init; }
    /// <summary>Size factor: 1.25 "bigger", 0.8 "smaller".</summary>
    public double? Scale { get; init; }
    public double? CornerRadius { get; init; }
    public double? Opacity { get; init; }
    /// <summary>normal or bold.</summary>
    public string? FontWeight { get; init; }
}

/// <summary>Moves the selected objects: stack, grid, align or distribute.</summary>
public sealed record ArrangeSpec
{
    /// <summary>stack, grid, align or distribute.</summary>
    public string Layout { get; init; } = "stack";
    /// <summary>horizontal or vertical (stack, distribute).</summary>
    public string? Direction { get; init; }
    /// <summary>left, center, right, top, middle or bottom (align).</summary>
    public string? Edge { get; init; }
    public int? Columns { get; init; }
    public double? Gap { get; init; }
}

/// <summary>One step of a plan. A previewed command keeps its plan as JSON until it is accepted, hence the names.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "action")]
[JsonDerivedType(typeof(CreateComponent), "create_component")]
[JsonDerivedType(typeof(EditSelection), "edit_selection")]
[JsonDerivedType(typeof(ArrangeSelection), "arrange_selection")]
[JsonDerivedType(typeof(DeleteSelection), "delete_selection")]
[JsonDerivedType(typeof(DuplicateSelection), "duplicate_selection")]
[JsonDerivedType(typeof(SetDefaultTheme), "set_default_theme")]
[JsonDerivedType(typeof(PlaceObjects), "place_objects")]
public abstract record AiAction;

public sealed record CreateComponent(ComponentSpec Spec) : AiAction;

public sealed record EditSelection(StyleEdit Edit) : AiAction;

public sealed record ArrangeSelection(ArrangeSpec Arrange) : AiAction;

public sealed record DeleteSelection : AiAction;

public sealed record DuplicateSelection(int Count) : AiAction;

public sealed record SetDefaultTheme(string Theme) : AiAction;

/// <summary>Tokens and estimated cost of one model call, or of a command's calls added up.</summary>
public sealed record AiUsage(string Model, long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, decimal CostUsd)
{
    /// <summary>What a command's calls cost together (they share one model), or null when it made none.</summary>
    public static AiUsage? Sum(IReadOnlyCollection<AiUsage> calls) => calls.Count == 0 ? null : new(calls.Last().Model,
        calls.Sum(c => c.InputTokens), calls.Sum(c => c.OutputTokens), calls.Sum(c => c.CacheReadTokens), calls.Sum(c => c.CacheWriteTokens),
        calls.Sum(c => c.CostUsd));
}

/// <summary>The interpreter's answer: actions to run, or a refusal that tells the user what would work.</summary>
public sealed record AiPlan(IReadOnlyList<AiAction> Actions, string? Refusal = null)
{
    public string Interpreter { get; init; } = "builtin";
    /// <summary>Words of the request the plan does not carry out ("animated"): the answer says so.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
    /// <summary>What the command's model calls cost, used or not (null for the built-in parser alone).</summary>
    public AiUsage? Usage { get; init; }
    /// <summary>What happened on the way, for the person: "Claude did not answer in 8 s; the built-in parser answered instead."</summary>
    public string? Note { get; init; }

    public static AiPlan Refuse(string message) => new([], message);
}
