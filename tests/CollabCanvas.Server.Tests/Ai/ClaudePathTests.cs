using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>The Claude path against a local server that speaks the Anthropic Messages API.</summary>
public sealed class ClaudeFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-ant-test-0123456789abcdef-never-log-me";
    /// <summary>The command's time budget for Claude; the SDK keeps its default timeout (20 s) and retries (2).</summary>
    public const int BudgetSeconds = 3;
    public FakeAnthropic Anthropic { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Anthropic = new FakeAnthropic();
        Server = await ServerProcess.StartAsync(null,
            ("Ai:Claude:ApiKey", ApiKey), ("Ai:Claude:BaseUrl", Anthropic.BaseUrl), 
            ("Ai:Claude:BudgetSeconds", BudgetSeconds.ToString()), ("Ai:CommandsPerHour", "100"),
            ("Logging:LogLevel:Default", "Debug"), ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"), ("Logging:LogLevel:System.Net.Http", "Debug"));
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
        Assert.Equal("Claude's answer could not be used; the built-in parser made this.", body.GetProperty("note").GetString());
        Assert.True(body.GetProperty("created").GetArrayLength() >= 2);
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
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        Assert.Contains(objects.EnumerateObject(), o => o.Value.TryGetProperty("text", out var text) && text.GetString() == "Button"); // the parser's

        // The answer was paid for (the fake's usage: 1,500 input tokens, 90 output, 1,400 read from the cache) though unused.
        async Task<object?> Row(string column) =>
            await Server.ScalarAsync($"SELECT {column} FROM ai_commands WHERE canvas_id = $canvas", ("$canvas", canvas));
        Assert.Equal("claude->builtin", await Row("interpreter"));
        Assert.Equal("claude-haiku-4-5", await Row("model"));
        Assert.Equal(1500L, await Row("input_tokens"));
        Assert.Equal(90L, await Row("output_tokens"));
        Assert.True((double)(await Row("cost_usd"))! > 0);
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
        Assert.Equal("Claude is unavailable right now; the built-in parser made this.", body.GetProperty("note").GetString());
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
        Assert.Equal($"Claude did not answer in {ClaudeFixture.BudgetSeconds} s; the built-in parser made this.", body.GetProperty("note").GetString());
        var document = await Server.DocumentAsync(canvas);
        Assert.All(body.GetProperty("created").EnumerateArray(), id => Assert.True(document.GetProperty("objects").TryGetProperty(id.GetString()!, out _)));
        Assert.NotEqual(0, body.GetProperty("created").GetArrayLength());
        // Bounds with room for a loaded machine: it waited for Claude, and far less than one SDK timeout (20 s).
        Assert.InRange(elapsed.TotalSeconds, ClaudeFixture.BudgetSeconds - 0.5, 15);
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
