using CollabCanvas.Server.Ai.Components;

namespace CollabCanvas.Server.Ai;

/// <summary>Every component builder, by name and by the words people use for it.</summary>
public static class ComponentCatalog
{
    public static readonly IReadOnlyList<IComponent> All =
    [
        new Button(), new TextInput(), new ContactForm(), new Checkbox(), new Toggle(), new Dropdown(), new LoginForm(), new SignUpForm(), new Card(),
        new Navbar(), new Sidebar(), new Tabs(), new ModalDialog(), new Hero(), new PricingTable(), new ListComponent(), new Table(),
        new Avatar(), new Badge(), new Footer(), new SearchField(),
        // The canvas's own shapes and texts
        new Heading(), new TextBlock(), new Rectangle(), new Square(), new Ellipse(), new Circle(), new Frame(), new Arrow(),
        // More components
        new ProgressBar(), new Slider(), new Stepper(), new Breadcrumb(), new Pagination(), new Alert(), new Toast(), new Image(),
        new ImageGrid(), new StatTile(), new Chart(), new Newsletter(),
        // Diagrams, laid out automatically
        new Flowchart(), new OrgChart(), new MindMap(), new SequenceDiagram(),
        // Whole screens, composed of the others
        new Dashboard(), new LandingPage(), new CardGrid(), new MobileScreen(),
    ];

    /// <summary>By name ("login_form") and by every synonym, spaces and dashes read as underscores ("sign_in_form").</summary>
    private static readonly Dictionary<string, IComponent> ByName = All.Select(c => (key: c.Name, c))
        .Concat(All.SelectMany(c => c.Synonyms.Select(s => (key: Key(s), c))))
        .DistinctBy(p => p.key, StringComparer.OrdinalIgnoreCase) // a name wins over another component's synonym
        .ToDictionary(p => p.key, p => p.c, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToList();

    /// <summary>The component a name or a synonym names.</summary>
    public static IComponent? Find(string? name) => name is not null && ByName.TryGetValue(Key(name), out var c) ? c : null;

    private static string Key(string name) => name.Trim().Replace(' ', '_').Replace('-', '_');

    /// <summary>Draws a component in its own coordinates (its frame at 0, 0).</summary>
    public static Drawing Draw(ComponentSpec spec, Theme theme, Func<string> newId)
    {
        var component = Find(spec.Component) ?? throw new ArgumentException($"unknown component \"{spec.Component}\"");
        if (Colors.Parse(spec.Color) is { } primary) theme = theme.WithPrimary(primary);
        var drawing = new Drawing(theme, newId);
        component.Build(drawing, spec);
        drawing.MakeTextReadable();
        return drawing;
    }
}
