using System.Globalization;
using System.Text.RegularExpressions;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// The built-in interpreter: no network, no model. It reads a sentence the way a person writes it (component names
/// and their synonyms, counts in digits or words, quoted labels, colours by name or hex, themes, sizes, positions,
/// edits of the selection), forgives a typo per word, and turns it into the same plan Claude's tool calls give.
/// What it cannot understand it refuses with examples of what works.
/// </summary>
public static partial class CommandParser
{
    public const string Help =
        "Try \"create a login form\", \"add a pricing table with 3 tiers in dark theme\", \"a navbar with 5 links\", " +
        "\"make these blue\", \"align left\" or \"duplicate this 3 times\".";

    /// <summary>The answer to a sentence it cannot read; it says plainly which languages it reads.</summary>
    public const string NotUnderstood =
        "I did not understand that. I read English, and simple French, German and Spanish; I can draw components, shapes, " +
        "diagrams and pages, and change the selection. " + Help;

    /// <summary>A count in digits or words ("a" and "an" are not counts: "a card" is one card by default).</summary>
    private const string Numbers = @"\d+|one|single|two|pair|couple|three|few|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen";

    private static readonly Dictionary<string, int> NumberWords = new()
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["two"] = 2, ["pair"] = 2, ["couple"] = 2, ["three"] = 3, ["few"] = 3,
        ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11,
        ["twelve"] = 12, ["dozen"] = 12, ["twice"] = 2, ["thrice"] = 3,
    };

    /// <summary>Components whose one quoted text is their heading rather than their label.</summary>
    private static readonly HashSet<string> TitleFirst =
        ["text_input", "dropdown", "login_form", "signup_form", "contact_form", "card", "navbar", "sidebar", "modal", "hero", "list", "footer",
         "frame", "flowchart", "org_chart", "mind_map", "sequence_diagram", "dashboard", "landing_page", "card_grid", "mobile_screen",
         "chart", "image", "image_grid", "newsletter", "pricing_table", "table"];

    /// <summary>Features the builders do not draw: said back to the user as ignored rather than silently dropped.</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "animated", "animation", "animations", "animate", "gradient", "gradients", "shadow", "shadows", "glow", "glowing", "blur", "blurred",
        "3d", "hover", "responsive", "sticky", "video", "videos", "sound", "music", "blinking", "flashing", "spinning", "rotating", "italic",
        "underlined", "interactive", "clickable", "working", "functional", "scrollable", "draggable", "sortable", "parallax", "transition",
        "transitions", "neon", "glass", "glassmorphism", "skeuomorphic", "retro", "shiny", "sparkly", "textured",
    ];

    /// <summary>Every word the parser knows, for typo correction: component words, themes, colours, verbs, layout words.</summary>
    private static readonly HashSet<string> Vocabulary = BuildVocabulary();

    /// <summary>Component phrases, longest first, so that "sign up form" wins over "form" and "pricing table" over "table".</summary>
    private static readonly (string Phrase, string Component)[] Phrases = ComponentCatalog.All
        .SelectMany(c => c.Synonyms.Append(c.Name.Replace('_', ' ')).Select(s => (Phrase: s.ToLowerInvariant(), Component: c.Name)))
        .OrderByDescending(p => p.Phrase.Length).ToArray();

    public static AiPlan Parse(string prompt, bool hasSelection)
    {
        var (english, _) = Languages.ToEnglish(prompt);
        return ParseEnglish(english, hasSelection);
    }

    private static AiPlan ParseEnglish(string prompt, bool hasSelection)
    {
        var (text, quoted) = TakeQuoted(QuoteUnquotedTexts(prompt));
        var original = text;
        // Words written with a capital are names ("Contact", "Home"): never "corrected" into something else.
        var names = Regex.Matches(original, @"\b[A-Z][a-z]+\b").Select(m => m.Value.ToLowerInvariant())
            .Where(w => !Regex.IsMatch(original, $@"^\s*{Regex.Escape(char.ToUpperInvariant(w[0]) + w[1..])}\b")).ToHashSet();
        var raw = Tokens(text).ToList();
        var words = raw.Select(w => names.Contains(w) || Unsupported.Contains(w) ? w : Correct(w)).ToList();
        var sentence = " " + string.Join(' ', words) + " ";
        // Letters but no words it can read: another script.
        if (words.Count == 0 && quoted.Count == 0) return AiPlan.Refuse(prompt.Any(char.IsLetter) ? NotUnderstood : "Type what to make or change. " + Help);

        if (ThemeChange(sentence) is { } theme) return new AiPlan([new SetDefaultTheme(theme)]);

        // "a grid of 6 cards", "a grid of 9 photos": the grid is the component, what it holds is counted.
        sentence = Regex.Replace(sentence, @" grid of (\w+ )?(cards?|tiles?) ", " card grid of $1cards ");
        sentence = Regex.Replace(sentence, @" grid of (\w+ )?(photos?|images?|pictures?) ", " image grid of $1photos ");
        var components = FindComponents(sentence);
        // "make the text white": a component named with "the" and no verb of making is something already there.
        var refersToSelection = Regex.IsMatch(sentence, @" (these|this|them|it|selection|selected|those|everything selected|the shapes?) ")
            || components.Any(c => Regex.IsMatch(sentence[..(c.At + 1)], @" the $"));
        var creates = Regex.IsMatch(sentence, @" (create|add|insert|draw|build|generate|make an? |new) ");
        if (components.Count == 0 || (refersToSelection && !creates))
        {
            if (SelectionCommand(sentence, hasSelection) is { } action)
                return hasSelection
                    ? new AiPlan([action]) { Ignored = Ignored(words, sentence, []) }
                    : AiPlan.Refuse("Select the objects to change first, then say what to do with them.");
            if (components.Count == 0) return AiPlan.Refuse(NotUnderstood);
        }

        // "a landing page with pricing", "a mobile login screen": a page holds the other components named.
        if (components.FirstOrDefault(c => Layouts.Contains(c.Component)) is { Component: not null } page)
        {
            var inside = Mentions(sentence).Select(m => m.Component).Where(c => c != page.Component && !Layouts.Contains(c)).Distinct().ToArray();
            var spec = Spec(page.Component, sentence, quoted, original, true) with { Parts = inside.Length > 0 ? inside : null };
            return new AiPlan([new CreateComponent(spec)]) { Ignored = Ignored(words, sentence, components) };
        }

        var actions = new List<AiAction>();
        // "a navbar and a footer": one component per part that names one.
        var parts = components.Count > 1 ? SplitParts(sentence, components) : [(sentence, components[0].Component)];
        foreach (var (part, component) in parts)
        {
            var spec = Spec(component, part, quoted, original, parts.Count == 1);
            var builder = ComponentCatalog.Find(component)!;
            if (spec.Rows > 20 || spec.Columns > 8)
                return AiPlan.Refuse($"A table can have at most 20 rows and 8 columns, and you asked for {spec.Rows ?? 3} by {spec.Columns ?? 3}. Ask for a smaller one.");
            if (spec.Count > builder.MaxCount)
                return AiPlan.Refuse($"I can make at most {builder.MaxCount} {Plural(builder.Noun)} in one command, and you asked for {spec.Count}. " +
                    "Ask for fewer, or run the command again.");
            actions.Add(new CreateComponent(spec));
        }
        return new AiPlan(actions) { Ignored = Ignored(words, sentence, components) };
    }

    /// <summary>"3 cards", "checkbox" → "checkboxes".</summary>
    public static string Plural(string noun) => Regex.IsMatch(noun, "(s|x|ch|sh)$") ? noun + "es" : noun.EndsWith('y') && !Regex.IsMatch(noun, "[aeiou]y$") ? noun[..^1] + "ies" : noun + "s";

    /// <summary>
    /// Words the plan does not use, said back to the user: features no builder draws ("animated", "with a shadow"), and an
    /// unknown word just before a component ("a fluffy button"), which is a quality the parser cannot give it.
    /// </summary>
    private static IReadOnlyList<string> Ignored(List<string> words, string sentence, List<(int At, string Component)> components)
    {
        var ignored = words.Where(Unsupported.Contains).ToList();
        foreach (var (at, _) in components)
        {
            var before = sentence[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = before.Length - 1; i >= 0 && (Unsupported.Contains(before[i]) || !(Vocabulary.Contains(before[i]) || Stop.Contains(before[i]))); i--)
                if (!Unsupported.Contains(before[i]) && before[i].Length > 2 && !before[i].Any(char.IsDigit)) ignored.Add(before[i]);
        }
        return ignored.Distinct().ToList();
    }

    /// <summary>Small words that carry no request of their own.</summary>
    private static readonly HashSet<string> Stop = ["the", "and", "for", "with", "some", "any", "all", "its", "our", "my", "your", "plain", "simple", "basic", "standard", "regular", "typical", "default", "nice", "little", "new"];

    private static ComponentSpec Spec(string component, string part, List<(string Text, string Before, string After)> quoted, string original, bool only)
    {
        string? title = null, from = null, to = null;
        var labels = new List<string>();
        if (only)
        {
            foreach (var (q, before, after) in quoted)
            {
                if (Regex.IsMatch(before, @"\b(from|between|connect|connecting|join)\s*$", RegexOptions.IgnoreCase)) from ??= q;
                // "a flowchart for checkout: Cart, Pay": the subject after "for" is the heading, unless it starts a list.
                else if (title is null && TitleFirst.Contains(component) && Regex.IsMatch(before, @"\b(for|about|of)\s*$", RegexOptions.IgnoreCase)
                         && !Regex.IsMatch(after, "^\\s*(,|and\\b|or\\b)", RegexOptions.IgnoreCase)) title = q;
                else if (from is not null && to is null && Regex.IsMatch(before, @"\b(to|and)\s*$", RegexOptions.IgnoreCase)) to = q;
                else if (Regex.IsMatch(before, @"(titled|title|heading|headline|called|named|header|entitled|headed)\s*:?\s*$", RegexOptions.IgnoreCase)) title ??= q;
                else labels.Add(q);
            }
            if (title is null && labels.Count == 1 && TitleFirst.Contains(component) && !Regex.IsMatch(part, @" (button|labell?ed|says|saying|reading|reads|with the text) "))
            {
                title = labels[0];
                labels.Clear();
            }
            if (component != "arrow" && from is not null)
            {
                labels.Insert(0, from);
                if (to is not null) labels.Insert(1, to);
                (from, to) = (null, null);
            }
        }
        var count = CountOf(part, component);
        var (rows, columns) = Grid(part);
        return new ComponentSpec
        {
            Component = component,
            Theme = ThemeOf(part),
            Title = title,
            Labels = labels.Count > 0 ? labels.ToArray() : null,
            Count = count ?? (labels.Count > 1 ? labels.Count : null),
            Rows = rows,
            Columns = columns,
            Size = Regex.Match(part, @" (small|tiny|compact|large|big|huge|giant) ").Groups[1].Value switch
            {
                "small" or "tiny" or "compact" => "small",
                "large" or "big" or "huge" or "giant" => "large",
                _ => null,
            },
            Variant = Regex.Match(part, @" (primary|secondary|outline|outlined|ghost) ").Groups[1].Value switch
            {
                "" => null,
                "outlined" => "outline",
                var v => v,
            },
            Color = ColorOf(part),
            Placement = Regex.IsMatch(part, @" (right of|to the right|next to|beside) ") ? "right"
                : Regex.IsMatch(part, @" (below|under|underneath|beneath) ") ? "below"
                : Regex.IsMatch(part, @" (center|centre|middle) ") ? "center" : null,
            From = from,
            To = to,
            Value = Regex.Match(original, @"(\d{1,3})\s*(?:%|percent)") is { Success: true } p ? Math.Clamp(int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), 0, 100) : null,
        };
    }

    /// <summary>
    /// Texts written without quotes, put in quotes so that they are read like quoted ones: "a button that reads Continue",
    /// "a frame named Tablet", "a switch for email alerts", "tabs for Home, Profile and Settings", "five buttons: A, B, C",
    /// "an arrow from the login box to the dashboard". Text already in quotes is left alone.
    /// </summary>
    private static string QuoteUnquotedTexts(string prompt)
    {
        var result = new System.Text.StringBuilder();
        var at = 0;
        foreach (Match m in QuotedText().Matches(prompt))
        {
            result.Append(QuotePlain(prompt[at..m.Index])).Append(m.Value);
            at = m.Index + m.Length;
        }
        return result.Append(QuotePlain(prompt[at..])).ToString();
    }

    private static string QuotePlain(string text)
    {
        text = FromTo().Replace(text, m => $"{m.Groups["kw"].Value} “{Tidy(m.Groups["a"].Value)}” {m.Groups["and"].Value} “{Tidy(m.Groups["b"].Value)}”");
        text = ListAfterKeyword().Replace(text, m => QuoteList(m.Groups["list"].Value) is { } list ? m.Groups["kw"].Value + " " + list : m.Value);
        text = ColonList().Replace(text, m => QuoteList(m.Groups["list"].Value) is { } list ? ": " + list : m.Value);
        text = LabelAfterKeyword().Replace(text, m => $"{m.Groups["kw"].Value} “{Capitalised(m.Groups["text"].Value.Trim())}” ");
        text = SubjectAfterFor().Replace(text, m => IsText(m.Groups["text"].Value) ? $"{m.Groups["kw"].Value} “{Tidy(m.Groups["text"].Value)}” " : m.Value);
        return text;
    }

    /// <summary>The items of a list, each in quotes; null when an item names a component ("a navbar, a hero and a footer").</summary>
    private static string? QuoteList(string list)
    {
        var items = Regex.Split(list, @"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+").Select(Tidy).Where(x => x.Length > 0).ToList();
        return items.Any(NamesComponent) ? null : string.Join(", ", items.Select(x => $"“{x}”")) + " ";
    }

    private static bool NamesComponent(string phrase)
    {
        var joined = " " + string.Join(' ', Tokens(Tidy(phrase))) + " ";
        return Phrases.Any(p => Regex.IsMatch(joined, $"^ {Regex.Escape(p.Phrase)}s? $"));
    }

    /// <summary>A text worth quoting: not a count, a theme, a colour, a size or a component ("a grid of cards", "for dark mode").</summary>
    private static bool IsText(string phrase)
    {
        var words = Tokens(Tidy(phrase)).ToList();
        if (words.Count == 0 || Regex.IsMatch(words[0], $"^(?:{Numbers})$")) return false;
        return !words.All(w => Themes.All.ContainsKey(w) || Colors.Named.ContainsKey(w) || Modifiers.Contains(w)) && !NamesComponent(phrase);
    }

    /// <summary>Words that say how, not what: never a label.</summary>
    private static readonly HashSet<string> Modifiers =
    [
        "mode", "theme", "style", "palette", "colors", "colours", "small", "large", "big", "tiny", "huge", "medium", "default", "me", "us",
        "you", "it", "them", "this", "these", "that", "those", "now", "later", "free", "example", "instance", "each", "every", "all", "canvas",
        "selection", "selected", "night", "dim", "page", "screen", "real", "sure",
    ];

    private static string Capitalised(string t) => t.Length == 0 ? t : char.ToUpperInvariant(t[0]) + t[1..];

    /// <summary>"the login box" → "login box"; "email alerts" → "Email alerts".</summary>
    private static string Tidy(string text)
    {
        var t = Regex.Replace(text.Trim(), @"^(?:a|an|the|my|our|your|his|her|their|some)\s+", "", RegexOptions.IgnoreCase).Trim();
        return t.Length == 0 ? t : char.ToUpperInvariant(t[0]) + t[1..];
    }

    /// <summary>What may follow a text without being part of it.</summary>
    private const string TextEnd = @"(?=\s*(?:$|[,.;:!?]|\s(?:and|or|with|in|on|at|below|under|underneath|beneath|above|to|next|beside|using|that|which|plus|then|inside|into|please|as|from|placed|themed|coloured|colored|sized|for)\b))";

    /// <summary>What may follow a label ("says I agree to the terms in red"): fewer words end it than end a subject.</summary>
    private const string LabelEnd = @"(?=\s*(?:$|[,.;:]|\s(?:in|with|below|under|underneath|beneath|above|next|beside|using|that|which|placed|themed|coloured|colored|sized|on the|to the (?:right|left))\b))";

    /// <summary>One to eight words.</summary>
    private const string LongPhrase = @"[\p{L}\p{N}$][\p{L}\p{N}'&/+$%-]*(?:\s+[\p{L}\p{N}$][\p{L}\p{N}'&/+$%-]*){0,7}?";

    /// <summary>One to six words.</summary>
    private const string Phrase = @"[\p{L}\p{N}$][\p{L}\p{N}'&/+$-]*(?:\s+[\p{L}\p{N}$][\p{L}\p{N}'&/+$-]*){0,5}?";

    [GeneratedRegex(@"(?<kw>\b(?:from|between|connect|connecting|join))\s+(?<a>" + Phrase + @")\s+(?<and>to|and)\s+(?<b>" + Phrase + ")" + TextEnd, RegexOptions.IgnoreCase)]
    private static partial Regex FromTo();

    [GeneratedRegex(@"(?<kw>\b(?:for|with|items?|tabs?|links?|options?|labels?|steps?|stages?|buttons?|called|named|columns?|headers?|reports|branches|participants|plans?|tiers?|pages?|names?|people|members|values|choices|categories|sections)\b\s*[:,]?|:)\s+(?<list>(?:[A-Z][\p{L}\p{N}'&-]*(?:\s[A-Z][\p{L}\p{N}'&-]*){0,3})(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z][\p{L}\p{N}'&-]*(?:\s[A-Z][\p{L}\p{N}'&-]*){0,3})+)")]
    private static partial Regex ListAfterKeyword();

    /// <summary>"a list: milk, eggs, bread": anything after a colon, when commas separate it.</summary>
    [GeneratedRegex(@":\s*(?<list>[\p{L}\p{N}$][^,;:.“”""]*(?:,\s*[^,;:.“”""]+)+)")]
    private static partial Regex ColonList();

    [GeneratedRegex(@"(?<kw>\b(?:(?:that|which|it)\s+)?(?:says|reads|saying|reading|labell?ed|showing|displaying|titled|entitled|called|named|headed|with\s+the\s+(?:text|label|words?|title|heading|headline)|with\s+(?:a\s+)?(?:text|label|title|heading|headline)\s+of|with\s+(?:text|label|title|heading))\s*:?)\s+(?<text>" + LongPhrase + @"[!?]?)" + LabelEnd, RegexOptions.IgnoreCase)]
    private static partial Regex LabelAfterKeyword();

    [GeneratedRegex(@"(?<kw>\b(?:for|about|of))\s+(?<text>(?!(?:me|us|you|it|them|this|these|that|those|now|later|free|example|instance|each|every|all)\b)" + Phrase + ")" + TextEnd, RegexOptions.IgnoreCase)]
    private static partial Regex SubjectAfterFor();

    /// <summary>A change of the selection: delete, duplicate, arrange, or a style edit.</summary>
    private static AiAction? SelectionCommand(string s, bool hasSelection)
    {
        if (Regex.IsMatch(s, @" (delete|remove|erase|clear|trash|get rid of) ")) return new DeleteSelection();
        if (Regex.IsMatch(s, @" (duplicate|copy|clone|repeat|replicate) "))
        {
            var times = Regex.Match(s, @" (\w+) (times|copies|more|duplicates|clones) ");
            return new DuplicateSelection(times.Success ? Number(times.Groups[1].Value) ?? 1 : s.Contains(" twice ") ? 2 : 1);
        }
        var align = Regex.Match(s, @" align(?:ed)? (?:them |these |it |to the |on the |by the |along the )*(left|right|top|bottom|center|centre|middle)");
        if (align.Success)
            return new ArrangeSelection(new ArrangeSpec { Layout = "align", Edge = align.Groups[1].Value == "centre" ? "center" : align.Groups[1].Value });
        if (Regex.IsMatch(s, @" (center|centre) (them|these|it|those|the selection) "))
            return new ArrangeSelection(new ArrangeSpec { Layout = "align", Edge = "center" });
        if (Regex.IsMatch(s, @" (distribute|space (them )?(out|evenly)|evenly) "))
            return new ArrangeSelection(new ArrangeSpec { Layout = "distribute", Direction = Regex.IsMatch(s, " vertical") ? "vertical" : "horizontal" });
        if (Regex.IsMatch(s, @" grid "))
        {
            var columns = Regex.Match(s, @" (\w+) columns? ");
            return new ArrangeSelection(new ArrangeSpec { Layout = "grid", Columns = columns.Success ? Number(columns.Groups[1].Value) : null });
        }
        if (Regex.IsMatch(s, @" (stack|arrange|line (them |these |those |it )?up|lay out|layout|row|column) "))
            return new ArrangeSelection(new ArrangeSpec
            {
                Layout = "stack",
                Direction = Regex.IsMatch(s, @" (horizontal|horizontally|side by side|in a row|row) ") ? "horizontal" : "vertical",
            });

        var edit = new StyleEdit();
        var color = ColorOf(s);
        if (color is not null)
        {
            if (Regex.IsMatch(s, @" (text|font|label|words?) ")) edit = edit with { TextColor = color };
            else if (Regex.IsMatch(s, @" (background|backdrop|container|surface) ")) edit = edit with { Background = color };
            else if (Regex.IsMatch(s, @" (border|outline|stroke) ")) edit = edit with { Stroke = color };
            else edit = edit with { Fill = color };
        }
        if (Regex.IsMatch(s, @" (twice as (big|large)|double the size|double size|2x) ")) edit = edit with { Scale = 2 };
        else if (Regex.IsMatch(s, @" (half the size|half size|twice as small) ")) edit = edit with { Scale = 0.5 };
        else if (Regex.IsMatch(s, @" (much|a lot) (bigger|larger) ")) edit = edit with { Scale = 1.5 };
        else if (Regex.IsMatch(s, @" (bigger|larger|enlarge|grow|scale up|increase) ")) edit = edit with { Scale = 1.25 };
        else if (Regex.IsMatch(s, @" (much|a lot) smaller ")) edit = edit with { Scale = 0.6 };
        else if (Regex.IsMatch(s, @" (smaller|shrink|reduce|scale down|tinier|decrease) ")) edit = edit with { Scale = 0.8 };
        if (Regex.IsMatch(s, @" (square|sharp|no rounded|not rounded) (corners?|edges?) ")) edit = edit with { CornerRadius = 0 };
        else if (Regex.IsMatch(s, @" (more rounded|very rounded|pill|rounder) ")) edit = edit with { CornerRadius = 24 };
        else if (Regex.IsMatch(s, @" (rounded|round|rounded corners|curved) ")) edit = edit with { CornerRadius = 12 };
        if (Regex.IsMatch(s, @" (bold|bolder|heavier) ")) edit = edit with { FontWeight = "bold" };
        else if (Regex.IsMatch(s, @" (not bold|regular weight|normal weight|lighter) ")) edit = edit with { FontWeight = "normal" };
        if (Regex.IsMatch(s, @" (transparent|translucent|faded|see through|semi transparent|fade) ")) edit = edit with { Opacity = 0.5 };
        else if (Regex.IsMatch(s, @" (opaque|solid) ")) edit = edit with { Opacity = 1 };
        return edit == new StyleEdit() ? null : new EditSelection(edit);
    }

    private static string? ThemeChange(string s)
    {
        var m = Regex.Match(s, @" (?:set|use|switch|change|make) (?:the )?(?:default |canvas )*(?:theme|palette|style) (?:to |as )?(?:the )?(\w+)");
        if (m.Success && Themes.All.ContainsKey(m.Groups[1].Value)) return m.Groups[1].Value;
        m = Regex.Match(s, @" (?:use|switch to|set) (?:the )?(\w+) (?:theme|palette|mode) (?:by default|as default|for (?:this|the) canvas)");
        return m.Success && Themes.All.ContainsKey(m.Groups[1].Value) ? m.Groups[1].Value : null;
    }

    /// <summary>Page layouts: what else a sentence names goes inside them.</summary>
    private static readonly HashSet<string> Layouts = ["dashboard", "landing_page", "mobile_screen"];

    /// <summary>Every component phrase in the sentence, longest first where they overlap.</summary>
    private static List<(int At, int End, string Component)> Mentions(string s)
    {
        var found = new List<(int At, int End, string Component)>();
        foreach (var (phrase, component) in Phrases)
        {
            // "square corners", "round edges" are edits, not shapes.
            foreach (Match m in Regex.Matches(s, $" {Regex.Escape(phrase)}s? (?!corners? |edges? )"))
            {
                // The phrase with its leading space only: "mobile login screen" holds two, side by side.
                var (at, end) = (m.Index, m.Index + m.Length - 1);
                if (found.Any(f => at < f.End && end > f.At)) continue; // inside a longer phrase already found
                found.Add((at, end, component));
            }
        }
        return found.OrderBy(f => f.At).ToList();
    }

    private static List<(int At, string Component)> FindComponents(string s)
    {
        var ordered = Mentions(s);
        var result = new List<(int At, string Component)>();
        foreach (var (at, _, component) in ordered)
        {
            // "a sidebar with 6 items", "a tab bar with 4 tabs": a counted word after a component counts, it is not another component.
            if (result.Count > 0 && (result[^1].Component == component || CountWord().IsMatch(s[..(at + 1)]) || PartOf().IsMatch(s[..at]))) continue;
            result.Add((at, component));
        }
        return result;
    }

    /// <summary>The sentence cut at " and " / ", " between components, each part with its component.</summary>
    private static List<(string Part, string Component)> SplitParts(string s, List<(int At, string Component)> components)
    {
        var parts = new List<(string, string)>();
        for (var i = 0; i < components.Count; i++)
        {
            var start = i == 0 ? 0 : components[i].At;
            var end = i + 1 < components.Count ? components[i + 1].At : s.Length;
            // Words before the first component belong to it; a theme said once at the end applies to all.
            parts.Add((s[start..end] + (i + 1 < components.Count ? ThemeSuffix(s) : ""), components[i].Component));
        }
        return parts;
    }

    private static string ThemeSuffix(string s) => ThemeOf(s) is { } theme ? $" in {theme} theme " : "";

    private static string? ThemeOf(string s)
    {
        var m = Regex.Match(s, @" (\w+) (?:theme|mode|palette|colors|colours|style|styled|brand) ");
        if (m.Success && Themes.All.ContainsKey(m.Groups[1].Value)) return m.Groups[1].Value;
        foreach (var theme in Themes.All.Keys)
            if (Regex.IsMatch(s, $@" (in |with )?{theme} ")) return theme;
        if (Regex.IsMatch(s, " (night|dim) ")) return "dark";
        return null;
    }

    private static string? ColorOf(string s)
    {
        var hex = Regex.Match(s, @"#([0-9a-f]{6}|[0-9a-f]{3})\b");
        if (hex.Success) return Colors.NormalizeHex(hex.Groups[1].Value);
        foreach (var word in s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (Colors.Named.TryGetValue(word, out var named)) return named;
        return null;
    }

    private static int? CountOf(string s, string component)
    {
        var m = Regex.Match(s, $@" ({Numbers}) (?:\w+ )?(tiers?|plans?|items?|tabs?|links?|options?|entries|fields?|cards?|avatars?|badges?|tags?|chips?|columns?|rows?|things|elements|checkboxes|choices|pages|sections|menu items|nav items|levels|packages)\b");
        while (m.Success)
        {
            if (Number(m.Groups[1].Value) is { } n && !m.Groups[2].Value.StartsWith("row") && !(m.Groups[2].Value.StartsWith("column") && component == "table"))
                return n;
            m = m.NextMatch();
        }
        // "three pricing cards", "5 badges": a number right before the component word.
        var before = Regex.Match(s, $@" ({Numbers}) (?:\w+ )?(?:" +
            string.Join('|', Phrases.Where(p => p.Component == component).Select(p => Regex.Escape(p.Phrase))) + ")s? ");
        return before.Success ? Number(before.Groups[1].Value) : null;
    }

    private static (int? Rows, int? Columns) Grid(string s)
    {
        var x = Regex.Match(s, @" (\d+) ?(?:x|by|×) ?(\d+) ");
        if (x.Success) return (int.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture));
        var rows = Regex.Match(s, @" (\d+|[a-z]+) rows? ");
        var columns = Regex.Match(s, @" (\d+|[a-z]+) (?:columns?|cols?) ");
        return (rows.Success ? Number(rows.Groups[1].Value) : null, columns.Success ? Number(columns.Groups[1].Value) : null);
    }

    private static int? Number(string word) =>
        int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 1_000_000)
        : NumberWords.TryGetValue(word, out var w) ? w : null;

    /// <summary>Quoted texts ("...", '...', “...”), with the words before and after each, and the sentence without them.</summary>
    private static (string Remaining, List<(string Text, string Before, string After)> Quoted) TakeQuoted(string prompt)
    {
        var quoted = new List<(string, string, string)>();
        var rest = QuotedText().Replace(prompt, m =>
        {
            var value = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
            quoted.Add((value.Trim(), prompt[..m.Index], prompt[(m.Index + m.Length)..]));
            return " ";
        });
        return (rest, quoted.Where(q => q.Item1.Length > 0).ToList());
    }

    private static IEnumerable<string> Tokens(string text) =>
        Regex.Split(text.ToLowerInvariant().Replace("sign-up", "sign up").Replace("log-in", "log in").Replace("drop-down", "drop down")
                .Replace("nav-bar", "nav bar").Replace("to-do", "to do").Replace("pop-up", "pop up"), @"[^a-z0-9#×]+")
            .Where(t => t.Length > 0);

    /// <summary>A word one edit away from a known word (two for long words) becomes that word; "biger" reads "bigger".</summary>
    private static string Correct(string word)
    {
        if (word.Length < 4 || Vocabulary.Contains(word) || word.Any(char.IsDigit) || word.StartsWith('#')) return word;
        var best = Vocabulary.Where(v => Math.Abs(v.Length - word.Length) <= 2)
            .Select(v => (Word: v, Distance: Distance(word, v)))
            .Where(c => c.Distance <= (word.Length >= 8 ? 2 : 1))
            // Ties: a letter left out is the commonest slip ("logn" is "login", not "log").
            .OrderBy(c => c.Distance).ThenBy(c => c.Word.Length < word.Length ? 1 : 0).ThenBy(c => c.Word, StringComparer.Ordinal).FirstOrDefault();
        return best.Word ?? word;
    }

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent swaps).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    private static HashSet<string> BuildVocabulary()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (phrase, _) in ComponentCatalog.All.SelectMany(c => c.Synonyms.Append(c.Name.Replace('_', ' ')).Select(s => (s, c))))
            foreach (var w in phrase.ToLowerInvariant().Split(' ', '-')) words.Add(w);
        foreach (var t in Themes.All.Keys) words.Add(t);
        foreach (var c in Colors.Named.Keys) words.Add(c);
        foreach (var n in NumberWords.Keys) words.Add(n);
        foreach (var w in """
            create add insert draw build generate make new place put give want need please could would can you me us
            delete remove erase clear trash duplicate copy clone repeat replicate times copies align aligned distribute
            stack arrange line layout grid column columns row rows tier tiers item items tab tabs link links option options
            field fields card cards entries bigger larger smaller shrink enlarge grow reduce increase decrease scale double half
            rounded round corners corner square sharp curved bold bolder regular normal transparent translucent faded opaque solid
            text font label labeled labelled labels says saying reading titled title heading headline called named theme mode palette
            style styled colors colours color colour border outline stroke fill background primary secondary outlined ghost small
            tiny compact large huge giant medium below under underneath beneath right left next beside center centre middle top
            bottom horizontal horizontally vertical vertically evenly these this them those selection selected everything with and
            the for of in on to into from that which three features plans like love would should let lets get got show page
            screen section shapes shape objects object everything thing things some more less also then there here just really
            very quite little bit lot same other another each every one ones what where when how make made look looks nice
            good great pop cool clean simple modern minimal fancy pretty my our your their his her its it is are be been have
            has had do does did need needs want wants use using used help ok okay thanks thank hi hello hey contact message
            send name email password user users people team
            """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            words.Add(w);
        return words;
    }

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'|“([^”]*)”")]
    private static partial Regex QuotedText();

    /// <summary>"a sign-up form with a purple button": a component named after "with" is a part of the one before.</summary>
    [GeneratedRegex(@" with(?: \w+){0,3}$")]
    private static partial Regex PartOf();

    /// <summary>The sentence so far ends with a count ("with 6"): the next word is what is counted.</summary>
    [GeneratedRegex(@" (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|dozen) (?:\w+ )?$")]
    private static partial Regex CountWord();
}
