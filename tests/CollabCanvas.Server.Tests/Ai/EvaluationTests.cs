using System.Text.Json.Nodes;
using CollabCanvas.Server.Ai;
using Xunit.Abstractions;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>
/// The built-in path graded on its evaluation set (Ai/Evaluation/requests.tsv): each request is parsed and drawn on a
/// canvas (after its setup command, whose result is selected), then graded by structure: the components or the kind of
/// change a reader expects, no overlapping text, children inside their frames, every text at 4.5:1 or more on what is
/// behind it, and the expected labels present. The score is printed and must stay at 95% or more (docs/ai.md).
/// </summary>
public class EvaluationTests(ITestOutputHelper output)
{
    public sealed record Request(int Line, string? Setup, string Prompt, string Expect, string[] Labels);

    public static IReadOnlyList<Request> Requests { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Ai", "Evaluation", "requests.tsv"))
        .Select((line, i) => (Fields: line.Split('\t'), Line: i + 1))
        .Where(l => l.Fields.Length >= 3 && !l.Fields[0].StartsWith('#'))
        .Select(l => new Request(l.Line, l.Fields[0] == "-" ? null : l.Fields[0], l.Fields[1], l.Fields[2],
            l.Fields.Length > 3 && l.Fields[3].StartsWith("labels:") ? l.Fields[3]["labels:".Length..].Split('|') : []))
        .ToList();

    [Fact]
    public void The_set_has_at_least_150_varied_requests()
    {
        Assert.True(Requests.Count >= 150, $"{Requests.Count} requests");
        Assert.Equal(Requests.Count, Requests.Select(r => (r.Setup, r.Prompt)).Distinct().Count());
    }

    [Fact]
    public void The_built_in_path_passes_at_least_95_percent_of_the_evaluation_set()
    {
        var failures = Requests.Select(r => (Request: r, Problem: Grade(r))).Where(r => r.Problem is not null).ToList();
        foreach (var (request, problem) in failures) output.WriteLine($"line {request.Line}: \"{request.Prompt}\": {problem}");
        var score = 1.0 - (double)failures.Count / Requests.Count;
        var summary = $"AI evaluation (built-in path): {Requests.Count - failures.Count}/{Requests.Count} = {score:P1}";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(score >= 0.95, summary);
    }

    /// <summary>Why the request failed, or null when it passed.</summary>
    public static string? Grade(Request request)
    {
        var canvas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var n = 0;
        string NewId() => $"e{n++}";
        var selection = new List<string>();
        if (request.Setup is { } setup)
        {
            var made = Run(canvas, CommandParser.Parse(setup, false), [], NewId);
            selection.AddRange(made.Where(id => canvas[id]["parentId"]?.GetValue<string>() is not { } p || !made.Contains(p)));
        }
        var plan = CommandParser.Parse(request.Prompt, selection.Count > 0);
        if (request.Expect == "refuse") return plan.Refusal is { Length: > 0 } ? null : "expected a refusal, got a plan";
        if (plan.Refusal is { } refusal) return "refused: " + refusal;
        if (Kind(plan) is var kind && kind != request.Expect) return $"expected {request.Expect}, got {kind}";
        Run(canvas, plan, selection, NewId);
        return Structure(canvas) ?? MissingLabel(canvas, request.Labels);
    }

    /// <summary>"create:navbar,footer", "create:landing_page+pricing_table", "edit", "theme:dark".</summary>
    private static string Kind(AiPlan plan)
    {
        if (plan.Actions.All(a => a is CreateComponent))
        {
            var specs = plan.Actions.Cast<CreateComponent>().Select(c => c.Spec).ToList();
            var parts = specs.Count == 1 && specs[0].Parts is { } p ? "+" + string.Join(',', p) : "";
            return "create:" + string.Join(',', specs.Select(s => s.Component)) + parts;
        }
        return plan.Actions[0] switch
        {
            EditSelection => "edit",
            ArrangeSelection => "arrange",
            DeleteSelection => "delete",
            DuplicateSelection => "duplicate",
            SetDefaultTheme t => "theme:" + t.Theme,
            var other => other.GetType().Name,
        };
    }

    /// <summary>Runs a plan on the canvas (ops applied as the server applies them); returns the ids it created.</summary>
    private static List<string> Run(Dictionary<string, JsonObject> canvas, AiPlan plan, List<string> selection, Func<string> newId)
    {
        var result = new PlanExecutor(new AiContext(canvas, selection, new Viewport(0, 0, 1600, 1000), Themes.Default), newId).Run(plan);
        foreach (var op in result.Ops.Select(o => o!.AsObject()))
        {
            var id = op["id"]!.GetValue<string>();
            if (op["op"]!.GetValue<string>() == "delete")
            {
                var gone = new HashSet<string> { id };
                while (canvas.Where(o => !gone.Contains(o.Key) && o.Value["parentId"]?.GetValue<string>() is { } p && gone.Contains(p)).Select(o => o.Key).ToList() is { Count: > 0 } more)
                    gone.UnionWith(more);
                foreach (var g in gone) canvas.Remove(g);
                continue;
            }
            var target = canvas.TryGetValue(id, out var existing) ? existing : canvas[id] = [];
            foreach (var (name, value) in op["props"]!.AsObject())
                if (value is null) target.Remove(name);
                else target[name] = value.DeepClone();
        }
        return result.Created.ToList();
    }

    /// <summary>No overlapping text, children inside their frames, every text readable on what is behind it.</summary>
    public static string? Structure(IReadOnlyDictionary<string, JsonObject> canvas)
    {
        var ordered = canvas.OrderBy(o => o.Value["z"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => (Id: o.Key, O: o.Value, B: Bounds(o.Value))).ToList();
        var texts = ordered.Where(o => Type(o.O) == "text").ToList();
        for (var i = 0; i < texts.Count; i++)
            for (var j = i + 1; j < texts.Count; j++)
            {
                var (a, b) = (texts[i].B, texts[j].B);
                if (Math.Min(a.X + a.W, b.X + b.W) - Math.Max(a.X, b.X) > 1 && Math.Min(a.Y + a.H, b.Y + b.H) - Math.Max(a.Y, b.Y) > 1)
                    return $"text \"{Text(texts[i].O)}\" overlaps \"{Text(texts[j].O)}\"";
            }
        foreach (var (id, o, b) in ordered)
        {
            if (o["parentId"]?.GetValue<string>() is not { } parent) continue;
            if (!canvas.TryGetValue(parent, out var frame) || Type(frame) != "frame") return $"{id}'s parent is not a frame";
            var f = Bounds(frame);
            if (b.X < f.X - 1 || b.Y < f.Y - 1 || b.X + b.W > f.X + f.W + 1 || b.Y + b.H > f.Y + f.H + 1)
                return $"{Type(o)} {id} \"{Text(o)}\" leaves its frame \"{frame["name"]}\"";
        }
        var boxes = ordered.Select(o => new Contrast.Box(o.Id, Type(o.O), o.B.X, o.B.Y, o.B.W, o.B.H, o.O["fill"]?.GetValue<string>(),
            o.O["opacity"]?.GetValue<double>() ?? 1)).ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            if (boxes[i].Type != "text") continue;
            var background = Contrast.BackgroundOf(boxes, i, Themes.Get(Themes.Default).Background);
            var ratio = Contrast.Ratio(boxes[i].Fill ?? "#000000", background);
            if (ratio < Contrast.Minimum - 0.005) return $"text \"{Text(ordered[i].O)}\" at {ratio:F2}:1 on {background}";
        }
        return null;
    }

    private static string? MissingLabel(IReadOnlyDictionary<string, JsonObject> canvas, string[] labels)
    {
        var written = canvas.Values.SelectMany(o => new[] { Text(o), o["name"]?.GetValue<string>() ?? "" }).ToList();
        return labels.FirstOrDefault(l => !written.Any(w => w.Contains(l, StringComparison.OrdinalIgnoreCase))) is { } missing
            ? $"no text says \"{missing}\"" : null;
    }

    private static string Type(JsonObject o) => o["type"]?.GetValue<string>() ?? "";

    private static string Text(JsonObject o) => o["text"]?.GetValue<string>() ?? "";

    public static (double X, double Y, double W, double H) Bounds(JsonObject o)
    {
        double Num(string name) => o[name]?.GetValue<double>() ?? 0;
        if (o["points"] is JsonArray points && points.Count >= 2)
        {
            var xs = points.Where((_, i) => i % 2 == 0).Select(p => p!.GetValue<double>()).ToList();
            var ys = points.Where((_, i) => i % 2 == 1).Select(p => p!.GetValue<double>()).ToList();
            return (Num("x") + xs.Min(), Num("y") + ys.Min(), xs.Max() - xs.Min(), ys.Max() - ys.Min());
        }
        return (Num("x"), Num("y"), Num("width"), Num("height"));
    }
}
