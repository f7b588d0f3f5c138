using CollabCanvas.Server.Ai;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>The structure and geometry of every builder: one frame holding everything, text that fits and never overlaps, theme colours.</summary>
public class ComponentBuilderTests
{
    private static Drawing Draw(ComponentSpec spec, string theme = "light")
    {
        var n = 0;
        return ComponentCatalog.Draw(spec, Themes.Get(theme), () => $"o{n++}");
    }

    public static TheoryData<string, string> EveryComponentInEveryTheme()
    {
        var data = new TheoryData<string, string>();
        foreach (var component in ComponentCatalog.Names)
            foreach (var theme in Themes.All.Keys)
                data.Add(component, theme);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryComponentInEveryTheme))]
    public void A_component_is_one_root_holding_everything_with_text_that_fits_and_never_overlaps(string component, string theme)
    {
        var shapes = Draw(new ComponentSpec { Component = component }, theme).Shapes;
        var root = shapes[0];
        Assert.Null(root.Parent);
        // One shape (a loose text, box or arrow), or one frame holding everything, each part inside its own frame.
        if (shapes.Count > 1) Assert.Equal("frame", root.Type);
        var byId = shapes.ToDictionary(s => s.Id);
        Assert.All(shapes.Skip(1), s =>
        {
            var frame = byId[s.Parent ?? throw new Xunit.Sdk.XunitException($"{component}: {s.Type} has no parent")];
            Assert.Equal("frame", frame.Type);
            Assert.True(s.X >= frame.X - 0.5 && s.Y >= frame.Y - 0.5 && s.X + s.Width <= frame.X + frame.Width + 0.5 && s.Y + s.Height <= frame.Y + frame.Height + 0.5,
                $"{component}: {s.Type} \"{s.Props["text"]}\" at {s.X},{s.Y} {s.Width}x{s.Height} leaves the frame at {frame.X},{frame.Y} {frame.Width}x{frame.Height}");
        });
        var texts = shapes.Where(s => s.Type == "text").ToList();
        foreach (var a in texts)
        {
            // The box holds the text on one line.
            var text = a.Props["text"]!.GetValue<string>();
            var size = a.Props["fontSize"]!.GetValue<double>();
            Assert.True(a.Width >= Drawing.Measure(text, size) - 0.5, $"{component}: \"{text}\" does not fit its box");
            foreach (var b in texts.Where(t => t != a))
                Assert.False(a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height,
                    $"{component}: \"{text}\" overlaps \"{b.Props["text"]}\"");
        }
    }

    public static TheoryData<string> EveryComponent() => new(ComponentCatalog.Names);

    /// <summary>Accents from very light to very dark, and the brand colours people ask for.</summary>
    private static readonly string[] Accents = ["#fab005", "#ffffff", "#000000", "#1c2c5b", "#ff8800", "#38d9a9", "#e03131", "#7048e8"];

    [Theory]
    [MemberData(nameof(EveryComponent))]
    public void Every_text_reads_at_4_5_to_1_in_every_theme_and_with_every_accent(string component)
    {
        foreach (var theme in Themes.All.Keys)
            foreach (var accent in Accents.Prepend(null))
            {
                var shapes = Draw(new ComponentSpec { Component = component, Color = accent, Labels = ["Label"] }, theme).Shapes;
                var boxes = shapes.Select(s => new Contrast.Box(s.Id, s.Type, s.X, s.Y, s.Width, s.Height, s.Props["fill"]?.GetValue<string>())).ToList();
                for (var i = 0; i < boxes.Count; i++)
                {
                    if (boxes[i].Type != "text") continue;
                    var background = Contrast.BackgroundOf(boxes, i, Themes.Get(theme).Background);
                    var ratio = Contrast.Ratio(boxes[i].Fill!, background);
                    Assert.True(ratio >= Contrast.Minimum - 0.005,
                        $"{component} in {theme} with {accent ?? "no accent"}: \"{shapes[i].Props["text"]}\" {boxes[i].Fill} on {background} is {ratio:F2}:1");
                }
            }
    }

    [Theory]
    [MemberData(nameof(EveryComponent))]
    public void Recolouring_a_component_keeps_its_surface_and_every_text_readable(string component)
    {
        foreach (var colour in new[] { "#fab005", "#1971c2", "#ffffff", "#000000" })
        {
            var n = 0;
            var shapes = ComponentCatalog.Draw(new ComponentSpec { Component = component }, Themes.Get("light"), () => $"o{n++}").Place(0, 0);
            var canvas = shapes.Select((s, i) =>
            {
                var props = (System.Text.Json.Nodes.JsonObject)s.Props.DeepClone();
                props["type"] = s.Type; props["x"] = s.X; props["y"] = s.Y; props["width"] = s.Width; props["height"] = s.Height;
                props["z"] = $"V{i:D4}";
                if (s.Parent is not null) props["parentId"] = s.Parent;
                return (s.Id, Props: props);
            }).ToDictionary(p => p.Id, p => p.Props);
            var result = new PlanExecutor(new AiContext(canvas, [shapes[0].Id], null, "light"), () => $"n{n++}")
                .Run(new AiPlan([new EditSelection(new StyleEdit { Fill = colour })]));
            foreach (var op in result.Ops.Select(o => o!.AsObject()))
                foreach (var (name, value) in op["props"]!.AsObject()) canvas[op["id"]!.GetValue<string>()][name] = value?.DeepClone();
            Assert.Null(EvaluationTests.Structure(canvas));
            var hasAccents = shapes.Skip(1).Any(s => s.Props["name"]?.GetValue<string>() is "button" or "track" or "badge" or "selected" or "active" || s.Type == "ellipse");
            if (shapes[0].Type == "frame" && hasAccents)
                Assert.Equal(shapes[0].Props["fill"]!.GetValue<string>(), canvas[shapes[0].Id]["fill"]!.GetValue<string>());
        }
    }

    [Fact]
    public void A_login_form_has_a_title_two_labels_two_inputs_a_primary_button_and_a_link()
    {
        var theme = Themes.Get("dark");
        var shapes = Draw(new ComponentSpec { Component = "login_form" }, "dark").Shapes;
        Assert.True(shapes.Count >= 5);
        Assert.Equal(2, shapes.Count(s => s.Props["name"]?.GetValue<string>() == "input"));
        var button = Assert.Single(shapes, s => s.Props["name"]?.GetValue<string>() == "button");
        Assert.Equal(theme.Primary, button.Props["fill"]!.GetValue<string>());
        var texts = shapes.Where(s => s.Type == "text").Select(s => s.Props["text"]!.GetValue<string>()).ToList();
        Assert.Contains("Sign in", texts);
        Assert.Contains("Email", texts);
        Assert.Contains("Password", texts);
        Assert.Contains(texts, t => t.Contains("password?"));
        Assert.Equal(theme.Surface, shapes[0].Props["fill"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_pricing_table_has_as_many_tiers_as_asked_with_one_highlighted(int tiers)
    {
        var shapes = Draw(new ComponentSpec { Component = "pricing_table", Count = tiers }).Shapes;
        var cards = shapes.Where(s => s.Props["name"]?.GetValue<string>() == "tier").ToList();
        Assert.Equal(tiers, cards.Count);
        Assert.Equal(tiers > 1 ? 1 : 0, cards.Count(c => c.Props["stroke"]!.GetValue<string>() == Themes.Get("light").Primary));
        Assert.Equal(tiers, cards.Select(c => c.X).Distinct().Count()); // side by side
    }

    [Fact]
    public void A_table_has_a_header_and_rows_times_columns_cells()
    {
        var shapes = Draw(new ComponentSpec { Component = "table", Rows = 4, Columns = 3, Labels = ["Name", "Role", "Team"] }).Shapes;
        var texts = shapes.Where(s => s.Type == "text").ToList();
        Assert.Equal((4 + 1) * 3, texts.Count);
        Assert.Equal(["Name", "Role", "Team"], texts.Take(3).Select(t => t.Props["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Labels_count_and_a_long_label_widen_the_component_instead_of_overflowing()
    {
        var label = "A much longer label than any default";
        var button = Draw(new ComponentSpec { Component = "button", Labels = [label] }).Shapes;
        Assert.True(button[0].Width >= Drawing.Measure(label, 15, true));
        var tabs = Draw(new ComponentSpec { Component = "tabs", Labels = ["One", "Two", "Three", "Four", "Five"] }).Shapes;
        Assert.Equal(5, tabs.Count(s => s.Type == "text") - 1); // five tabs and the content line
    }

    [Fact]
    public void There_are_at_least_35_builders_each_with_a_description()
    {
        Assert.True(ComponentCatalog.All.Count >= 35, $"{ComponentCatalog.All.Count} builders");
        Assert.All(ComponentCatalog.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
        Assert.Equal(ComponentCatalog.Names.Count, ComponentCatalog.Names.Distinct().Count());
    }

    [Fact]
    public void A_page_layout_puts_its_parts_inside_its_frame()
    {
        var shapes = Draw(new ComponentSpec { Component = "landing_page", Parts = ["pricing_table"] }).Shapes;
        var page = shapes[0];
        var frames = shapes.Where(s => s.Type == "frame" && s.Parent == page.Id).Select(s => s.Props["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Navbar", "Hero", "Cards", "Pricing table", "Footer"], frames);
        var mobile = Draw(new ComponentSpec { Component = "mobile_screen" }).Shapes;
        Assert.Equal((390, 844), (mobile[0].Width, mobile[0].Height));
    }

    [Fact]
    public void A_colour_replaces_the_primary_colour_and_keeps_text_readable()
    {
        var shapes = Draw(new ComponentSpec { Component = "button", Color = "yellow" }).Shapes;
        var rect = Assert.Single(shapes, s => s.Props["name"]?.GetValue<string>() == "button");
        Assert.Equal(Colors.Named["yellow"], rect.Props["fill"]!.GetValue<string>());
        Assert.Equal("#111111", shapes.Single(s => s.Type == "text").Props["fill"]!.GetValue<string>()); // dark text on yellow, by contrast ratio
        var orange = Draw(new ComponentSpec { Component = "button", Color = "#ff8800" }).Shapes;
        Assert.Equal("#111111", orange.Single(s => s.Type == "text").Props["fill"]!.GetValue<string>()); // 7:1, where white gives 2.3:1
    }

    [Fact]
    public void Builders_are_deterministic()
    {
        var spec = new ComponentSpec { Component = "navbar", Count = 5, Theme = "ocean" };
        Assert.Equal(
            string.Join('\n', Draw(spec).Shapes.Select(s => s.ToString() + s.Props.ToJsonString())),
            string.Join('\n', Draw(spec).Shapes.Select(s => s.ToString() + s.Props.ToJsonString())));
    }
}

public class ToolCatalogTests
{
    [Fact]
    public void The_tools_schemas_come_from_the_plan_records_with_the_allowed_values()
    {
        var tools = CollabCanvas.Server.Ai.ToolCatalog.All.ToDictionary(t => t.Name);
        Assert.Equal(["arrange_selection", "create_component", "delete_selection", "duplicate_selection", "edit_selection", "place_objects", "refuse",
            "set_default_theme"],
            tools.Keys.Order());
        var create = tools["create_component"].Schema;
        Assert.Equal(CollabCanvas.Server.Ai.ComponentCatalog.Names, create["properties"]!["component"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("component", create["required"]![0]!.GetValue<string>());
        Assert.NotNull(create["properties"]!["labels"]);
        Assert.NotNull(tools["edit_selection"].Schema["properties"]!["cornerRadius"]);
    }

    [Fact]
    public void Place_objects_offers_the_canvas_props_and_nothing_else()
    {
        var tool = CollabCanvas.Server.Ai.ToolCatalog.All.Single(t => t.Name == "place_objects");
        var item = tool.Schema["properties"]!["objects"]!["items"]!;
        var offered = item["properties"]!.AsObject().Select(p => p.Key).Where(name => name != "id").ToList(); // the model's own id is extra
        // Core's props under Core's names, all but those the server decides (stacking, locking, hiding), the font family (the
        // theme's) and connector bindings and groups (they name canvas ids, which the model does not give).
        Assert.Equal(CollabCanvas.Core.Model.ObjectSchema.Props.Keys.Except(["z", "locked", "hidden", "fontFamily", "startBinding", "endBinding", "groupId"]).Order(),
            offered.Order());
        Assert.Equal(CollabCanvas.Server.Ai.ObjectPlacement.Types, item["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Subset(CollabCanvas.Core.Model.ObjectSchema.Types.ToHashSet(), CollabCanvas.Server.Ai.ObjectPlacement.Types.ToHashSet());
        Assert.False(item["additionalProperties"]!.GetValue<bool>());
    }
}
