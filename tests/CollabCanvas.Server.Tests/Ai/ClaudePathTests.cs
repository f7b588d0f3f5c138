using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>The Claude path against a local server that speaks the Anthropic Messages API.</summary>
public sealed class ClaudeFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-ant-test-0123456789abcdef-never-log-me";
    /// <summary>
    /// The command's time budget for Claude; the SDK keeps its default timeout (20 s) and retries (2). Ten seconds, not
    /// the default eight: on a loaded 2-core machine an answer the fake gives at once can take several seconds to arrive,
    /// and only the hung-API test is about the budget.
    /// </summary>
    public const int BudgetSeconds = 10;
    public FakeAnthropic Anthropic { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Anthropic = new FakeAnthropic();
        Server = await ServerProcess.StartAsync(null,
            ("Ai:Claude:ApiKey", ApiKey), ("Ai:Claude:BaseUrl", Anthropic.BaseUrl), 
            ("Ai:Claude:BudgetSeconds", BudgetSeconds.ToString()), ("Ai:CommandsPerHour", "100"),
            ("Logging:LogLevel:Default", "Debug"), ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"), ("Logging:LogLevel:System.Net.Http", "Debug"));
        // A fresh process's first command compiles the SDK's streaming path (and this process the fake's listener):
        // seconds on a loaded machine, which the tests' budget is not about. One command here pays for it.
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("refuse", new { message = "Warming up." })), TimeSpan.Zero);
        var canvas = await Server.CreateCanvasAsync("Warm-up");
        (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "warm up" })).Dispose();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

public class ClaudePathTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private ServerProcess Server => fixture.Server;
    private FakeAnthropic Anthropic => fixture.Anthropic;

    private async Task<JsonElement> RunAsync(string prompt, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var canvas = await Server.CreateCanvasAsync("Claude");
        var response = await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task A_tool_use_round_trip_drives_the_builders()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5",
            ("create_component", new { component = "login_form", theme = "dark", title = "Welcome back", labels = new[] { "Log in" } })), TimeSpan.Zero);
        var before = Anthropic.Requests.Count;
        var body = await RunAsync("create a login form in dark theme");
        Assert.Equal("claude", body.GetProperty("interpreter").GetString());
        Assert.True(body.GetProperty("created").GetArrayLength() >= 5);

        var (headers, request) = Anthropic.Requests[before];
        // The key travels in the SDK's authentication header (this SDK version: Authorization: Bearer), once...
        var carrying = Assert.Single(headers, h => h.Value.Contains(ClaudeFixture.ApiKey));
        Assert.Contains(carrying.Key, new[] { "authorization", "x-api-key" });
        Assert.DoesNotContain(ClaudeFixture.ApiKey, request.GetRawText()); // ...and nowhere else
        Assert.Equal("claude-haiku-4-5", request.GetProperty("model").GetString()); // a simple command: the small model
        var tools = request.GetProperty("tools").EnumerateArray().ToList();
        Assert.Contains(tools, t => t.GetProperty("name").GetString() == "create_component");
        var component = tools.Single(t => t.GetProperty("name").GetString() == "create_component").GetProperty("input_schema");
        Assert.Contains("pricing_table", component.GetProperty("properties").GetProperty("component").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("ephemeral", tools[^1].GetProperty("cache_control").GetProperty("type").GetString()); // tools cached
        Assert.Equal("ephemeral", request.GetProperty("system")[0].GetProperty("cache_control").GetProperty("type").GetString());
        Assert.Equal("any", request.GetProperty("tool_choice").GetProperty("type").GetString());
        // The context is small: the sentence and a summary, never the document.
        var message = request.GetProperty("messages")[0].GetProperty("content").GetRawText();
        Assert.Contains("create a login form", message);
        Assert.True(message.Length < 1000);
    }

    [Fact]
    public async Task A_complex_command_goes_to_the_larger_model()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-sonnet-4-5",
            ("create_component", new { component = "navbar" }), ("create_component", new { component = "hero" }),
            ("create_component", new { component = "footer" })), TimeSpan.Zero);
        var before = Anthropic.Requests.Count;
        var body = await RunAsync("a landing page: a navbar, a hero section and a footer in ocean theme");
        Assert.Equal("claude-sonnet-4-5", Anthropic.Requests[before].Body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("created").GetArrayLength() > 10);
    }

    [Fact]
    public async Task Malformed_tool_input_is_repaired_or_dropped()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5",
            ("create_component", new { component = "pricing", count = 99, theme = "neon", color = "not a colour", size = "enormous" }), // repaired
            ("create_component", new { component = "spaceship" }), // dropped
            ("teleport", new { where = "mars" }), // unknown tool: dropped
            ("create_component", new { component = 42 })), TimeSpan.Zero); // wrong type: dropped
        var body = await RunAsync("pricing");
        Assert.Equal("claude", body.GetProperty("interpreter").GetString());
        var canvasObjects = body.GetProperty("created").GetArrayLength();
        Assert.InRange(canvasObjects, 20, 400); // one pricing table, 12 tiers at most
    }

    [Fact]
    public async Task An_answer_with_no_usable_call_falls_back_to_the_parser()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "spaceship" })), TimeSpan.Zero);
        var body = await RunAsync("add a button");
        Assert.Equal("claude->builtin", body.GetProperty("interpreter").GetString());
        Assert.Equal("Claude's answer could not be used; the built-in parser answered instead.", body.GetProperty("note").GetString());
        Assert.True(body.GetProperty("created").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task A_request_neither_understands_says_that_claude_did_not_answer_it()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "spaceship" })), TimeSpan.Zero);
        var body = await RunAsync("order me a pizza", HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("Claude's answer could not be used; the built-in parser answered instead. I did not understand that.",
            body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unusable_answer_is_recorded_with_what_it_cost()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "spaceship" })), TimeSpan.Zero);
        var canvas = await Server.CreateCanvasAsync("Claude");
        var response = await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "add a button" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal("claude->builtin", body.GetProperty("interpreter").GetString());
        Assert.Equal("Claude's answer could not be used; the built-in parser answered instead.", body.GetProperty("note").GetString());
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        Assert.Contains(objects.EnumerateObject(), o => o.Value.TryGetProperty("text", out var text) && text.GetString() == "Button"); // the parser's

        // The answer was paid for (the fake's usage: 1,500 input tokens, 90 output, 1,400 read from the cache) though unused.
        Assert.Equal("claude->builtin", await CommandRowAsync(canvas, "interpreter"));
        Assert.Equal("claude-haiku-4-5", await CommandRowAsync(canvas, "model"));
        Assert.Equal(1500L, await CommandRowAsync(canvas, "input_tokens"));
        Assert.Equal(90L, await CommandRowAsync(canvas, "output_tokens"));
        Assert.True((double)(await CommandRowAsync(canvas, "cost_usd"))! > 0);
    }

    /// <summary>A card drawn freely: a frame, a rectangle and a text inside it, and an arrow beside it (model coordinates).</summary>
    private static object[] FreeDrawing(string fill) =>
    [
        new { id = "card", type = "frame", x = 100, y = 50, width = 300, height = 200, fill = "#ffffff", name = "Lamp card" },
        new { id = "photo", type = "rect", x = 116, y = 66, width = 268, height = 120, fill, cornerRadius = 8, parentId = "card" },
        new { id = "title", type = "text", x = 116, y = 200, width = 268, height = 24, text = "Desk lamp", fontSize = 18, fontWeight = 700, fill = "#1f2328", parentId = "card" },
        new { id = "next", type = "arrow", x = 400, y = 150, points = new[] { 0, 0, 80, 0 }, stroke = "#1f2328", strokeWidth = 2 },
    ];

    private async Task<(string Canvas, JsonElement Body)> PostAsync(string prompt, string? canvas = null)
    {
        canvas ??= await Server.CreateCanvasAsync("Claude");
        var response = await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (canvas, body);
    }

    private Task<object?> CommandRowAsync(string canvas, string column) =>
        Server.ScalarAsync($"SELECT {column} FROM ai_commands WHERE canvas_id = $canvas", ("$canvas", canvas));

    [Fact]
    public async Task Placed_objects_are_appended_as_one_batch_in_free_space()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("place_objects", new { objects = FreeDrawing("#dbeafe") })), TimeSpan.Zero);
        var (canvas, first) = await PostAsync("a card for a desk lamp with an arrow to the next one");
        Assert.Equal("claude", first.GetProperty("interpreter").GetString());
        Assert.Equal("Placed 4 objects", first.GetProperty("summary").GetString());
        var created = first.GetProperty("created").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(4, created.Count);
        Assert.Equal(1L, await Server.ScalarAsync("SELECT COUNT(*) FROM message_queue WHERE canvas_id = $canvas", ("$canvas", canvas)));

        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        var (frame, photo, title, arrow) = (objects.GetProperty(created[0]), objects.GetProperty(created[1]), objects.GetProperty(created[2]), objects.GetProperty(created[3]));
        Assert.Equal(["frame", "rect", "text", "arrow"], created.Select(id => objects.GetProperty(id).GetProperty("type").GetString()));
        // The drawing keeps its shape, wherever it lands; the model's ids became the canvas's.
        double X(JsonElement o) => o.GetProperty("x").GetDouble();
        double Y(JsonElement o) => o.GetProperty("y").GetDouble();
        Assert.Equal((16, 16), (X(photo) - X(frame), Y(photo) - Y(frame)));
        Assert.Equal((300, 100), (X(arrow) - X(frame), Y(arrow) - Y(frame)));
        Assert.Equal(created[0], photo.GetProperty("parentId").GetString());
        Assert.Equal(created[0], title.GetProperty("parentId").GetString());
        Assert.Equal("Desk lamp", title.GetProperty("text").GetString());
        Assert.Equal("#dbeafe", photo.GetProperty("fill").GetString());
        Assert.Equal([0, 0, 80, 0], arrow.GetProperty("points").EnumerateArray().Select(p => p.GetDouble()));

        // The same drawing again lands in free space, not on the first.
        var (_, second) = await PostAsync("another one", canvas);
        var secondFrame = (await Server.DocumentAsync(canvas)).GetProperty("objects").GetProperty(second.GetProperty("created")[0].GetString()!);
        var (ax, ay, bx, by) = (X(frame), Y(frame), X(secondFrame), Y(secondFrame));
        Assert.True(bx >= ax + 380 || by >= ay + 200 || bx + 380 <= ax || by + 200 <= ay, $"the second drawing at ({bx}, {by}) overlaps the first at ({ax}, {ay})");
    }

    [Fact]
    public async Task Placed_text_reads_on_the_shapes_drawn_under_it()
    {
        object[] drawing =
        [
            new { id = "banner", type = "rect", x = 0, y = 0, width = 300, height = 60, fill = "#ffd43b" },
            new { id = "white", type = "text", x = 16, y = 18, width = 268, height = 24, text = "Sale", fill = "#ffffff" }, // 1.4:1 on yellow
            new { id = "panel", type = "rect", x = 0, y = 80, width = 300, height = 60, fill = "#1e293b" },
            new { id = "ink", type = "text", x = 16, y = 98, width = 268, height = 24, text = "Details" }, // the theme's ink: dark in the light theme
            new { id = "loose", type = "text", x = 16, y = 160, width = 268, height = 24, text = "On the page" },
        ];
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("place_objects", new { objects = drawing })), TimeSpan.Zero);
        var (canvas, body) = await PostAsync("a yellow sale banner over a dark details panel");
        Assert.Equal("Placed 5 objects (recoloured 1 text to keep it readable)", body.GetProperty("summary").GetString());
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        JsonElement Made(int i) => objects.GetProperty(body.GetProperty("created")[i].GetString()!);

        var onYellow = Made(1).GetProperty("fill").GetString()!;
        Assert.True(CollabCanvas.Server.Ai.Contrast.Ratio(onYellow, "#ffd43b") >= 4.5, $"{onYellow} on #ffd43b");
        Assert.Equal("#ffffff", Made(3).GetProperty("fill").GetString()); // on the dark panel in every theme
        Assert.False(Made(4).TryGetProperty("fill", out _)); // the viewer's theme draws it in its ink
    }

    [Fact]
    public async Task An_invalid_placement_gets_one_repair_turn_with_the_errors()
    {
        var invalid = FreeDrawing("blue");
        invalid[2] = new { id = "title", type = "text", x = 116, y = 240, width = 268, height = 24, text = "Desk lamp", parentId = "card" }; // below the frame's end
        Anthropic.Answer = request => request.GetProperty("messages").GetArrayLength() == 1
            ? (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("place_objects", new { objects = invalid })), TimeSpan.Zero)
            : (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("place_objects", new { objects = FreeDrawing("#2563eb") })), TimeSpan.Zero);
        var before = Anthropic.Requests.Count;
        var (canvas, body) = await PostAsync("a card for a desk lamp");

        Assert.Equal("claude", body.GetProperty("interpreter").GetString());
        Assert.Equal(before + 2, Anthropic.Requests.Count);
        var repair = Anthropic.Requests[before + 1].Body;
        var messages = repair.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        Assert.Equal("place_objects", messages[1].GetProperty("content")[0].GetProperty("name").GetString());
        var result = messages[2].GetProperty("content")[0];
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal(messages[1].GetProperty("content")[0].GetProperty("id").GetString(), result.GetProperty("tool_use_id").GetString());
        Assert.True(result.GetProperty("is_error").GetBoolean());
        var errors = result.GetProperty("content").ValueKind == JsonValueKind.String
            ? result.GetProperty("content").GetString()! : result.GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal(
            "objects[1].fill: must be a color: #rgb, #rgba, #rrggbb, #rrggbbaa, transparent, auto or a palette color\n" +
            "objects[2]: lies outside its frame 'card' (x 116 to 384, y 240 to 264; the frame: x 100 to 400, y 50 to 250)", errors);
        // The repair turn is cached like the first: same tools, same system prompt.
        Assert.Equal("ephemeral", repair.GetProperty("tools")[repair.GetProperty("tools").GetArrayLength() - 1].GetProperty("cache_control").GetProperty("type").GetString());

        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        Assert.Equal(4, objects.EnumerateObject().Count());
        Assert.Equal("#2563eb", objects.GetProperty(body.GetProperty("created")[1].GetString()!).GetProperty("fill").GetString());
        Assert.Equal(3000L, await CommandRowAsync(canvas, "input_tokens")); // both calls paid for
    }

    [Fact]
    public async Task An_invalid_placement_twice_falls_back_to_the_parser()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("place_objects", new { objects = FreeDrawing("blue") })), TimeSpan.Zero);
        var before = Anthropic.Requests.Count;
        var (canvas, body) = await PostAsync("a blue square");

        Assert.Equal("claude->builtin", body.GetProperty("interpreter").GetString());
        Assert.Equal(before + 2, Anthropic.Requests.Count); // one repair turn, no more
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().ToList();
        Assert.Equal(body.GetProperty("created").EnumerateArray().Select(e => e.GetString()).Order(), objects.Select(o => o.Name).Order());
        Assert.DoesNotContain(objects, o => o.Value.TryGetProperty("name", out var name) && name.GetString() == "Lamp card");
        Assert.Equal(3000L, await CommandRowAsync(canvas, "input_tokens"));
        Assert.True((double)(await CommandRowAsync(canvas, "cost_usd"))! > 0);
    }

    [Theory]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(529, "overloaded_error")]
    public async Task An_error_from_the_api_falls_back_to_the_parser(int status, string type)
    {
        Anthropic.Answer = _ => (status, FakeAnthropic.Error(type, "try later"), TimeSpan.Zero);
        var body = await RunAsync("create a login form");
        Assert.Equal("claude->builtin", body.GetProperty("interpreter").GetString());
        Assert.Equal("Claude is unavailable right now; the built-in parser answered instead.", body.GetProperty("note").GetString());
        Assert.True(body.GetProperty("created").GetArrayLength() >= 5);
    }

    [Fact]
    public async Task A_hung_api_gets_the_parsers_answer_within_the_budget()
    {
        // A good answer, but a minute late: the SDK alone would wait 20 s per attempt, three attempts.
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "card" })), TimeSpan.FromSeconds(60));
        var canvas = await Server.CreateCanvasAsync("Claude");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a card" });
        var elapsed = watch.Elapsed;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());

        Assert.Equal("claude->builtin", body.GetProperty("interpreter").GetString());
        Assert.Equal($"Claude did not answer in {ClaudeFixture.BudgetSeconds} s; the built-in parser answered instead.", body.GetProperty("note").GetString());
        var document = await Server.DocumentAsync(canvas);
        Assert.All(body.GetProperty("created").EnumerateArray(), id => Assert.True(document.GetProperty("objects").TryGetProperty(id.GetString()!, out _)));
        Assert.NotEqual(0, body.GetProperty("created").GetArrayLength());
        // Bounds with room for a loaded machine: it waited for Claude, and far less than one SDK timeout (20 s).
        Assert.InRange(elapsed.TotalSeconds, ClaudeFixture.BudgetSeconds - 0.5, 19.5);
    }

    [Fact]
    public async Task A_refusal_from_the_model_reaches_the_user()
    {
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("refuse", new { message = "I only draw UI components." })), TimeSpan.Zero);
        var body = await RunAsync("order me a pizza", HttpStatusCode.UnprocessableEntity);
        Assert.Contains("I only draw UI components.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_api_key_is_never_logged()
    {
        Anthropic.Answer = _ => (500, FakeAnthropic.Error("api_error", "boom"), TimeSpan.Zero);
        await RunAsync("a button");
        Assert.Contains("Claude failed", Server.Output); // it did log the failure
        Assert.DoesNotContain(ClaudeFixture.ApiKey, Server.Output);
        Assert.DoesNotContain(ClaudeFixture.ApiKey[..20], Server.Output);
    }
}
