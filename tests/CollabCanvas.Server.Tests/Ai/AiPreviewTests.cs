using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>A server on a local stand-in of the Messages API that streams; <paramref name="settings"/> add to its configuration.</summary>
public class StreamingClaudeFixture : IAsyncLifetime
{
    private readonly (string Key, string Value)[] _settings;
    public FakeAnthropic Anthropic { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;

    public StreamingClaudeFixture() : this([]) { }

    protected StreamingClaudeFixture(params (string Key, string Value)[] settings) => _settings = settings;

    public async Task InitializeAsync()
    {
        Anthropic = new FakeAnthropic();
        // A generous timeout: a test holds the stream half-way while it looks at what arrived.
        Server = await ServerProcess.StartAsync(null,
            [("Ai:Claude:ApiKey", ClaudeFixture.ApiKey), ("Ai:Claude:BaseUrl", Anthropic.BaseUrl), ("Ai:Claude:TimeoutSeconds", "120"),
             ("Ai:Claude:MaxRetries", "0"), ("Ai:CommandsPerHour", "1000"), .. _settings]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

/// <summary>Previews of commands that Claude answers: seen by the requester alone as they stream, applied by accepting.</summary>
public class AiPreviewTests(StreamingClaudeFixture fixture) : IClassFixture<StreamingClaudeFixture>
{
    private ServerProcess Server => fixture.Server;
    private FakeAnthropic Anthropic => fixture.Anthropic;

    /// <summary>A command asked for as a stream: the lines as they arrive.</summary>
    internal static async IAsyncEnumerable<JsonElement> StreamAsync(HttpClient http, string canvas, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/canvases/{canvas}/ai") { Content = JsonContent.Create(request) };
        message.Headers.Accept.ParseAdd("application/x-ndjson");
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.Length > 0) yield return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Runs a command to its end and returns the <c>ready</c> line (asserting that it ends so).</summary>
    private static async Task<JsonElement> ReadyAsync(HttpClient http, string canvas, object request)
    {
        JsonElement last = default;
        await foreach (var line in StreamAsync(http, canvas, request)) last = line;
        Assert.True(last.GetProperty("type").GetString() == "ready", last.ToString());
        return last;
    }

    private async Task<int> ObjectCountAsync(string canvas) =>
        (await Server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject().Count();

    private void AnswerWithTwoCards() => Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-sonnet-4-5",
        ("create_component", new { component = "card", title = "Lamp" }), ("create_component", new { component = "card", title = "Chair" })), TimeSpan.Zero);

    [Fact]
    public async Task A_streamed_answer_previews_the_first_tool_call_before_the_model_has_finished_and_appends_nothing()
    {
        var canvas = await Server.CreateCanvasAsync("Streaming");
        AnswerWithTwoCards();
        var secondCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Anthropic.BeforeToolCall = index => index == 1 ? secondCall.Task.WaitAsync(Eventually.Ceiling) : Task.CompletedTask;
        try
        {
            var finishedBefore = Anthropic.StreamsFinished;
            var lines = new List<JsonElement>();
            await foreach (var line in StreamAsync(Server.Http, canvas, new { prompt = "a card for a lamp and a card for a chair" }))
            {
                lines.Add(line);
                if (lines.Count == 1)
                {
                    // The model is held before its second tool call: the first one is already on its way to the requester...
                    Assert.Equal("preview", line.GetProperty("type").GetString());
                    Assert.Equal(finishedBefore, Anthropic.StreamsFinished);
                    var ops = line.GetProperty("ops").EnumerateArray().ToList();
                    Assert.NotEmpty(ops);
                    Assert.Contains(ops, op => op.GetProperty("props").TryGetProperty("text", out var text) && text.GetString() == "Lamp");
                    // ...and nobody else sees anything.
                    Assert.Equal(0, await ObjectCountAsync(canvas));
                    secondCall.SetResult();
                }
            }
            Assert.Equal(["preview", "preview", "ready"], lines.Select(l => l.GetProperty("type").GetString()));
            Assert.Contains(lines[1].GetProperty("ops").EnumerateArray(), op => op.GetProperty("props").TryGetProperty("text", out var t) && t.GetString() == "Chair");
            var ready = lines[2];
            Assert.Equal("claude", ready.GetProperty("interpreter").GetString());
            Assert.Equal("Made 2 cards", ready.GetProperty("summary").GetString());
            Assert.Equal(lines[0].GetProperty("ops").GetArrayLength() + lines[1].GetProperty("ops").GetArrayLength(), ready.GetProperty("objects").GetInt32());
            Assert.Equal(0, await ObjectCountAsync(canvas));
        }
        finally
        {
            Anthropic.BeforeToolCall = _ => Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Accepting_a_preview_appends_all_of_it_as_one_batch()
    {
        var canvas = await Server.CreateCanvasAsync("Accept");
        await using var watcher = await CanvasClient.ConnectAsync(Server, canvas, "Watcher", cookies: await Server.MemberAsync(canvas, "Watcher"));
        AnswerWithTwoCards();
        var ready = await ReadyAsync(Server.Http, canvas, new { prompt = "two cards" });
        Assert.Equal(0, await ObjectCountAsync(canvas));

        var response = await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{ready.GetProperty("command").GetString()}/accept", null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var created = body.GetProperty("created").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(ready.GetProperty("objects").GetInt32(), created.Count);
        Assert.Equal(created.Count, body.GetProperty("undo").GetArrayLength());
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        Assert.All(created, id => Assert.True(objects.TryGetProperty(id, out _), id));

        // Another session received it all in one batch, under the seq the answer gives.
        var batch = await watcher.NextAsync("ops");
        Assert.Equal(body.GetProperty("seq").GetInt64(), batch.GetProperty("seq").GetInt64());
        Assert.Equal(created.Count, batch.GetProperty("ops").GetArrayLength());

        // Accepted once: a second accept finds nothing.
        var again = await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{ready.GetProperty("command").GetString()}/accept", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(created.Count, await ObjectCountAsync(canvas));
    }

    [Fact]
    public async Task Discarding_a_preview_appends_nothing()
    {
        var canvas = await Server.CreateCanvasAsync("Discard");
        AnswerWithTwoCards();
        var command = (await ReadyAsync(Server.Http, canvas, new { prompt = "two cards" })).GetProperty("command").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/ai/{command}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{command}/accept", null)).StatusCode);
        Assert.Equal(0, await ObjectCountAsync(canvas));
    }

    [Fact]
    public async Task Another_user_cannot_accept_or_discard_someone_elses_preview()
    {
        var canvas = await Server.CreateCanvasAsync("Not yours");
        await Server.MemberAsync(canvas, "Mallory");
        var (mallory, _) = await Server.SignInAsync("mallory@example.test");
        using var _mallory = mallory;
        AnswerWithTwoCards();
        var command = (await ReadyAsync(Server.Http, canvas, new { prompt = "two cards" })).GetProperty("command").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await mallory.PostAsync($"/api/canvases/{canvas}/ai/{command}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mallory.DeleteAsync($"/api/canvases/{canvas}/ai/{command}")).StatusCode);
        Assert.Equal(0, await ObjectCountAsync(canvas));
        // Still the requester's to accept.
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{command}/accept", null)).StatusCode);
    }

    [Fact]
    public async Task A_requester_who_is_no_longer_an_editor_cannot_accept()
    {
        var canvas = await Server.CreateCanvasAsync("Demoted");
        await Server.MemberAsync(canvas, "Alice");
        var (alice, _) = await Server.SignInAsync("alice@example.test");
        using var _alice = alice;
        AnswerWithTwoCards();
        var command = (await ReadyAsync(alice, canvas, new { prompt = "two cards" })).GetProperty("command").GetString();

        var members = await Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/members");
        var aliceId = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == "alice@example.test").GetProperty("userId").GetString();
        (await Server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/members/{aliceId}", new { role = "viewer" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsync($"/api/canvases/{canvas}/ai/{command}/accept", null)).StatusCode);
        Assert.Equal(0, await ObjectCountAsync(canvas));
    }

    [Fact]
    public async Task Accepting_after_someone_changed_what_the_command_changes_is_a_conflict()
    {
        var canvas = await Server.CreateCanvasAsync("Conflict");
        await using var bob = await CanvasClient.ConnectAsync(Server, canvas, "Bob", cookies: await Server.MemberAsync(canvas, "Bob"));
        await bob.SendOpsAsync("r1", """[{"op":"put","id":"box","props":{"type":"rect","x":0,"y":0,"width":100,"height":80,"fill":"#cccccc"}}]""");
        await bob.AckAsync("r1");
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("edit_selection", new { fill = "#ff0000" })), TimeSpan.Zero);
        var command = (await ReadyAsync(Server.Http, canvas, new { prompt = "make it red", selection = new[] { "box" } })).GetProperty("command").GetString();

        await bob.SendOpsAsync("r2", """[{"op":"put","id":"box","props":{"fill":"#00aa00"}}]""");
        await bob.AckAsync("r2");
        var response = await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{command}/accept", null);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed an object this command changes since the preview", problem.GetProperty("detail").GetString());
        Assert.Equal("#00aa00", (await Server.DocumentAsync(canvas)).GetProperty("objects").GetProperty("box").GetProperty("fill").GetString());
    }

    [Fact]
    public async Task Accepting_after_someone_drew_where_the_preview_was_places_it_in_the_space_that_is_free_now()
    {
        var canvas = await Server.CreateCanvasAsync("Moved");
        var viewport = new { x = 0, y = 0, width = 1200, height = 800 };
        Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "card", title = "Lamp" })), TimeSpan.Zero);
        var lines = new List<JsonElement>();
        await foreach (var line in StreamAsync(Server.Http, canvas, new { prompt = "a card", viewport })) lines.Add(line);
        var previewed = lines[0].GetProperty("ops").EnumerateArray().Select(op => op.GetProperty("props")).ToList();
        var (x1, y1) = (previewed.Min(p => p.GetProperty("x").GetDouble()), previewed.Min(p => p.GetProperty("y").GetDouble()));

        // Someone draws a box over the whole spot the preview showed.
        await using var bob = await CanvasClient.ConnectAsync(Server, canvas, "Bob", cookies: await Server.MemberAsync(canvas, "Bob"));
        await bob.SendOpsAsync("r1", $$$"""[{"op":"put","id":"box","props":{"type":"rect","x":{{{x1 - 10}}},"y":{{{y1 - 10}}},"width":600,"height":600}}]""");
        await bob.AckAsync("r1");

        var response = await Server.Http.PostAsync($"/api/canvases/{canvas}/ai/{lines[^1].GetProperty("command").GetString()}/accept", null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        foreach (var id in body.GetProperty("created").EnumerateArray().Select(e => e.GetString()!))
        {
            var o = objects.GetProperty(id);
            var (x, y) = (o.GetProperty("x").GetDouble(), o.GetProperty("y").GetDouble());
            var (w, h) = (o.TryGetProperty("width", out var width) ? width.GetDouble() : 0, o.TryGetProperty("height", out var height) ? height.GetDouble() : 0);
            Assert.False(x < x1 - 10 + 600 && x + w > x1 - 10 && y < y1 - 10 + 600 && y + h > y1 - 10, $"{id} at ({x}, {y}) lies on the box drawn since the preview");
        }
    }

    [Fact]
    public async Task Without_asking_for_a_stream_a_claude_command_is_applied_at_once()
    {
        var canvas = await Server.CreateCanvasAsync("At once");
        AnswerWithTwoCards();
        var response = await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "two cards" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(body.GetProperty("created").GetArrayLength(), await ObjectCountAsync(canvas));
    }
}

public sealed class ShortPreviewFixture : StreamingClaudeFixture
{
    public ShortPreviewFixture() : base(("Ai:PreviewSeconds", "1")) { }
}

public class AiPreviewExpiryTests(ShortPreviewFixture fixture) : IClassFixture<ShortPreviewFixture>
{
    [Fact]
    public async Task A_preview_not_accepted_in_time_expires_and_appends_nothing()
    {
        var server = fixture.Server;
        var canvas = await server.CreateCanvasAsync("Expiry");
        fixture.Anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "card" })), TimeSpan.Zero);
        JsonElement last = default;
        await foreach (var line in AiPreviewTests.StreamAsync(server.Http, canvas, new { prompt = "a card" })) last = line;
        Assert.Equal(1, last.GetProperty("expiresInSeconds").GetInt32());

        // Waiting out the preview's lifetime (a lower bound: a slow machine only makes it later).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var response = await server.Http.PostAsync($"/api/canvases/{canvas}/ai/{last.GetProperty("command").GetString()}/accept", null);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
        Assert.Empty((await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
    }
}

public class AiPlanJsonTests
{
    /// <summary>A preview keeps its plan as JSON: an action type without a name there would fail only when previewed.</summary>
    [Fact]
    public void Every_kind_of_action_has_a_name_in_a_kept_plan()
    {
        var kinds = typeof(CollabCanvas.Server.Ai.AiAction).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(CollabCanvas.Server.Ai.AiAction)) && !t.IsAbstract).ToList();
        var named = typeof(CollabCanvas.Server.Ai.AiAction).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToList();
        Assert.NotEmpty(kinds);
        Assert.Empty(kinds.Except(named));
    }
}
