using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Ai;

/// <summary>The visible part of the canvas, in canvas coordinates.</summary>
public sealed record Viewport(double X, double Y, double Width, double Height);

/// <summary>What a command runs against: the objects (wire form, by id), the selection, the viewport, the canvas's theme.</summary>
public sealed record AiContext(IReadOnlyDictionary<string, JsonObject> Objects, IReadOnlyList<string> Selection, Viewport? Viewport,
    string DefaultTheme);

/// <summary>
/// The ops of one command (one batch), the ops that undo it, the objects it created, and a sentence saying what it
/// did and what of the request it ignored ("Made 3 cards; ignored 'animated'").
/// </summary>
public sealed record AiResult(JsonArray Ops, JsonArray Undo, IReadOnlyList<string> Created, string? NewDefaultTheme, string Summary);

/// <summary>
/// Turns a plan into ops: components drawn by their builders and placed below or right of the selection (or in the
/// middle of the viewport), style edits, arrangements, deletions and duplicates of the selection. Pure: it reads a
/// copy of the canvas and returns ops; the caller appends them as one batch.
/// </summary>
public sealed class PlanExecutor(AiContext context, Func<string> newId)
{
    private const double Gap = 40;
    private readonly Dictionary<string, JsonObject> _objects = context.Objects.ToDictionary(p => p.Key, p => (JsonObject)p.Value.DeepClone());
    private readonly JsonArray _ops = [];
    private readonly List<JsonObject> _undo = [];
    private readonly List<string> _created = [];
    private readonly List<string> _selection = context.Selection.Where(context.Objects.ContainsKey).ToList();
    private string? _newTheme;
    private string _topZ = context.Objects.Values.Select(o => o["z"]?.GetValue<string>()).Where(z => z is not null).Max(StringComparer.Ordinal) ?? "V000";
    private (double X, double Y, double W, double H)? _lastPlaced;
    private readonly List<string> _done = [];
    /// <summary>What was made, by noun, in the order first made: two calls for a card read "made 2 cards".</summary>
    private readonly List<(string Noun, int Count)> _made = [];
    /// <summary>Where "made …" stands among <see cref="_done"/>: at the first component made.</summary>
    private const string MadeMarker = "\0made";
    /// <summary>Texts recoloured to stay readable, said in the summary.</summary>
    private int _readable;

    public AiResult Run(AiPlan plan)
    {
        foreach (var action in plan.Actions) Add(action);
        return Result(plan.Ignored);
    }

    /// <summary>The ops so far: a streamed command previews each action's ops as soon as the model has chosen it.</summary>
    public JsonArray Ops => _ops;

    /// <summary>Carries out one action against the copy, after those before it.</summary>
    public void Add(AiAction action)
    {
        var selected = TopLevel(_selection).Count();
        switch (action)
        {
            case CreateComponent create:
                Create(create.Spec);
                Made(create.Spec);
                break;
            case EditSelection edit:
                Edit(edit.Edit);
                _done.Add($"changed {Objects(selected)}");
                break;
            case ArrangeSelection arrange:
                Arrange(arrange.Arrange);
                _done.Add($"arranged {Objects(selected)}");
                break;
            case DeleteSelection:
                var deleted = TopLevel(_selection).ToList();
                UnbindFrom(deleted.SelectMany(Subtree).ToHashSet(StringComparer.Ordinal));
                foreach (var id in deleted) Emit(new JsonObject { ["op"] = "delete", ["id"] = id });
                _done.Add($"deleted {Objects(selected)}");
                break;
            case DuplicateSelection duplicate:
                var times = Math.Clamp(duplicate.Count, 1, 20);
                Duplicate(times);
                _done.Add($"duplicated {Objects(selected)} {(times == 1 ? "once" : times + " times")}");
                break;
            case PlaceObjects place:
                Place(place);
                _done.Add($"placed {Objects(place.Objects.Count)}");
                break;
            case SetDefaultTheme theme:
                _newTheme = Themes.Get(theme.Theme).Name;
                _done.Add($"set the canvas's theme to {_newTheme}");
                break;
        }
    }

    /// <summary>The command's batch, the ops that undo it, and the sentence that says what it did.</summary>
    public AiResult Result(IReadOnlyList<string> ignored)
    {
        var undo = new JsonArray();
        foreach (var op in _undo) undo.Add(op);
        return new AiResult(_ops, undo, _created, _newTheme, Summary(ignored));
    }

    /// <summary>"Made 3 cards and a navbar; ignored 'animated'".</summary>
    private string Summary(IReadOnlyList<string> ignored)
    {
        var made = "made " + string.Join(_made.Count == 2 ? " and " : ", ", _made.Select(m => Counted(m.Noun, m.Count)));
        var parts = _done.Select(part => part == MadeMarker ? made : part).ToList();
        var done = parts.Count == 0 ? "Nothing to do" : string.Join(parts.Count == 2 ? " and " : ", ", parts);
        done = char.ToUpperInvariant(done[0]) + done[1..];
        if (_readable > 0) done += $" (recoloured {(_readable == 1 ? "1 text" : $"{_readable} texts")} to keep it readable)";
        return ignored.Count == 0 ? done : $"{done}; ignored {string.Join(", ", ignored.Select(w => $"'{w}'"))}";
    }

    private void Made(ComponentSpec spec)
    {
        var builder = ComponentCatalog.Find(spec.Component)!;
        var count = builder.CountIsCopies ? Math.Clamp(spec.Count ?? spec.Labels?.Length ?? 1, 1, builder.MaxCount) : 1;
        if (_made.Count == 0) _done.Add(MadeMarker);
        var at = _made.FindIndex(m => m.Noun == builder.Noun);
        if (at < 0) _made.Add((builder.Noun, count));
        else _made[at] = (builder.Noun, _made[at].Count + count);
    }

    /// <summary>"a login form", "an image", "3 cards".</summary>
    private static string Counted(string noun, int count) =>
        count > 1 ? $"{count} {CommandParser.Plural(noun)}" : (Regex.IsMatch(noun, "^[aeio]") ? "an " : "a ") + noun;

    private static string Objects(int count) => count == 1 ? "1 object" : $"{count} objects";

    private void Create(ComponentSpec spec)
    {
        if (spec.Component == "arrow" && Find(spec.From) is { } from && Find(spec.To) is { } to && from != to)
        {
            Connect(from, to);
            return;
        }
        var drawing = ComponentCatalog.Draw(spec, Themes.Get(spec.Theme ?? context.DefaultTheme), newId);
        var (w, h) = drawing.Size;
        var (x, y) = PlaceFor(w, h, spec.Placement);
        (x, y) = (Fit(x, w), Fit(y, h));
        foreach (var shape in drawing.Place(x, y))
        {
            var props = (JsonObject)shape.Props.DeepClone();
            props["type"] = shape.Type;
            props["x"] = shape.X;
            props["y"] = shape.Y;
            if (shape.Type != "line") { props["width"] = shape.Width; props["height"] = shape.Height; }
            if (shape.Parent is not null) props["parentId"] = shape.Parent;
            props["z"] = _topZ = NextKey(_topZ);
            Emit(new JsonObject { ["op"] = "put", ["id"] = shape.Id, ["props"] = props });
            _created.Add(shape.Id);
        }
        _lastPlaced = (x, y, w, h);
    }

    /// <summary>
    /// What the model drew in its own coordinates, moved as a whole to the free spot nearest where it is wanted (as a
    /// component is), with canvas ids for the model's ids and the stacking order it was listed in.
    /// </summary>
    private void Place(PlaceObjects place)
    {
        var boxes = place.Objects.Select(o => ObjectPlacement.Bounds(o.Props)).ToList();
        var (left, top) = (boxes.Min(b => b.X1), boxes.Min(b => b.Y1));
        var (w, h) = (boxes.Max(b => b.X2) - left, boxes.Max(b => b.Y2) - top);
        var (x, y) = PlaceFor(w, h, placement: null);
        (x, y) = (Fit(x, w), Fit(y, h));
        var ids = place.Objects.ToDictionary(o => o.Id, _ => newId(), StringComparer.Ordinal);
        var placed = place.Objects.Select(item =>
        {
            var props = (JsonObject)item.Props.DeepClone();
            props["x"] = Math.Round(props["x"]!.GetValue<double>() - left + x, 2);
            props["y"] = Math.Round(props["y"]!.GetValue<double>() - top + y, 2);
            if (props["parentId"]?.GetValue<string>() is { } parent) props["parentId"] = ids[parent];
            props["z"] = _topZ = NextKey(_topZ);
            return (Id: ids[item.Id], Props: props);
        }).ToList();
        KeepDrawnTextReadable(placed);
        foreach (var (id, props) in placed)
        {
            Emit(new JsonObject { ["op"] = "put", ["id"] = id, ["props"] = props });
            _created.Add(id);
        }
        _lastPlaced = (x, y, w, h);
    }

    /// <summary>
    /// Every text drawn on a shape of a fixed colour reads on it at 4.5:1: a colour given is darkened or lightened just
    /// enough, a text left to the theme's ink gets the best of black and white, since the shape under it does not follow
    /// the viewer's theme. A text on the page alone keeps the theme's ink, which reads on both themes' canvas.
    /// </summary>
    private void KeepDrawnTextReadable(IReadOnlyList<(string Id, JsonObject Props)> placed)
    {
        var boxes = placed.Select(p =>
        {
            var (x1, y1, x2, y2) = ObjectPlacement.Bounds(p.Props);
            return new Contrast.Box(p.Id, p.Props["type"]!.GetValue<string>(), x1, y1, x2 - x1, y2 - y1, p.Props["fill"]?.GetValue<string>(), Num(p.Props, "opacity", 1));
        }).ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            if (boxes[i].Type != "text" || Contrast.BackgroundOf(boxes, i, page: "") is not { Length: > 0 } behind) continue;
            var given = boxes[i].Fill is { } fill ? Colors.NormalizeHex(fill) : null;
            var readable = given is null ? Contrast.BestOn(behind) : Contrast.Readable(given, behind);
            if (readable == given) continue;
            placed[i].Props["fill"] = readable;
            if (given is not null) _readable++;
        }
    }

    /// <summary>
    /// The free spot nearest to where the component is wanted: below the previous result of this command, else by the
    /// selection, else in the middle of the viewport, else below everything. Nothing new lands on what is there.
    /// </summary>
    private (double X, double Y) PlaceFor(double w, double h, string? placement)
    {
        var (x, y) = WantedSpot(w, h, placement);
        return FreeSpotNear(x, y, w, h);
    }

    private (double X, double Y) WantedSpot(double w, double h, string? placement)
    {
        if (_lastPlaced is { } last) return (last.X, last.Y + last.H + Gap);
        if (placement != "center" && Bounds(_selection) is { } sel)
            return placement == "right" ? (sel.X + sel.W + Gap, sel.Y) : (sel.X, sel.Y + sel.H + Gap);
        if (context.Viewport is { } v) return (Math.Round(v.X + (v.Width - w) / 2), Math.Round(v.Y + (v.Height - h) / 2));
        return Bounds(_objects.Keys.Where(id => Parent(id) is null)) is { } all ? (all.X, all.Y + all.H + Gap) : (100, 100);
    }

    /// <summary>How many of the objects nearest the wanted spot offer their edges as places to try.</summary>
    private const int NearbyObstacles = 40;

    /// <summary>
    /// The top-left corner nearest (<paramref name="x"/>, <paramref name="y"/>) where a w×h box keeps a gap from every
    /// object. The nearest free corner is the wanted one or lies against the gap of some object in x or in y, so the
    /// candidates are those edges (of the objects nearest the spot, which bounds the work on a full canvas), tried
    /// nearest first; below everything is always free.
    /// </summary>
    private (double X, double Y) FreeSpotNear(double x, double y, double w, double h)
    {
        // The region each object rules out for the box's corner: its bounds grown by the gap, and by the box's size up and left.
        var blocked = _objects.Keys.Select(id => Bounds([id])!.Value)
            .Select(b => (X1: b.X - Gap - w, Y1: b.Y - Gap - h, X2: b.X + b.W + Gap, Y2: b.Y + b.H + Gap)).ToList();
        bool Free(double cx, double cy) => !blocked.Any(b => cx > b.X1 && cx < b.X2 && cy > b.Y1 && cy < b.Y2);
        if (Free(x, y)) return (x, y);

        static double Distance(double from, double low, double high) => from < low ? low - from : from > high ? from - high : 0;
        var nearby = blocked.OrderBy(b => Math.Max(Distance(x, b.X1, b.X2), Distance(y, b.Y1, b.Y2))).Take(NearbyObstacles).ToList();
        var xs = nearby.SelectMany(b => new[] { b.X1, b.X2 }).Append(x).Distinct();
        var ys = nearby.SelectMany(b => new[] { b.Y1, b.Y2 }).Append(y).Distinct().ToList();
        foreach (var (cx, cy) in xs.SelectMany(cx => ys.Select(cy => (cx, cy))).OrderBy(c => Math.Pow(c.cx - x, 2) + Math.Pow(c.cy - y, 2)))
            if (Free(cx, cy)) return (cx, cy);
        return (x, blocked.Max(b => b.Y2));
    }

    /// <summary>
    /// The object a name or text in a request means ("the login box"): the one whose name or text shares the most words
    /// with it, a whole component before its parts. A text found stands for the box it is written on.
    /// </summary>
    private string? Find(string? label)
    {
        if (label is null) return null;
        var wanted = Words(label).Except(["box", "shape", "frame", "component", "screen", "page", "node", "one"]).ToHashSet();
        if (wanted.Count == 0) return null;
        var best = _objects
            .Select(o => (Id: o.Key, Score: Words(o.Value["name"]?.GetValue<string>() + " " + o.Value["text"]?.GetValue<string>()).Count(wanted.Contains)))
            .Where(c => c.Score > 0)
            .OrderByDescending(c => c.Score).ThenBy(c => Ancestors(c.Id).Count()).ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Id).FirstOrDefault();
        return best is not null && Type(best) == "text" && Parent(best) is { } frame ? frame : best;

        static IEnumerable<string> Words(string? text) =>
            Regex.Split((text ?? "").ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 1);
    }

    /// <summary>An arrow from one object's edge to the other's, across the larger gap between them.</summary>
    private void Connect(string from, string to)
    {
        var (a, b) = (Bounds([from])!.Value, Bounds([to])!.Value);
        var (acx, acy, bcx, bcy) = (a.X + a.W / 2, a.Y + a.H / 2, b.X + b.W / 2, b.Y + b.H / 2);
        var sideways = Math.Abs(bcx - acx) - (a.W + b.W) / 2 >= Math.Abs(bcy - acy) - (a.H + b.H) / 2;
        var (x1, y1, x2, y2) = sideways
            ? (bcx > acx ? a.X + a.W : a.X, acy, bcx > acx ? b.X : b.X + b.W, bcy)
            : (acx, bcy > acy ? a.Y + a.H : a.Y, bcx, bcy > acy ? b.Y : b.Y + b.H);
        var (x, y) = (Math.Min(x1, x2), Math.Min(y1, y2));
        var id = newId();
        Emit(new JsonObject
        {
            ["op"] = "put", ["id"] = id,
            ["props"] = new JsonObject
            {
                ["type"] = "arrow", ["x"] = Math.Round(x, 2), ["y"] = Math.Round(y, 2),
                ["points"] = new JsonArray(Math.Round(x1 - x, 2), Math.Round(y1 - y, 2), Math.Round(x2 - x, 2), Math.Round(y2 - y, 2)),
                ["stroke"] = Themes.Get(context.DefaultTheme).Text, ["strokeWidth"] = 2, ["z"] = _topZ = NextKey(_topZ),
            },
        });
        _created.Add(id);
    }

    private void Edit(StyleEdit edit)
    {
        foreach (var id in TopLevel(_selection))
        {
            if (edit.Scale is { } scale) ScaleSubtree(id, Math.Min(Math.Clamp(scale, 0.1, 10), FittingScale(id)));
            var accented = Subtree(id).Skip(1).Any(t => IsAccent(_objects[t]));
            foreach (var target in Subtree(id))
            {
                var obj = _objects[target];
                var type = Type(target);
                var props = new JsonObject();
                // A colour goes to what carries the colour of a component (its buttons, tracks, markers); a container keeps
                // its neutral surface unless it has no such parts (a plain shape) or the request names it ("the background").
                if (edit.Fill is { } fill && type is "rect" or "ellipse" or "frame" && (IsAccent(obj) || target == id && !accented))
                    props["fill"] = IsAccent(obj) ? Contrast.Legible(fill) : fill; // a label sits on an accent: it must be able to read
                if (edit.Background is { } background && target == id && type is "rect" or "ellipse" or "frame") props["fill"] = background;
                if (edit.Fill is { } textFill && type == "text" && target == id) props["fill"] = textFill;
                if (edit.TextColor is { } color && type == "text") props["fill"] = color;
                if (edit.Stroke is { } stroke && type is "rect" or "ellipse" or "frame" or "line" or "arrow" or "path") props["stroke"] = stroke;
                if (edit.CornerRadius is { } radius && type is "rect" or "frame") props["cornerRadius"] = Math.Clamp(radius, 0, 1000);
                if (edit.Opacity is { } opacity && target == id) props["opacity"] = Math.Clamp(opacity, 0, 1);
                if (edit.FontWeight is { } weight && type == "text") props["fontWeight"] = weight == "bold" ? 700 : 400;
                if (props.Count > 0) Emit(new JsonObject { ["op"] = "put", ["id"] = target, ["props"] = props });
            }
            KeepTextReadable(id);
        }
    }

    /// <summary>After a recolour, every text of the component reads at 4.5:1 on what is now behind it, whatever was asked.</summary>
    private void KeepTextReadable(string root)
    {
        var boxes = Subtree(root).OrderBy(t => _objects[t]["z"]?.GetValue<string>(), StringComparer.Ordinal)
            .Select(t => (Id: t, B: Bounds([t])!.Value, O: _objects[t]))
            .Select(t => new Contrast.Box(t.Id, Type(t.Id), t.B.X, t.B.Y, t.B.W, t.B.H, t.O["fill"]?.GetValue<string>(), Num(t.O, "opacity", 1)))
            .ToList();
        foreach (var (text, color) in Contrast.Fixes(boxes, Themes.Get(context.DefaultTheme).Background))
        {
            Emit(new JsonObject { ["op"] = "put", ["id"] = text, ["props"] = new JsonObject { ["fill"] = color } });
            _readable++;
        }
    }

    /// <summary>Coloured shapes of a component (buttons, tracks, markers): not the neutral surfaces and borders.</summary>
    private static bool IsAccent(JsonObject obj) =>
        obj["name"]?.GetValue<string>() is "button" or "selected" or "track" or "badge" or "active" || obj["type"]?.GetValue<string>() == "ellipse";

    private void ScaleSubtree(string id, double scale)
    {
        var root = _objects[id];
        var (ox, oy) = (Num(root, "x"), Num(root, "y"));
        foreach (var target in Subtree(id))
        {
            var obj = _objects[target];
            var props = new JsonObject
            {
                // Clamped too: the fitting scale keeps the box inside, rounding could still step a hundredth over.
                ["x"] = Math.Clamp(Math.Round(ox + (Num(obj, "x") - ox) * scale, 2), -ObjectSchema.MaxCoordinate, ObjectSchema.MaxCoordinate),
                ["y"] = Math.Clamp(Math.Round(oy + (Num(obj, "y") - oy) * scale, 2), -ObjectSchema.MaxCoordinate, ObjectSchema.MaxCoordinate),
            };
            if (obj["width"] is not null) props["width"] = Math.Round(Num(obj, "width") * scale, 2);
            if (obj["height"] is not null) props["height"] = Math.Round(Num(obj, "height") * scale, 2);
            if (obj["fontSize"] is not null || Type(target) == "text") props["fontSize"] = Math.Clamp(Math.Round(Num(obj, "fontSize", 16) * scale, 1), 1, 1000);
            if (obj["points"] is JsonArray points) props["points"] = new JsonArray(points.Select(p => (JsonNode?)Math.Round(p!.GetValue<double>() * scale, 2)).ToArray());
            Emit(new JsonObject { ["op"] = "put", ["id"] = target, ["props"] = props });
        }
    }

    private void Arrange(ArrangeSpec spec)
    {
        var items = TopLevel(_selection).Select(id => (Id: id, B: Bounds([id])!.Value)).ToList();
        if (items.Count < 2) return;
        var gap = Math.Clamp(spec.Gap ?? 24, 0, 1000);
        var horizontal = spec.Direction == "horizontal";
        var all = Bounds(items.Select(i => i.Id))!.Value;
        switch (spec.Layout)
        {
            case "grid":
            {
                var columns = Math.Clamp(spec.Columns ?? (int)Math.Ceiling(Math.Sqrt(items.Count)), 1, items.Count);
                var cellW = items.Max(i => i.B.W) + gap;
                var cellH = items.Max(i => i.B.H) + gap;
                for (var i = 0; i < items.Count; i++) MoveTo(items[i].Id, items[i].B, all.X + i % columns * cellW, all.Y + i / columns * cellH);
                break;
            }
            case "align":
                foreach (var (id, b) in items)
                {
                    var (x, y) = spec.Edge switch
                    {
                        "right" => (all.X + all.W - b.W, b.Y),
                        "center" => (all.X + (all.W - b.W) / 2, b.Y),
                        "top" => (b.X, all.Y),
                        "middle" => (b.X, all.Y + (all.H - b.H) / 2),
                        "bottom" => (b.X, all.Y + all.H - b.H),
                        _ => (all.X, b.Y),
                    };
                    MoveTo(id, b, x, y);
                }
                break;
            case "distribute":
            {
                var ordered = horizontal ? items.OrderBy(i => i.B.X).ToList() : items.OrderBy(i => i.B.Y).ToList();
                var free = horizontal ? all.W - ordered.Sum(i => i.B.W) : all.H - ordered.Sum(i => i.B.H);
                var step = free / (ordered.Count - 1);
                var at = horizontal ? all.X : all.Y;
                foreach (var (id, b) in ordered)
                {
                    MoveTo(id, b, horizontal ? at : b.X, horizontal ? b.Y : at);
                    at += (horizontal ? b.W : b.H) + step;
                }
                break;
            }
            default: // stack
            {
                var at = horizontal ? all.X : all.Y;
                foreach (var (id, b) in horizontal ? items.OrderBy(i => i.B.X) : items.OrderBy(i => i.B.Y))
                {
                    MoveTo(id, b, horizontal ? at : all.X, horizontal ? all.Y : at);
                    at += (horizontal ? b.W : b.H) + gap;
                }
                break;
            }
        }
    }

    private void Duplicate(int count)
    {
        var roots = TopLevel(_selection).ToList();
        var bounds = Bounds(roots);
        if (bounds is not { } b) return;
        var sources = roots.SelectMany(Subtree).ToList();
        CanvasState? drawn = null; // made when a copied connector leaves a shape behind
        for (var n = 1; n <= count; n++)
        {
            var dx = Fit(b.X + (b.W + 24) * n, b.W) - b.X;
            var ids = sources.ToDictionary(source => source, _ => newId(), StringComparer.Ordinal);
            foreach (var source in sources)
            {
                var copy = (JsonObject)_objects[source].DeepClone();
                var id = ids[source];
                copy["x"] = Math.Round(Num(copy, "x") + dx, 2);
                if (copy["parentId"]?.GetValue<string>() is { } parent) copy["parentId"] = ids.TryGetValue(parent, out var p) ? p : parent;
                // A copied connector stays bound to copies of its shapes; bound to a shape not copied, it is drawn where copied.
                foreach (var end in BindingEnds)
                {
                    if (copy[end] is not JsonObject binding) continue;
                    if (ids.TryGetValue(binding["id"]!.GetValue<string>(), out var to)) binding["id"] = to;
                    else
                    {
                        copy.Remove(end);
                        copy["points"] = PointsOf(drawn ??= Drawn(), source);
                    }
                }
                copy["z"] = _topZ = NextKey(_topZ);
                Emit(new JsonObject { ["op"] = "put", ["id"] = id, ["props"] = copy });
                _created.Add(id);
            }
        }
    }

    private static readonly string[] BindingEnds = ["startBinding", "endBinding"];

    /// <summary>
    /// Unbinds the connectors outside <paramref name="leaving"/> whose ends are bound to objects in it, writing their
    /// points as drawn (docs/protocol.md, "Connectors"): deleting a bound shape leaves the connector where it was seen.
    /// </summary>
    private void UnbindFrom(IReadOnlySet<string> leaving)
    {
        if (!_objects.Values.Any(o => BindingEnds.Any(o.ContainsKey))) return;
        var drawn = Drawn();
        foreach (var (id, obj) in drawn.Objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (leaving.Contains(id)) continue;
            var props = new JsonObject();
            foreach (var end in BindingEnds)
                if (obj.Properties.TryGetValue(end, out var value) && value.Kind == PropKind.Binding && leaving.Contains(value.AsBinding.Id)) props[end] = null;
            if (props.Count == 0 || Connectors.DrawnPoints(obj, drawn.Objects) is null) continue;
            props["points"] = PointsOf(drawn, id);
            Emit(new JsonObject { ["op"] = "put", ["id"] = id, ["props"] = props });
        }
    }

    /// <summary>The copy of the canvas as Core's replica, which draws connectors (<see cref="Connectors"/>).</summary>
    private CanvasState Drawn()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (id, obj) in _objects)
            {
                writer.WritePropertyName(id);
                obj.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return CanvasState.Read(document.RootElement);
    }

    private static JsonArray PointsOf(CanvasState drawn, string id) =>
        [.. Connectors.DrawnPoints(drawn.Objects[id], drawn.Objects)!.Select(p => (JsonNode?)p)];

    private void MoveTo(string id, (double X, double Y, double W, double H) b, double x, double y)
    {
        var (dx, dy) = (Fit(x, b.W) - b.X, Fit(y, b.H) - b.Y);
        if (Math.Abs(dx) < 0.01 && Math.Abs(dy) < 0.01) return;
        foreach (var target in Subtree(id))
        {
            var obj = _objects[target];
            Emit(new JsonObject
            {
                ["op"] = "put", ["id"] = target,
                ["props"] = new JsonObject { ["x"] = Math.Round(Num(obj, "x") + dx, 2), ["y"] = Math.Round(Num(obj, "y") + dy, 2) },
            });
        }
    }

    /// <summary>Records an op and what undoes it (against the objects as they are before it), then applies it to the copy.</summary>
    private void Emit(JsonObject op)
    {
        var id = op["id"]!.GetValue<string>();
        _objects.TryGetValue(id, out var before);
        if (op["op"]!.GetValue<string>() == "delete")
        {
            if (before is null) return;
            var subtree = Subtree(id).ToList();
            _undo.InsertRange(0, subtree.Select(x => new JsonObject { ["op"] = "put", ["id"] = x, ["props"] = _objects[x].DeepClone() }));
            foreach (var x in subtree) _objects.Remove(x);
        }
        else
        {
            var props = (JsonObject)op["props"]!;
            if (before is null)
            {
                _undo.Insert(0, new JsonObject { ["op"] = "delete", ["id"] = id });
                _objects[id] = (JsonObject)props.DeepClone();
            }
            else
            {
                var restore = new JsonObject();
                foreach (var (name, _) in props) if (name != "type") restore[name] = before[name]?.DeepClone();
                _undo.Insert(0, new JsonObject { ["op"] = "put", ["id"] = id, ["props"] = restore });
                foreach (var (name, value) in props) if (name != "type") before[name] = value?.DeepClone();
            }
        }
        _ops.Add(op);
    }

    /// <summary>The selected objects whose parent is not selected too (moving a frame moves what is inside it).</summary>
    private IEnumerable<string> TopLevel(IEnumerable<string> ids)
    {
        var set = ids.Where(_objects.ContainsKey).ToHashSet();
        return set.Where(id => !Ancestors(id).Any(set.Contains)).OrderBy(id => _objects[id]["z"]?.GetValue<string>(), StringComparer.Ordinal);
    }

    /// <summary>The object and everything inside it, parents first.</summary>
    private IEnumerable<string> Subtree(string id)
    {
        var result = new List<string> { id };
        for (var i = 0; i < result.Count; i++)
            result.AddRange(_objects.Where(o => o.Value["parentId"]?.GetValue<string>() == result[i]).Select(o => o.Key)
                .OrderBy(k => _objects[k]["z"]?.GetValue<string>(), StringComparer.Ordinal));
        return result;
    }

    private IEnumerable<string> Ancestors(string id)
    {
        var seen = new HashSet<string>();
        for (var p = Parent(id); p is not null && seen.Add(p); p = Parent(p)) yield return p;
    }

    private string? Parent(string id) => _objects.TryGetValue(id, out var o) ? o["parentId"]?.GetValue<string>() : null;

    private string Type(string id) => _objects[id]["type"]?.GetValue<string>() ?? "rect";

    private (double X, double Y, double W, double H)? Bounds(IEnumerable<string> ids)
    {
        double x1 = double.MaxValue, y1 = double.MaxValue, x2 = double.MinValue, y2 = double.MinValue;
        foreach (var id in ids)
        {
            if (!_objects.TryGetValue(id, out var o)) continue;
            var (x, y) = (Num(o, "x"), Num(o, "y"));
            var (w, h) = (Num(o, "width", 0), Num(o, "height", 0));
            if (o["points"] is JsonArray points && points.Count >= 2)
            {
                var xs = points.Where((_, i) => i % 2 == 0).Select(p => p!.GetValue<double>()).ToList();
                var ys = points.Where((_, i) => i % 2 == 1).Select(p => p!.GetValue<double>()).ToList();
                (w, h) = (xs.Max(), ys.Max());
            }
            (x1, y1, x2, y2) = (Math.Min(x1, x), Math.Min(y1, y), Math.Max(x2, x + w), Math.Max(y2, y + h));
        }
        return x1 == double.MaxValue ? null : (x1, y1, x2 - x1, y2 - y1);
    }

    /// <summary>
    /// Where something of <paramref name="size"/> may start, as near <paramref name="at"/> as the canvas allows: a
    /// viewport or a selection at the edge of the coordinate bounds must not place anything beyond them.
    /// </summary>
    private static double Fit(double at, double size) =>
        Math.Clamp(at, -ObjectSchema.MaxCoordinate, Math.Max(-ObjectSchema.MaxCoordinate, ObjectSchema.MaxCoordinate - size));

    /// <summary>The largest scale (about the object's own x and y) that keeps it and its contents within the bounds.</summary>
    private double FittingScale(string id)
    {
        var root = _objects[id];
        var (ox, oy) = (Num(root, "x"), Num(root, "y"));
        var b = Bounds(Subtree(id))!.Value;
        return Math.Min(Math.Min(Limit(ox, b.X + b.W), Limit(oy, b.Y + b.H)), ObjectSchema.MaxSize / Math.Max(1, Math.Max(b.W, b.H)));

        static double Limit(double origin, double far) =>
            far > origin ? (ObjectSchema.MaxCoordinate - origin) / (far - origin) : double.PositiveInfinity;
    }

    private static double Num(JsonObject obj, string name, double fallback = 0) =>
        obj[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : fallback;

    /// <summary>The next fractional-index key after <paramref name="key"/> (base 62, same length; grows only when every digit is at the top).</summary>
    public static string NextKey(string key)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var chars = key.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var d = digits.IndexOf(chars[i]);
            if (d < digits.Length - 1)
            {
                chars[i] = digits[d + 1];
                return new string(chars);
            }
            chars[i] = '0';
        }
        return key + "1";
    }
}
