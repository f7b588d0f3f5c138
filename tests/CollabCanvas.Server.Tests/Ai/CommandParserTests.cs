using CollabCanvas.Server.Ai;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>
/// The built-in parser against the ways people actually phrase commands: component names and synonyms, counts in
/// digits and words, quoted labels, colours, themes, sizes, positions, typos, selection edits, and requests it must
/// refuse with a helpful message. Each row is "prompt" → the plan, described compactly.
/// </summary>
public class CommandParserTests
{
    public static TheoryData<string, bool, string> Cases => new()
    {
        // Components, by name and synonym
        { "create a login form", false, "create login_form" },
        { "Create a login form in dark theme", false, "create login_form theme=dark" },
        { "add a sign up form", false, "create signup_form" },
        { "registration form please", false, "create signup_form" },
        { "I need a button", false, "create button" },
        { "add a big red button that says \"Buy now\"", false, "create button labels=Buy now size=large color=#e03131" },
        { "a secondary button labeled 'Cancel'", false, "create button labels=Cancel variant=secondary" },
        { "outlined button \"Learn more\"", false, "create button labels=Learn more variant=outline" },
        { "text input for the email", false, "create text_input title=Email" },
        { "add a text field titled \"Email address\"", false, "create text_input title=Email address" },
        { "search bar", false, "create search_field" },
        { "a checkbox \"I agree to the terms\"", false, "create checkbox labels=I agree to the terms" },
        { "three checkboxes", false, "create checkbox count=3" },
        { "toggle switch for dark mode", false, "create toggle theme=dark" },
        { "add a switch", false, "create toggle" },
        { "dropdown with 4 options", false, "create dropdown count=4" },
        { "select box called \"Country\"", false, "create dropdown title=Country" },
        { "make a card", false, "create card" },
        { "3 product cards", false, "create card count=3" },
        { "add a navbar", false, "create navbar" },
        { "navigation bar with 5 links", false, "create navbar count=5" },
        { "top bar for \"Acme\"", false, "create navbar title=Acme" },
        { "a sidebar with six items", false, "create sidebar count=6" },
        { "side menu", false, "create sidebar" },
        { "tabs for Home, Profile and Settings", false, "create tabs labels=Home|Profile|Settings count=3" },
        { "tab bar with 4 tabs", false, "create tabs count=4" },
        { "modal dialog", false, "create modal" },
        { "confirmation popup titled \"Delete file?\"", false, "create modal title=Delete file?" },
        { "add a hero section", false, "create hero" },
        { "a banner in ocean theme", false, "create hero theme=ocean" },
        { "add a pricing table with 3 tiers in dark theme", false, "create pricing_table count=3 theme=dark" },
        { "pricing with four plans", false, "create pricing_table count=4" },
        { "pricing table, 2 tiers, sunset colors", false, "create pricing_table count=2 theme=sunset" },
        { "a list of 5 items", false, "create list count=5" },
        { "todo list", false, "create list" },
        { "table with 4 rows and 3 columns", false, "create table rows=4 columns=3" },
        { "5x2 table", false, "create table rows=5 columns=2" },
        { "data table 3 by 4", false, "create table rows=3 columns=4" },
        { "an avatar", false, "create avatar" },
        { "four avatars", false, "create avatar count=4" },
        { "add badges \"New\" and \"Hot\"", false, "create badge labels=New|Hot count=2" },
        { "a green tag", false, "create badge color=#2f9e44" },
        { "footer", false, "create footer" },
        { "site footer in forest theme", false, "create footer theme=forest" },
        { "small login form", false, "create login_form size=small" },
        { "a login form below the selection", true, "create login_form placement=below" },
        { "put a button to the right", true, "create button placement=right" },
        { "a card in the center", false, "create card placement=center" },
        { "create a button with color #ff8800", false, "create button color=#ff8800" },
        { "a navbar and a footer in dark theme", false, "create navbar theme=dark; create footer theme=dark" },
        // Everyday wording
        { "I'd like a dark mode login screen", false, "create login_form theme=dark" },
        { "can you add a footer", false, "create footer" },
        { "put three pricing plans side by side", false, "create pricing_table count=3" },
        { "generate a signup page with a purple button", false, "create signup_form color=#7048e8" },
        { "build me a nav with links Home, About, Contact", false, "create navbar labels=Home|About|Contact count=3" },
        { "need a 3x3 table", false, "create table rows=3 columns=3" },
        { "add a user avatar", false, "create avatar" },
        { "an alert dialog that says 'Saved!'", false, "create modal labels=Saved!" },
        { "give me a card for 'Pro plan'", false, "create card title=Pro plan" },
        { "Add 2 buttons: \"Save\" and \"Cancel\"", false, "create button labels=Save|Cancel count=2" },
        { "a searchbar", false, "create search_field" },
        { "a contact form", false, "create contact_form" },
        { "please draw a big blue hero banner", false, "create hero size=large color=#1971c2" },
        { "make the selected shapes green", true, "edit fill=#2f9e44" },
        { "turn this orange", true, "edit fill=#f08c00" },
        { "remove it", true, "delete" },
        { "copy this five times", true, "duplicate 5" },
        { "line them up horizontally", true, "arrange stack direction=horizontal" },
        { "shrink these a bit", true, "edit scale=0.8" },
        { "round the corners", true, "edit radius=12" },
        { "make it pop", true, "refuse" },
        // Typos a person makes
        { "creat a logn form", false, "create login_form" },
        { "add a pricng table", false, "create pricing_table" },
        { "navbr with 3 links", false, "create navbar count=3" },
        { "dropdwn", false, "create dropdown" },
        { "a chekbox", false, "create checkbox" },
        // Edits of the selection
        { "make these blue", true, "edit fill=#1971c2" },
        { "Make it red", true, "edit fill=#e03131" },
        { "change the color to #00ff00", true, "edit fill=#00ff00" },
        { "paint them purple", true, "edit fill=#7048e8" },
        { "make the text white", true, "edit text=#ffffff" },
        { "make these bigger", true, "edit scale=1.25" },
        { "make it biger", true, "edit scale=1.25" },
        { "smaller please", true, "edit scale=0.8" },
        { "twice as big", true, "edit scale=2" },
        { "make them rounded", true, "edit radius=12" },
        { "square corners", true, "edit radius=0" },
        { "make it bold", true, "edit weight=bold" },
        { "red border", true, "edit stroke=#e03131" },
        { "make the background navy", true, "edit background=#1c2c5b" },
        { "make these blue and rounded", true, "edit fill=#1971c2 radius=12" },
        { "make it semi transparent", true, "edit opacity=0.5" },
        { "delete these", true, "delete" },
        { "remove the selection", true, "delete" },
        { "duplicate this 3 times", true, "duplicate 3" },
        { "copy it twice", true, "duplicate 2" },
        { "duplicate", true, "duplicate 1" },
        { "align left", true, "arrange align edge=left" },
        { "align them to the top", true, "arrange align edge=top" },
        { "center them", true, "arrange align edge=center" },
        { "distribute horizontally", true, "arrange distribute direction=horizontal" },
        { "space them evenly vertically", true, "arrange distribute direction=vertical" },
        { "stack them", true, "arrange stack direction=vertical" },
        { "arrange side by side", true, "arrange stack direction=horizontal" },
        { "arrange in a grid", true, "arrange grid" },
        { "grid with 2 columns", true, "arrange grid columns=2" },
        // Unquoted labels, names and subjects
        { "a green button that reads Continue", false, "create button labels=Continue color=#2f9e44" },
        { "a switch for email alerts", false, "create toggle labels=Email alerts" },
        { "a card for a lamp", false, "create card title=Lamp" },
        { "a button labeled Save changes in red", false, "create button labels=Save changes color=#e03131" },
        { "a modal titled Delete file?", false, "create modal title=Delete file?" },
        { "a text field labelled Email address", false, "create text_input labels=Email address" },
        { "a navbar for Acme with 3 links", false, "create navbar title=Acme count=3" },
        { "a dialog with Keep and Discard buttons", false, "create modal labels=Keep|Discard count=2" },
        { "five buttons: A, B, C, D, E", false, "create button labels=A|B|C|D|E count=5" },
        { "a list: milk, eggs, bread", false, "create list labels=Milk|Eggs|Bread count=3" },
        { "a todo list for groceries", false, "create list title=Groceries" },
        // The canvas's own shapes and texts
        { "a title saying Hello", false, "create heading labels=Hello" },
        { "some body text", false, "create text" },
        { "a blue square", false, "create square color=#1971c2" },
        { "an orange oval", false, "create ellipse color=#f08c00" },
        { "a frame named Tablet", false, "create frame title=Tablet" },
        { "an arrow from the login box to the dashboard", false, "create arrow from=Login box to=Dashboard" },
        { "connect Start and Finish", false, "create arrow from=Start to=Finish" },
        // Diagrams and screens
        { "a flowchart for checkout: Cart, Address, Payment, Done", false, "create flowchart title=Checkout labels=Cart|Address|Payment|Done count=4" },
        { "an org chart with Ada, Grace and Linus", false, "create org_chart labels=Ada|Grace|Linus count=3" },
        { "a mind map about holidays", false, "create mind_map title=Holidays" },
        { "a sequence diagram with User, Browser and API", false, "create sequence_diagram labels=User|Browser|API count=3" },
        { "a dashboard", false, "create dashboard" },
        { "a landing page with a pricing table", false, "create landing_page parts=pricing_table" },
        { "a mobile login screen", false, "create mobile_screen parts=login_form" },
        { "a grid of 6 cards", false, "create card_grid count=6" },
        { "something where people leave their email to get updates", false, "create newsletter" },
        { "a progress bar at 75%", false, "create progress_bar value=75" },
        { "a volume slider", false, "create slider" },
        { "a checkout stepper", false, "create stepper" },
        { "breadcrumbs for Home, Shop and Lamps", false, "create breadcrumb labels=Home|Shop|Lamps count=3" },
        { "pagination with 7 pages", false, "create pagination count=7" },
        { "an error alert in red", false, "create alert color=#e03131" },
        { "a toast that says Saved", false, "create toast labels=Saved" },
        { "an image placeholder", false, "create image" },
        { "a photo gallery", false, "create image_grid" },
        { "3 KPI tiles", false, "create stat_tile count=3" },
        { "a bar chart of sales", false, "create chart title=Sales" },
        { "a search field with icon", false, "create search_field" },
        // Counts beyond what one command draws are answered, not cut
        { "300 buttons", false, "refuse" },
        { "a table with 40 rows", false, "refuse" },
        // Other languages: the core words of French, German and Spanish
        { "crée un bouton rouge", false, "create button color=#e03131" },
        { "ajoute un formulaire de connexion en thème sombre", false, "create login_form theme=dark" },
        { "erstelle eine blaue Schaltfläche", false, "create button color=#1971c2" },
        { "füge eine Navigationsleiste mit 5 Links hinzu", false, "create navbar count=5" },
        { "crea un botón verde que diga Comprar", false, "create button labels=Comprar color=#2f9e44" },
        { "añade una tabla de precios con 3 niveles", false, "create pricing_table count=3" },
        { "hazlos azules", true, "edit fill=#1971c2" },
        { "montre-moi la météo", false, "refuse" },
        { "нарисуй кнопку", false, "refuse" },
        // Themes
        { "use the dark theme by default", false, "theme dark" },
        { "set the theme to ocean", false, "theme ocean" },
        // Refused, with help
        { "order me a pizza", false, "refuse" },
        { "what's the weather tomorrow?", false, "refuse" },
        { "", false, "refuse" },
        { "make these blue", false, "refuse" }, // nothing selected
        { "asdfgh qwerty", false, "refuse" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_phrasing_becomes_the_expected_plan(string prompt, bool hasSelection, string expected)
    {
        var plan = CommandParser.Parse(prompt, hasSelection);
        Assert.Equal(expected, Describe(plan));
        if (plan.Refusal is { } refusal) Assert.Contains("Try", refusal + CommandParser.Help);
    }

    [Fact]
    public void The_table_has_at_least_sixty_different_phrasings() =>
        Assert.True(Cases.Select(c => (string)c[0]).Distinct().Count() >= 60);

    [Theory]
    [InlineData("a fluffy animated button", "fluffy", "animated")]
    [InlineData("3 cards with a drop shadow", "shadow")]
    public void Words_it_cannot_use_are_reported_as_ignored(string prompt, params string[] ignored)
    {
        var plan = CommandParser.Parse(prompt, hasSelection: false);
        Assert.NotEmpty(plan.Actions);
        Assert.Equal(ignored.Order(), plan.Ignored.Order());
    }

    [Fact]
    public void A_request_it_fully_understands_ignores_nothing() =>
        Assert.Empty(CommandParser.Parse("add a big red button that says Buy now", hasSelection: false).Ignored);

    [Fact]
    public void A_count_above_the_maximum_says_the_maximum()
    {
        var plan = CommandParser.Parse("300 buttons", hasSelection: false);
        Assert.Contains("at most 8 buttons", plan.Refusal);
        Assert.Contains("300", plan.Refusal);
    }

    [Fact]
    public void Another_language_it_cannot_read_is_told_it_reads_english()
    {
        Assert.Contains("I read English", CommandParser.Parse("нарисуй кнопку", hasSelection: false).Refusal);
        Assert.Contains("I read English", CommandParser.Parse("montre-moi la météo", hasSelection: false).Refusal);
    }

    [Fact]
    public void A_refusal_says_what_would_work()
    {
        var plan = CommandParser.Parse("order me a pizza", hasSelection: false);
        Assert.Empty(plan.Actions);
        Assert.Contains("login form", plan.Refusal);
    }

    public static string Describe(AiPlan plan)
    {
        if (plan.Refusal is not null) return "refuse";
        return string.Join("; ", plan.Actions.Select(action => action switch
        {
            CreateComponent { Spec: var s } => string.Join(' ', new[]
            {
                "create " + s.Component,
                s.Title is null ? null : "title=" + s.Title,
                s.Labels is null ? null : "labels=" + string.Join('|', s.Labels),
                s.Count is null ? null : "count=" + s.Count,
                s.Rows is null ? null : "rows=" + s.Rows,
                s.Columns is null ? null : "columns=" + s.Columns,
                s.Theme is null ? null : "theme=" + s.Theme,
                s.Size is null ? null : "size=" + s.Size,
                s.Variant is null ? null : "variant=" + s.Variant,
                s.Color is null ? null : "color=" + s.Color,
                s.Placement is null ? null : "placement=" + s.Placement,
                s.From is null ? null : "from=" + s.From,
                s.To is null ? null : "to=" + s.To,
                s.Value is null ? null : "value=" + s.Value,
                s.Parts is null ? null : "parts=" + string.Join('|', s.Parts),
            }.Where(p => p is not null)),
            EditSelection { Edit: var e } => string.Join(' ', new[]
            {
                "edit",
                e.Fill is null ? null : "fill=" + e.Fill,
                e.Background is null ? null : "background=" + e.Background,
                e.TextColor is null ? null : "text=" + e.TextColor,
                e.Stroke is null ? null : "stroke=" + e.Stroke,
                e.Scale is null ? null : "scale=" + e.Scale,
                e.CornerRadius is null ? null : "radius=" + e.CornerRadius,
                e.FontWeight is null ? null : "weight=" + e.FontWeight,
                e.Opacity is null ? null : "opacity=" + e.Opacity,
            }.Where(p => p is not null)),
            ArrangeSelection { Arrange: var a } => string.Join(' ', new[]
            {
                "arrange " + a.Layout,
                a.Edge is null ? null : "edge=" + a.Edge,
                a.Direction is null ? null : "direction=" + a.Direction,
                a.Columns is null ? null : "columns=" + a.Columns,
            }.Where(p => p is not null)),
            DeleteSelection => "delete",
            DuplicateSelection d => "duplicate " + d.Count,
            SetDefaultTheme t => "theme " + t.Theme,
            _ => action.ToString(),
        }));
    }
}
