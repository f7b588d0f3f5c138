namespace CollabCanvas.Server.Ai.Components;

/// <summary>
/// Whole screens, composed of the other builders inside one page frame, each part a frame of its own. Parts named in
/// the request ("a landing page with pricing", "a mobile login screen") are added in the page's content area.
/// </summary>
internal static class Page
{
    /// <summary>Draws the parts one below the other from (x, y) in <paramref name="frame"/>; returns the width and the y below them.</summary>
    public static (double Width, double Bottom) Stack(Drawing d, string frame, double x, double y, IEnumerable<ComponentSpec> parts, double? centreIn = null)
    {
        var width = 0.0;
        foreach (var part in parts)
        {
            var (w, _) = Drawing.SizeOf(part, d.Theme);
            var left = centreIn is { } inner ? x + Math.Max(0, (inner - w) / 2) : x;
            var (_, _, h) = d.Embed(frame, left, y, part);
            width = Math.Max(width, w);
            y += h + 3 * Drawing.U;
        }
        return (width, y);
    }

    public static IEnumerable<ComponentSpec> Parts(ComponentSpec spec, params string[] skip) =>
        (spec.Parts ?? []).Where(p => !skip.Contains(p) && ComponentCatalog.Find(p) is { } c && c is not Dashboard and not LandingPage and not MobileScreen)
            .Select(p => new ComponentSpec { Component = p });
}

public sealed class Dashboard : IComponent
{
    public string Name => "dashboard";
    public string[] Synonyms => ["admin panel", "admin dashboard", "analytics dashboard", "control panel", "dashboards", "admin page", "analytics page"];
    public string Description => "A dashboard page: a sidebar, then a heading (Title), KPI tiles, a chart and a table (and any Parts).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var frame = d.Frame("Dashboard", 0, 0, 0, 0, fill: d.Theme.Background, radius: 16);
        var (sidebar, sideW, sideH) = d.Embed(frame, 0, 0, new ComponentSpec { Component = "sidebar", Title = spec.Title ?? "Dashboard", Labels = spec.Labels, Count = spec.Labels is null ? 5 : null });
        var x = sideW + 4 * u;
        d.Text(frame, x, 4 * u, spec.Title ?? "Overview", 28, bold: true);
        ComponentSpec[] content =
        [
            new() { Component = "stat_tile", Count = 3 },
            new() { Component = "chart" },
            new() { Component = "table", Rows = 4, Columns = 4 },
            .. Page.Parts(spec, "sidebar", "stat_tile", "chart", "table"),
        ];
        var (w, bottom) = Page.Stack(d, frame, x, 10 * u, content);
        d.Resize(frame, x + w + 4 * u, Math.Max(sideH, bottom + u));
        d.Resize(sidebar, sideW, Math.Max(sideH, bottom + u)); // the sidebar runs the page's height
    }
}

public sealed class LandingPage : IComponent
{
    public string Name => "landing_page";
    public string[] Synonyms => ["landing page", "landing", "homepage", "home page", "website", "marketing page", "web page", "webpage", "site", "marketing site", "product page"];
    public string Description => "A landing page: a header, a hero (Title), a section of three feature cards (Labels), any Parts, a footer.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var frame = d.Frame("Landing page", 0, 0, 0, 0, fill: d.Theme.Background, radius: 0);
        ComponentSpec[] sections =
        [
            new() { Component = "navbar", Title = spec.Title ?? "Brand" },
            new() { Component = "hero", Title = spec.Title is { } t ? $"{t}, made simple" : null },
            new() { Component = "card", Count = 3, Labels = spec.Labels ?? ["Fast", "Reliable", "Friendly"] },
            .. Page.Parts(spec, "navbar", "hero", "footer"),
            new() { Component = "footer", Title = spec.Title },
        ];
        var width = sections.Max(s => Drawing.SizeOf(s, d.Theme).Width);
        var (_, bottom) = Page.Stack(d, frame, 0, 0, sections, centreIn: width);
        d.Resize(frame, width, bottom - 3 * Drawing.U);
    }
}

public sealed class CardGrid : IComponent
{
    public string Name => "card_grid";
    public string[] Synonyms => ["grid of cards", "card grid", "cards grid", "card gallery", "gallery of cards", "card layout", "grid of tiles", "tile grid"];
    public string Description => "Cards in rows of three (Columns): Count cards (6 by default), titled by Labels.";
    public string Noun => "card grid";
    public int MaxCount => 12;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(6, max: MaxCount);
        var columns = Math.Clamp(spec.Columns ?? 3, 1, 4);
        var frame = d.Frame("Card grid", 0, 0, 0, 0, fill: d.Theme.Background, radius: 16);
        var top = spec.Title is null ? 0 : 6 * u;
        if (spec.Title is { } title) d.Text(frame, 2 * u, 2 * u, title, 24, bold: true);
        var rows = Enumerable.Range(0, (count + columns - 1) / columns).Select(r => new ComponentSpec
        {
            Component = "card",
            Count = Math.Min(columns, count - r * columns),
            Labels = Enumerable.Range(r * columns, Math.Min(columns, count - r * columns)).Select(i => spec.Label(i, $"Card {i + 1}")).ToArray(),
        });
        var (w, bottom) = Page.Stack(d, frame, 0, top, rows);
        d.Resize(frame, Math.Max(w, spec.Title is null ? 0 : Drawing.Measure(spec.Title, 24, true) + 4 * u), bottom - 3 * u);
    }
}

public sealed class MobileScreen : IComponent
{
    public string Name => "mobile_screen";
    public string[] Synonyms => ["mobile screen", "phone screen", "mobile app", "mobile", "phone", "app screen", "iphone", "android", "mobile page", "mobile view", "smartphone"];
    public string Description => "A phone-sized frame (390 × 844) with a status bar, holding Parts (a heading, a search field and a list by default).";
    public string Noun => "mobile screen";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        const double width = 390, height = 844;
        var frame = d.Frame(spec.Title ?? "Mobile", 0, 0, width, height, fill: d.Theme.Background, radius: 40);
        d.Text(frame, 4 * u, 2 * u, "9:41", 14, bold: true);
        var parts = Page.Parts(spec).ToList();
        var y = 6 * u;
        if (parts.Count == 0)
        {
            d.Text(frame, 3 * u, y, spec.Title ?? "Home", 28, bold: true);
            y += 6 * u;
            parts = [new() { Component = "search_field" }, new() { Component = "list", Title = "Recent", Count = 4 }];
        }
        var (w, bottom) = Page.Stack(d, frame, 2 * u, y, parts, centreIn: width - 4 * u);
        // A part wider or longer than a phone makes the frame grow rather than spill out of it.
        d.Resize(frame, Math.Max(width, w + 4 * u), Math.Max(height, bottom + 2 * u));
    }
}
