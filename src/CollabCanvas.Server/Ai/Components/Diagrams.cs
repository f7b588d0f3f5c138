namespace CollabCanvas.Server.Ai.Components;

/// <summary>A box of a diagram: a label centred in a rounded rectangle, in the accent colour or on the surface.</summary>
internal static class Node
{
    public const double Height = 48;

    public static double Width(string label) => Math.Max(128, Drawing.Measure(label, 15, true) + 4 * Drawing.U);

    public static string Draw(Drawing d, string parent, double x, double y, double width, string label, bool accent, double radius = 8)
    {
        var box = d.Rect(parent, x, y, width, Height, accent ? d.Theme.Primary : d.Theme.Surface, accent ? null : d.Theme.Border, radius, name: "node");
        d.CenteredText(parent, x, y, width, Height, label, 15, accent ? d.Theme.OnPrimary : d.Theme.Text);
        return box;
    }

    /// <summary>A title above a diagram, when one was given; returns the height it takes.</summary>
    public static double Title(Drawing d, string parent, string? title)
    {
        if (title is null) return 0;
        d.Text(parent, 3 * Drawing.U, 3 * Drawing.U, title, 20, bold: true);
        return 5 * Drawing.U;
    }
}

public sealed class Flowchart : IComponent
{
    public string Name => "flowchart";
    public string[] Synonyms => ["flow chart", "flow diagram", "process diagram", "workflow", "process flow", "user flow", "flowcharts", "process"];
    public string Description => "A flowchart: steps (Labels, Count) top to bottom joined by arrows, first and last as pills; a step ending in ? is a decision. Title above.";
    public int MaxCount => 10;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var defaults = new[] { "Start", spec.Title is { } t ? t : "Do the work", "Is it done?", "Review", "Finish" };
        var count = spec.CountOr(spec.Labels is null ? 4 : spec.Labels.Length, min: 2, max: MaxCount);
        var steps = Enumerable.Range(0, count).Select(i => spec.Label(i, i == count - 1 ? "Finish" : i < defaults.Length - 1 ? defaults[i] : $"Step {i}")).ToList();
        var width = steps.Max(Node.Width) + 8 * u;
        var frame = d.Frame("Flowchart", 0, 0, 0, 0, fill: d.Theme.Background, radius: 12);
        var top = 3 * u + Node.Title(d, frame, spec.Title);
        width = Math.Max(width, spec.Title is null ? 0 : Drawing.Measure(spec.Title, 20, true) + 6 * u);
        for (var i = 0; i < count; i++)
        {
            var y = top + i * (Node.Height + 5 * u);
            var w = Node.Width(steps[i]);
            var pill = i == 0 || i == count - 1;
            var decision = steps[i].EndsWith('?');
            Node.Draw(d, frame, (width - w) / 2, y, w, steps[i], pill || decision, pill ? Node.Height / 2 : 8);
            if (i > 0) d.Arrow(frame, width / 2, y - 5 * u + 4, width / 2, y - 4, d.Theme.Text);
        }
        d.Resize(frame, width, top + count * (Node.Height + 5 * u) - 2 * u);
    }
}

public sealed class OrgChart : IComponent
{
    public string Name => "org_chart";
    public string[] Synonyms => ["org chart", "organization chart", "organisation chart", "organizational chart", "organigram", "hierarchy", "team structure", "reporting structure", "orgchart"];
    public string Description => "An org chart: the head (Labels[0]) above the people who report to them (the other Labels, or Count).";
    public int MaxCount => 8;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var head = spec.Label(0, "CEO");
        var reportCount = Math.Clamp(spec.Labels is { Length: > 1 } l ? l.Length - 1 : spec.Count ?? 3, 1, MaxCount);
        var reports = Enumerable.Range(1, reportCount).Select(i => spec.Label(i, new[] { "CTO", "CFO", "COO", "CMO", "VP Sales", "VP People", "Head of Design", "Head of Support" }[i - 1])).ToList();
        var widths = reports.Select(Node.Width).ToList();
        var frame = d.Frame("Org chart", 0, 0, 0, 0, fill: d.Theme.Background, radius: 12);
        var top = 3 * u + Node.Title(d, frame, spec.Title);
        var rowWidth = widths.Sum() + (reportCount - 1) * 3 * u;
        var width = Math.Max(Math.Max(rowWidth, Node.Width(head)), spec.Title is null ? 0 : Drawing.Measure(spec.Title, 20, true)) + 6 * u;
        var headWidth = Node.Width(head);
        Node.Draw(d, frame, (width - headWidth) / 2, top, headWidth, head, true);
        var childY = top + Node.Height + 6 * u;
        var busY = top + Node.Height + 3 * u;
        d.Line(frame, width / 2, top + Node.Height, width / 2, busY, d.Theme.Muted, 2);
        var x = (width - rowWidth) / 2;
        var centers = new List<double>();
        for (var i = 0; i < reportCount; i++)
        {
            Node.Draw(d, frame, x, childY, widths[i], reports[i], false);
            centers.Add(x + widths[i] / 2);
            d.Line(frame, x + widths[i] / 2, busY, x + widths[i] / 2, childY, d.Theme.Muted, 2);
            x += widths[i] + 3 * u;
        }
        if (reportCount > 1) d.Line(frame, centers[0], busY, centers[^1], busY, d.Theme.Muted, 2);
        d.Resize(frame, width, childY + Node.Height + 3 * u);
    }
}

public sealed class MindMap : IComponent
{
    public string Name => "mind_map";
    public string[] Synonyms => ["mind map", "mindmap", "brainstorm", "idea map", "concept map", "mind maps", "brainstorming"];
    public string Description => "A mind map: the topic (Title) in the middle, branches (Labels, Count) on both sides joined to it.";
    public int MaxCount => 10;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var topic = spec.Title ?? "Main idea";
        var count = spec.CountOr(4, max: MaxCount);
        var branches = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "Goals", "Ideas", "Risks", "Next steps", "People", "Budget", "Timeline", "Questions", "Research", "Notes" }[i])).ToList();
        var right = branches.Where((_, i) => i % 2 == 0).ToList();
        var left = branches.Where((_, i) => i % 2 == 1).ToList();
        var sideWidth = branches.Max(Node.Width);
        var topicWidth = Node.Width(topic) + 2 * u;
        var rows = Math.Max(right.Count, left.Count);
        var height = rows * (Node.Height + 3 * u) + 3 * u;
        var width = 3 * u + sideWidth + 10 * u + topicWidth + 10 * u + sideWidth + 3 * u;
        var frame = d.Frame("Mind map", 0, 0, width, height, fill: d.Theme.Background, radius: 12);
        var (cx, cy) = (width / 2, height / 2);
        Node.Draw(d, frame, cx - topicWidth / 2, cy - Node.Height / 2, topicWidth, topic, true, Node.Height / 2);
        void Side(List<string> items, bool onRight)
        {
            var top = (height - (items.Count * (Node.Height + 3 * u) - 3 * u)) / 2;
            for (var i = 0; i < items.Count; i++)
            {
                var y = top + i * (Node.Height + 3 * u);
                var x = onRight ? width - 3 * u - sideWidth : 3 * u;
                d.Line(frame, onRight ? cx + topicWidth / 2 : cx - topicWidth / 2, cy, onRight ? x : x + sideWidth, y + Node.Height / 2, d.Theme.Muted, 2);
                Node.Draw(d, frame, x, y, sideWidth, items[i], false, Node.Height / 2);
            }
        }
        Side(right, true);
        Side(left, false);
    }
}

public sealed class SequenceDiagram : IComponent
{
    public string Name => "sequence_diagram";
    public string[] Synonyms => ["sequence diagram", "sequence", "interaction diagram", "message flow", "sequence chart", "swimlane diagram"];
    public string Description => "A sequence diagram: participants (Labels, Count) with lifelines; a request passed along and the responses back.";
    public string Noun => "sequence diagram";
    public int MaxCount => 6;

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var count = spec.CountOr(3, min: 2, max: MaxCount);
        var actors = Enumerable.Range(0, count).Select(i => spec.Label(i, new[] { "User", "App", "Server", "Database", "Payment", "Email" }[i])).ToList();
        var column = Math.Max(actors.Max(Node.Width), Drawing.Measure("Response", 14) + 2 * u) + 6 * u;
        var frame = d.Frame("Sequence diagram", 0, 0, 0, 0, fill: d.Theme.Background, radius: 12);
        var top = 3 * u + Node.Title(d, frame, spec.Title);
        var messages = (count - 1) * 2;
        var lifeTop = top + Node.Height;
        var height = lifeTop + 3 * u + messages * 6 * u + 3 * u;
        double Center(int i) => 3 * u + i * column + column / 2;
        for (var i = 0; i < count; i++)
        {
            var w = Node.Width(actors[i]);
            Node.Draw(d, frame, Center(i) - w / 2, top, w, actors[i], true);
            d.Line(frame, Center(i), lifeTop, Center(i), height - 2 * u, d.Theme.Border, 2);
        }
        var y = lifeTop + 5 * u;
        for (var m = 0; m < messages; m++, y += 6 * u)
        {
            var forward = m < count - 1;
            var (a, b) = forward ? (m, m + 1) : (messages - m, messages - m - 1);
            var label = forward ? (m == 0 ? "Request" : "Forward") : "Response";
            d.Text(frame, Math.Min(Center(a), Center(b)) + u, y - 3 * u, label, 14, d.Theme.Muted, width: column - 2 * u);
            d.Arrow(frame, Center(a), y, Center(b), y, d.Theme.Text);
        }
        d.Resize(frame, count * column + 6 * u, height);
    }
}
