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
    public void A_component_is_one_frame_holding_everything_with_text_that_fits_and_never_overlaps(string component, string theme)
    {
        var shapes = Draw(new ComponentSpec { Component = component }, theme).Shapes;
        var frame = shapes[0];
        Assert.Equal("frame", frame.Type);
        Assert.Null(frame.Parent);
        Assert.All(shapes.Skip(1), s => Assert.Equal(frame.Id, s.Parent));
        Assert.All(shapes.Skip(1), s =>
        {
            Assert.True(s.X >= -0.5 && s.Y >= -0.5 && s.X + s.Width <= frame.Width + 0.5 && s.Y + s.Height <= frame.Height + 0.5,
                $"{component}: {s.Type} \"{s.Props["text"]}\" at {s.X},{s.Y} {s.Width}x{s.Height} leaves the {frame.Width}x{frame.Height} frame");
        });
        var texts = shapes.Where(s => s.Type == "text").ToList();
        Assert.NotEmpty(texts);
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
        // Colours come from the theme.
        var palette = Themes.Get(theme);
        string[] roles = [palette.Background, palette.Surface, palette.Primary, palette.OnPrimary, palette.Text, palette.Muted, palette.Border];
        Assert.All(shapes, s =>
        {
            foreach (var prop in new[] { "fill", "stroke" })
                if (s.Props[prop]?.GetValue<string>() is { } color) Assert.Contains(color, roles);
        });
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
    public void A_colour_replaces_the_primary_colour_and_keeps_text_readable()
    {
        var shapes = Draw(new ComponentSpec { Component = "button", Color = "yellow" }).Shapes;
        var rect = Assert.Single(shapes, s => s.Props["name"]?.GetValue<string>() == "button");
        Assert.Equal(Colors.Named["yellow"], rect.Props["fill"]!.GetValue<string>());
        Assert.Equal("#111111", shapes.Single(s => s.Type == "text").Props["fill"]!.GetValue<string>()); // dark text on yellow
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
        Assert.Equal(["arrange_selection", "create_component", "delete_selection", "duplicate_selection", "edit_selection", "refuse", "set_default_theme"],
            tools.Keys.Order());
        var create = tools["create_component"].Schema;
        Assert.Equal(CollabCanvas.Server.Ai.ComponentCatalog.Names, create["properties"]!["component"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("component", create["required"]![0]!.GetValue<string>());
        Assert.NotNull(create["properties"]!["labels"]);
        Assert.NotNull(tools["edit_selection"].Schema["properties"]!["cornerRadius"]);
    }
}
