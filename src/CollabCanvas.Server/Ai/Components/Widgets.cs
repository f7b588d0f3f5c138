namespace CollabCanvas.Server.Ai.Components;

public sealed class ProgressBar : IComponent
{
    public string Name => "progress_bar";
    public string[] Synonyms => ["progress bar", "progress", "loading bar", "progress indicator", "loader", "progressbar"];
    public string Description => "A progress bar: a label (Labels[0] or Title), a track filled to Value percent (60 by default), the percentage.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Label(0, spec.Title ?? "Uploading files");
        var value = Math.Clamp(spec.Value ?? 60, 0, 100);
        var width = Math.Max(320 * spec.Scale(), Drawing.Measure(label, 14, true) + 10 * u);
        var frame = d.Frame("Progress bar", 0, 0, width + 4 * u, 9 * u, radius: 10);
        d.Text(frame, 2 * u, 2 * u, label, 14, bold: true);
        d.Text(frame, 2 * u + width - 6 * u, 2 * u, $"{value}%", 14, d.Theme.Muted, align: "right", width: 6 * u);
        d.Rect(frame, 2 * u, 5.5 * u, width, 8, d.Theme.Border, radius: 4, name: "track background");
        if (value > 0) d.Rect(frame, 2 * u, 5.5 * u, Math.Max(8, width * value / 100), 8, d.Theme.Primary, radius: 4, name: "track");
    }
}

public sealed class Slider : IComponent
{
    public string Name => "slider";
    public string[] Synonyms => ["range slider", "range", "volume control", "volume slider", "sliders", "range input"];
    public string Description => "A slider: a label (Labels[0] or Title), a track filled to Value percent with a knob, the value.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var label = spec.Label(0, spec.Title ?? "Volume");
        var value = Math.Clamp(spec.Value ?? 40, 0, 100);
        var width = Math.Max(320 * spec.Scale(), Drawing.Measure(label, 14, true) + 10 * u);
        var frame = d.Frame("Slider", 0, 0, width + 4 * u, 10 * u, radius: 10);
        d.Text(frame, 2 * u, 2 * u, label, 14, bold: true);
        d.Text(frame, 2 * u + width - 6 * u, 2 * u, value.ToString(System.Globalization.CultureInfo.InvariantCulture), 14, d.Theme.Muted, align: "right", width: 6 * u);
        var trackY = 6.5 * u;
        d.Rect(frame, 2 * u, trackY, width, 6, d.Theme.Border, radius: 3, name: "track background");
        var knobX = 2 * u + (width - 20) * value / 100;
        d.Rect(frame, 2 * u, trackY, knobX - 2 * u + 10, 6, d.Theme.Primary, radius: 3, name: "track");
        d.Ellipse(frame, knobX, trackY - 7, 20, 20, d.Theme.Surface, d.Theme.Primary);
    }
}

public sealed class Stepper : IComponent
{
    public string Name => "stepper";
    public string[] Synonyms => ["step indicator", "wizard steps", "progress steps", "checkout steps", "wizard", "steps", "step tracker"];
    public string Description => "Numbered steps joined by a line (Labels, Count); the ones before the current step (the second) are done.";
    public int MaxCount => 6;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(4, min: 2, max: MaxCount);
        var steps = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "Cart", "Shipping", "Payment", "Review", "Confirm", "Done" }[i])).ToList();
        var column = Math.Max(120, steps.Max(s => Drawing.Measure(s, 14, true)) + 2 * u);
        var frame = d.Frame("Stepper", 0, 0, count * column + 4 * u, 12 * u, radius: 12);
        const int current = 1;
        for (var i = 0; i < count; i++)
        {
            var cx = 2 * u + i * column + column / 2;
            if (i > 0) d.Line(frame, cx - column + 18, 4.5 * u, cx - 18, 4.5 * u, i <= current ? d.Theme.Primary : d.Theme.Border, 2);
            var done = i <= current;
            d.Ellipse(frame, cx - 16, 4.5 * u - 16, 32, 32, done ? d.Theme.Primary : d.Theme.Surface, done ? null : d.Theme.Border);
            d.CenteredText(frame, cx - 16, 4.5 * u - 16, 32, 32, i < current ? "✓" : $"{i + 1}", 14, done ? d.Theme.OnPrimary : d.Theme.Muted);
            d.Text(frame, cx - column / 2 + u, 8 * u, steps[i], 14, i == current ? d.Theme.Text : d.Theme.Muted, bold: i == current, align: "center", width: column - 2 * u);
        }
    }
}

public sealed class Breadcrumb : IComponent
{
    public string Name => "breadcrumb";
    public string[] Synonyms => ["breadcrumbs", "breadcrumb trail", "crumbs", "breadcrumb navigation"];
    public string Description => "A breadcrumb trail: pages (Labels, Count) separated by /, the last one current.";
    public int MaxCount => 6;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(3, min: 2, max: MaxCount);
        var pages = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "Home", "Products", spec.Title ?? "Details", "Item", "Page", "Section" }[i])).ToList();
        var width = pages.Sum(p => Drawing.Measure(p, 14, true) + 4 * u) + 2 * u;
        var frame = d.Frame("Breadcrumb", 0, 0, width, 5 * u, radius: 8);
        var x = 2 * u;
        for (var i = 0; i < count; i++)
        {
            var last = i == count - 1;
            x += d.Text(frame, x, 1.5 * u, pages[i], 14, last ? d.Theme.Text : d.Theme.Primary, bold: last);
            if (!last) x += d.Text(frame, x + 0.5 * u, 1.5 * u, "/", 14, d.Theme.Muted) + u;
        }
    }
}

public sealed class Pagination : IComponent
{
    public string Name => "pagination";
    public string[] Synonyms => ["pager", "page numbers", "paging", "paginator", "page navigation"];
    public string Description => "Pagination: Previous, page numbers (Count pages, the first current), Next.";
    public int MaxCount => 9;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var pages = spec.CountOr(5, max: MaxCount);
        var prev = Math.Max(96, Drawing.Measure("‹ Previous", 14, true) + 3 * u);
        var next = Math.Max(80, Drawing.Measure("Next ›", 14, true) + 3 * u);
        var width = 2 * u + prev + u + pages * (5 * u) + next + 2 * u;
        var frame = d.Frame("Pagination", 0, 0, width, 8 * u, radius: 10);
        d.Button(frame, 2 * u, 2 * u, "‹ Previous", "secondary", 4 * u, 14, width: prev);
        var x = 2 * u + prev + u;
        for (var p = 1; p <= pages; p++, x += 5 * u)
            d.Button(frame, x, 2 * u, p.ToString(System.Globalization.CultureInfo.InvariantCulture), p == 1 ? "primary" : "ghost", 4 * u, 14, width: 4 * u);
        d.Button(frame, x, 2 * u, "Next ›", "secondary", 4 * u, 14, width: next);
    }
}

public sealed class Alert : IComponent
{
    public string Name => "alert";
    public string[] Synonyms => ["alert banner", "notice", "warning", "error message", "info banner", "callout", "success message", "warning message", "alerts", "banner message"];
    public string Description => "An alert banner: an icon, a title (Title) and a message (Labels[0]), with an accent stripe; Color for error or success.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var title = spec.Title ?? "Heads up";
        var message = spec.Label(0, "Something needs your attention before you go on.");
        var width = Math.Max(420, Math.Max(Drawing.Measure(title, 16, true), Drawing.Measure(message, 14)) + 10 * u);
        var frame = d.Frame("Alert", 0, 0, width, 9 * u, radius: 10);
        d.Rect(frame, 0, 0, 6, 9 * u, d.Theme.Primary, radius: 3, name: "accent");
        d.Ellipse(frame, 2.5 * u, 2 * u, 24, 24, d.Theme.Primary, name: "icon");
        d.CenteredText(frame, 2.5 * u, 2 * u, 24, 24, "!", 14, d.Theme.OnPrimary);
        d.Text(frame, 7 * u, 1.75 * u, title, 16, bold: true, width: width - 9 * u);
        d.Text(frame, 7 * u, 5 * u, message, 14, d.Theme.Muted, width: width - 9 * u);
    }
}

public sealed class Toast : IComponent
{
    public string Name => "toast";
    public string[] Synonyms => ["snackbar", "notification", "toast notification", "toast message", "notifications", "toasts"];
    public string Description => "A toast: a short message (Labels[0] or Title) on a dark strip, an action (Labels[1], Undo) and a close mark.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var message = spec.Label(0, spec.Title ?? "Changes saved");
        var action = spec.Label(1, "Undo");
        var actionWidth = Drawing.Measure(action, 14, true);
        var width = Math.Max(320, Drawing.Measure(message, 15) + actionWidth + 10 * u);
        var frame = d.Frame("Toast", 0, 0, width, 7 * u, fill: d.Theme.Text, stroke: d.Theme.Text, radius: 10);
        d.Text(frame, 2 * u, 2.25 * u, message, 15, d.Theme.Surface, width: width - actionWidth - 9 * u);
        d.Text(frame, width - actionWidth - 5 * u, 2.25 * u, action, 14, d.Theme.Primary, bold: true);
        d.Text(frame, width - 3.5 * u, 2 * u, "×", 18, d.Theme.Surface);
    }
}

public sealed class Image : IComponent
{
    public string Name => "image";
    public string[] Synonyms => ["image placeholder", "picture", "photo", "img", "illustration", "thumbnail", "hero image", "images", "pictures", "photos", "placeholder image"];
    public string Description => "An image placeholder: a box crossed from corner to corner, with a caption (Title).";
    public string Noun => "image placeholder";

    public void Build(Drawing d, ComponentSpec spec) => Placeholder(d, null, 0, 0, 320 * spec.Scale(), 200 * spec.Scale(), spec.Title ?? spec.Label(0, "Image"));

    /// <summary>A crossed box with its caption on a chip; the image grid draws these too.</summary>
    public static void Placeholder(Drawing d, string? parent, double x, double y, double width, double height, string caption)
    {
        var frame = d.Frame("Image", x, y, width, height, fill: d.Theme.Background, radius: 8, parent: parent);
        d.Line(frame, x, y, x + width, y + height, d.Theme.Border, 1);
        d.Line(frame, x, y + height, x + width, y, d.Theme.Border, 1);
        var chip = Drawing.Measure(caption, 14) + 2 * Drawing.U;
        d.Rect(frame, x + (width - chip) / 2, y + height / 2 - 14, chip, 28, d.Theme.Surface, d.Theme.Border, radius: 14, name: "caption");
        d.CenteredText(frame, x + (width - chip) / 2, y + height / 2 - 14, chip, 28, caption, 14, d.Theme.Muted, bold: false);
    }
}

public sealed class ImageGrid : IComponent
{
    public string Name => "image_grid";
    public string[] Synonyms => ["image grid", "photo grid", "gallery", "photo gallery", "image gallery", "grid of images", "grid of photos", "grid of pictures", "picture grid"];
    public string Description => "A grid of image placeholders (Count, 6 by default; Columns, 3 by default), captioned by Labels.";
    public int MaxCount => 12;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(6, max: MaxCount);
        var columns = Math.Clamp(spec.Columns ?? Math.Min(3, count), 1, 4);
        var rows = (count + columns - 1) / columns;
        const double cellW = 200, cellH = 140;
        var frame = d.Frame("Image grid", 0, 0, columns * (cellW + 2 * u) + 2 * u, rows * (cellH + 2 * u) + 2 * u, fill: d.Theme.Surface, radius: 12);
        for (var i = 0; i < count; i++)
            Image.Placeholder(d, frame, 2 * u + i % columns * (cellW + 2 * u), 2 * u + i / columns * (cellH + 2 * u), cellW, cellH,
                spec.Label(i, spec.Title is { } t ? $"{t} {i + 1}" : $"Photo {i + 1}"));
    }
}

public sealed class StatTile : IComponent
{
    public string Name => "stat_tile";
    public string[] Synonyms => ["stat tile", "kpi", "kpi tile", "kpi card", "stat", "stats", "statistic", "statistics", "metric", "metrics", "stat card", "number tile", "kpis", "stat tiles", "kpi tiles"];
    public string Description => "KPI tiles side by side (Count): a metric's name (Labels), its value and its change.";
    public string Noun => "stat tile";
    public int MaxCount => 6;
    public bool CountIsCopies => true;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(1, max: MaxCount);
        string[] names = ["Revenue", "Active users", "Orders", "Conversion", "Churn", "Avg. order"];
        string[] values = ["$48,200", "12,480", "1,024", "3.2%", "1.8%", "$47.10"];
        var labels = Enumerable.Range(0, count).Select(i => spec.Label(i, i == 0 && spec.Title is { } t ? t : names[i])).ToList();
        var width = Math.Max(200, labels.Max(l => Drawing.Measure(l, 14)) + 4 * u);
        var frame = d.Frame(count == 1 ? "Stat tile" : "Stat tiles", 0, 0, count * (width + 2 * u) + 2 * u, 16 * u, fill: d.Theme.Background, radius: 12);
        for (var i = 0; i < count; i++)
        {
            var x = 2 * u + i * (width + 2 * u);
            d.Rect(frame, x, 2 * u, width, 12.5 * u, d.Theme.Surface, d.Theme.Border, radius: 10, name: "tile");
            d.Text(frame, x + 2 * u, 4 * u, labels[i], 14, d.Theme.Muted, width: width - 4 * u);
            d.Text(frame, x + 2 * u, 7 * u, values[i], 28, bold: true);
            d.Text(frame, x + 2 * u, 11.5 * u, "+12% this month", 13, d.Theme.Primary, width: width - 4 * u);
        }
    }
}

public sealed class Chart : IComponent
{
    public string Name => "chart";
    public string[] Synonyms => ["chart placeholder", "bar chart", "graph", "line chart", "plot", "bar graph", "charts", "graphs", "column chart", "sales chart"];
    public string Description => "A bar chart placeholder: a title (Title), six bars on an axis, month labels.";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var title = spec.Title ?? "Monthly sales";
        var width = Math.Max(480 * spec.Scale(), Drawing.Measure(title, 18, true) + 4 * u);
        var frame = d.Frame("Chart", 0, 0, width, 36 * u, radius: 12);
        d.Text(frame, 3 * u, 2.5 * u, title, 18, bold: true);
        var (left, bottom) = (3 * u, 31 * u);
        d.Line(frame, left, bottom, width - 3 * u, bottom, d.Theme.Border, 1);
        string[] months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"];
        double[] heights = [0.45, 0.6, 0.4, 0.75, 0.65, 0.9];
        var slot = (width - 6 * u) / months.Length;
        for (var i = 0; i < months.Length; i++)
        {
            var h = heights[i] * 20 * u;
            d.Rect(frame, left + i * slot + slot * 0.2, bottom - h, slot * 0.6, h, d.Theme.Primary, radius: 4, name: "bar");
            d.Text(frame, left + i * slot, bottom + u, months[i], 12, d.Theme.Muted, align: "center", width: slot);
        }
    }
}

public sealed class Newsletter : IComponent
{
    public string Name => "newsletter";
    public string[] Synonyms => ["newsletter signup", "subscribe form", "subscription form", "email signup", "mailing list", "subscribe", "get updates", "email updates", "stay updated", "leave their email", "leave your email", "leave an email", "signup for updates", "waitlist", "waiting list"];
    public string Description => "A newsletter sign-up: a title (Title), a line of text, an email field and a Subscribe button (Labels[0]).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var title = spec.Title ?? "Stay in the loop";
        const string line = "Get the news in your inbox, once a month.";
        var button = spec.Label(0, "Subscribe");
        var buttonWidth = Drawing.ButtonWidth(button, minWidth: 120);
        var width = Math.Max(Math.Max(Drawing.Measure(title, 22, true), Drawing.Measure(line, 15)), 240 + u + buttonWidth) + 8 * u;
        var frame = d.Frame("Newsletter", 0, 0, width, 21 * u, radius: 16);
        d.Text(frame, 4 * u, 4 * u, title, 22, bold: true);
        d.Text(frame, 4 * u, 8 * u, line, 15, d.Theme.Muted);
        d.Input(frame, 4 * u, 13 * u, width - 8 * u - u - buttonWidth, "you@example.com");
        d.Button(frame, width - 4 * u - buttonWidth, 13 * u, button, width: buttonWidth);
    }
}
