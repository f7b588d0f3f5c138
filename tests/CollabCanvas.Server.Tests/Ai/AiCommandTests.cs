using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Ai;

/// <summary>POST /api/canvases/{id}/ai against a real server: one batch for everyone, undo, permissions, limits, bad input.</summary>
public class AiCommandTests(PeopleFixture fixture) : IClassFixture<PeopleFixture>
{
    private ServerProcess Server => fixture.Server;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RunAsync(HttpClient http, string canvas, object request)
    {
        var response = await http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_command_appears_for_everyone_as_one_batch_and_its_undo_takes_all_of_it_back()
    {
        var canvas = await Server.CreateCanvasAsync("AI");
        await using var watcher = await CanvasClient.ConnectAsync(Server, canvas, "watcher");
        var (status, body) = await RunAsync(Server.Http, canvas,
            new { prompt = "create a login form in dark theme", viewport = new { x = 0, y = 0, width = 1200, height = 800 } });
        Assert.Equal(HttpStatusCode.OK, status);
        var created = body.GetProperty("created").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(created.Count >= 5);
        var seq = body.GetProperty("seq").GetInt64();
        Assert.Equal("builtin", body.GetProperty("interpreter").GetString());

        var batch = await watcher.NextAsync("ops", m => m.GetProperty("seq").GetInt64() == seq);
        Assert.Equal(created.Order(), batch.GetProperty("ops").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).Order());
        await watcher.WaitForSeqAsync(seq);
        Assert.Equal(created.Count, watcher.Replica.Count);
        var document = await Server.DocumentAsync(canvas);
        Assert.Equal(created.Order(), document.GetProperty("objects").EnumerateObject().Select(p => p.Name).Order());
        // Centred in the viewport, in the dark theme.
        var frame = document.GetProperty("objects").EnumerateObject().Single(p => p.Value.GetProperty("type").GetString() == "frame"
            && !p.Value.TryGetProperty("parentId", out _)).Value;
        Assert.Equal("#1f2228", frame.GetProperty("fill").GetString());
        Assert.InRange(frame.GetProperty("x").GetDouble() + frame.GetProperty("width").GetDouble() / 2, 590, 610);

        // The undo ops, sent as an ordinary batch, remove everything the command made.
        await watcher.SendOpsAsync("undo", body.GetProperty("undo").GetRawText());
        await watcher.WaitForAckOfAsync("undo");
        Assert.Equal(0, watcher.Replica.Count);
    }

    [Fact]
    public async Task Two_commands_in_a_row_do_not_overlap_and_the_second_lands_near_the_view()
    {
        var canvas = await Server.CreateCanvasAsync("AI placement");
        var viewport = new { x = 0, y = 0, width = 1200, height = 800 };
        var (_, form) = await RunAsync(Server.Http, canvas, new { prompt = "create a login form", viewport });
        var (status, table) = await RunAsync(Server.Http, canvas, new { prompt = "add a pricing table with 3 tiers", viewport });
        Assert.Equal(HttpStatusCode.OK, status);

        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        (double X1, double Y1, double X2, double Y2) Extent(JsonElement result)
        {
            var boxes = result.GetProperty("created").EnumerateArray().Select(id => objects.GetProperty(id.GetString()!)).Select(o =>
                (X: o.GetProperty("x").GetDouble(), Y: o.GetProperty("y").GetDouble(),
                 W: o.TryGetProperty("width", out var w) ? w.GetDouble() : 0, H: o.TryGetProperty("height", out var h) ? h.GetDouble() : 0)).ToList();
            return (boxes.Min(b => b.X), boxes.Min(b => b.Y), boxes.Max(b => b.X + b.W), boxes.Max(b => b.Y + b.H));
        }
        var (first, second) = (Extent(form), Extent(table));
        var overlap = first.X1 < second.X2 && second.X1 < first.X2 && first.Y1 < second.Y2 && second.Y1 < first.Y2;
        Assert.False(overlap, $"the pricing table {second} lies on the login form {first}");
        // Near the view: at least part of it is in view, so the editor has little to scroll.
        Assert.True(second.X1 < viewport.width && second.X2 > 0 && second.Y1 < viewport.height && second.Y2 > 0, $"{second} is far from the view");
    }

    [Fact]
    public async Task Edits_of_the_selection_change_only_the_selection()
    {
        var canvas = await Server.CreateCanvasAsync("AI edits");
        var (_, made) = await RunAsync(Server.Http, canvas, new { prompt = "two badges" });
        var (_, other) = await RunAsync(Server.Http, canvas, new { prompt = "a button" });
        var badges = made.GetProperty("created")[0].GetString();
        var (status, body) = await RunAsync(Server.Http, canvas, new { prompt = "make these purple and bigger", selection = new[] { badges } });
        Assert.Equal(HttpStatusCode.OK, status);
        var objects = (await Server.DocumentAsync(canvas)).GetProperty("objects");
        // The badges take the colour; their container keeps its neutral surface.
        Assert.Equal("#ffffff", objects.GetProperty(badges!).GetProperty("fill").GetString());
        var badgeShapes = objects.EnumerateObject().Where(o => o.Value.TryGetProperty("name", out var n) && n.GetString() == "badge").ToList();
        Assert.Equal(2, badgeShapes.Count);
        Assert.All(badgeShapes, b => Assert.Equal("#7048e8", b.Value.GetProperty("fill").GetString()));
        var button = other.GetProperty("created")[0].GetString()!;
        Assert.NotEqual("#7048e8", objects.GetProperty(button).GetProperty("fill").GetString());
        Assert.Empty(body.GetProperty("created").EnumerateArray());
    }

    [Fact]
    public async Task A_command_that_would_change_too_much_at_once_says_so()
    {
        var canvas = await Server.CreateCanvasAsync("AI too much");
        var (_, made) = await RunAsync(Server.Http, canvas, new { prompt = "a pricing table with 6 tiers" }); // ~60 objects
        var root = made.GetProperty("created")[0].GetString();
        var (status, body) = await RunAsync(Server.Http, canvas, new { prompt = "duplicate this 20 times", selection = new[] { root } });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("at most 1000", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Viewers_strangers_and_guests_cannot_run_commands()
    {
        var canvas = await Server.CreateCanvasAsync("AI permissions");
        (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = fixture.People["viewer"].Email, role = "viewer" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await RunAsync(fixture.People["viewer"].Http, canvas, new { prompt = "a button" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await RunAsync(fixture.People["stranger"].Http, canvas, new { prompt = "a button" })).Status);
        using var anonymous = new HttpClient { BaseAddress = Server.BaseUri };
        Assert.Equal(HttpStatusCode.Unauthorized, (await RunAsync(anonymous, canvas, new { prompt = "a button" })).Status);
    }

    [Theory]
    [InlineData("""{"prompt":""}""")]
    [InlineData("""{"prompt":"   "}""")]
    [InlineData("""{"prompt":5}""")]
    [InlineData("""{"prompt":"a button","selection":["not an id!"]}""")]
    [InlineData("""{"prompt":"a button","viewport":{"x":0,"y":0,"width":-5,"height":10}}""")]
    [InlineData("""{"prompt":"a button""")]
    public async Task Bad_input_gets_a_clear_400(string json)
    {
        var canvas = await Server.CreateCanvasAsync("AI bad input");
        var response = await Server.Http.PostAsync($"/api/canvases/{canvas}/ai", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_limit_is_refused()
    {
        var canvas = await Server.CreateCanvasAsync("AI long");
        var (status, body) = await RunAsync(Server.Http, canvas, new { prompt = new string('a', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("500", body.GetProperty("detail").GetString());
    }

    /// <summary>Signs in as someone with a quota of their own and gives them a new canvas.</summary>
    private async Task<(HttpClient Http, CookieContainer Cookies, string Canvas)> OwnCanvasAsync(string who)
    {
        var (http, cookies) = await Server.SignInAsync($"{who}@example.test");
        var created = await http.PostAsJsonAsync("/api/canvases", new { name = who });
        return (http, cookies, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> ObjectsAsync(HttpClient http, string canvas) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/document")).GetProperty("objects");

    private static void AssertInsideTheBounds(JsonElement objects)
    {
        foreach (var (id, o) in objects.EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            var (x, y) = (o.GetProperty("x").GetDouble(), o.GetProperty("y").GetDouble());
            Assert.InRange(x, -1e6, 1e6);
            Assert.InRange(y, -1e6, 1e6);
            if (o.TryGetProperty("width", out var width) && !o.TryGetProperty("parentId", out _)) Assert.InRange(x + width.GetDouble(), -1e6, 1e6);
            if (o.TryGetProperty("height", out var height) && !o.TryGetProperty("parentId", out _)) Assert.InRange(y + height.GetDouble(), -1e6, 1e6);
        }
    }

    [Theory]
    [InlineData(999_500, 999_800)]
    [InlineData(-1_000_900, -1_000_700)]
    [InlineData(5_000_000, -9_000_000)]
    public async Task A_command_with_a_viewport_at_the_edge_of_the_canvas_places_its_component_inside_the_bounds(double x, double y)
    {
        var (http, _, canvas) = await OwnCanvasAsync($"edge{Math.Sign(x)}{(int)Math.Log10(Math.Abs(x))}");
        using var signedIn = http;
        var (status, body) = await RunAsync(http, canvas, new { prompt = "create a login form", viewport = new { x, y, width = 1200, height = 800 } });
        Assert.Equal(HttpStatusCode.OK, status);
        var objects = await ObjectsAsync(http, canvas);
        Assert.Equal(body.GetProperty("created").GetArrayLength(), objects.EnumerateObject().Count());
        AssertInsideTheBounds(objects);
        // As near the viewport as the bounds allow: against the edge it was asked beyond.
        var frame = objects.EnumerateObject().Single(p => !p.Value.TryGetProperty("parentId", out _)).Value;
        var right = frame.GetProperty("x").GetDouble() + frame.GetProperty("width").GetDouble();
        if (x > 0) Assert.InRange(right, 1e6 - 1, 1e6);
        else Assert.Equal(-1e6, frame.GetProperty("x").GetDouble());
    }

    [Fact]
    public async Task Duplicating_moving_and_scaling_at_the_edge_of_the_canvas_stay_inside_the_bounds()
    {
        var (http, cookies, canvas) = await OwnCanvasAsync("edgework");
        using var signedIn = http;
        await using var client = await CanvasClient.ConnectAsync(Server, canvas, cookies: cookies);
        await client.SendOpsAsync("r", Batch.Of(
            Batch.Put("edge", new { type = "rect", x = 999_000, y = 999_000, width = 800, height = 600 }),
            Batch.Put("near", new { type = "rect", x = 990_000, y = 990_000, width = 100, height = 100 })));
        await client.AckAsync("r");
        foreach (var prompt in new[] { "duplicate this 3 times", "make these much bigger", "arrange them in a grid" })
        {
            var (status, body) = await RunAsync(http, canvas, new { prompt, selection = new[] { "edge", "near" } });
            Assert.True(status == HttpStatusCode.OK, $"{prompt}: {(int)status} {body}");
        }
        AssertInsideTheBounds(await ObjectsAsync(http, canvas));
    }

    [Fact]
    public async Task A_command_says_what_it_made_and_what_of_the_request_it_ignored()
    {
        var canvas = await Server.CreateCanvasAsync("AI summary");
        var (status, body) = await RunAsync(Server.Http, canvas, new { prompt = "three animated cards" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Made 3 cards; ignored 'animated'", body.GetProperty("summary").GetString());
        Assert.Equal(["animated"], body.GetProperty("ignored").EnumerateArray().Select(e => e.GetString()));
        var (tooMany, refusal) = await RunAsync(Server.Http, canvas, new { prompt = "300 buttons" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany);
        Assert.Contains("at most 8 buttons", refusal.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_command_it_cannot_do_is_refused_with_help_and_does_not_count()
    {
        var canvas = await Server.CreateCanvasAsync("AI refusal");
        var info = await Server.Http.GetFromJsonAsync<JsonElement>("/api/ai");
        var before = info.GetProperty("remaining").GetInt32();
        var (status, body) = await RunAsync(Server.Http, canvas, new { prompt = "order me a pizza" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("login form", body.GetProperty("detail").GetString());
        Assert.Equal(before, body.GetProperty("remaining").GetInt32());
    }
}

public class AiLimitTests
{
    [Fact]
    public async Task A_command_that_fails_costs_no_quota()
    {
        // A text limit below the labels the builders draw: every component command fails.
        await using var server = await ServerProcess.StartAsync(null, ("Realtime:MaxTextLength", "3"));
        var canvas = await server.CreateCanvasAsync("Fails");
        var before = (await server.Http.GetFromJsonAsync<JsonElement>("/api/ai")).GetProperty("remaining").GetInt32();
        for (var i = 0; i < 3; i++)
        {
            var response = await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a button" });
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal(before, (await server.Http.GetFromJsonAsync<JsonElement>("/api/ai")).GetProperty("remaining").GetInt32());
        }
        Assert.Empty((await server.DocumentAsync(canvas)).GetProperty("objects").EnumerateObject());
    }

    [Fact]
    public async Task The_hourly_limit_is_shared_by_two_instances_on_one_database()
    {
        var data = Directory.CreateTempSubdirectory("collabcanvas-ai-limit-").FullName;
        (string, string)[] settings = [("Backend:Provider", "SharedSqlite"), ("Ai:CommandsPerHour", "3")];
        await using var a = await ServerProcess.StartAsync(data, settings);
        await using var b = await ServerProcess.StartAsync(data, settings);
        var canvas = await a.CreateCanvasAsync("Limit");
        var statuses = new List<HttpStatusCode>();
        var remaining = new List<int>();
        foreach (var server in new[] { a, b, a, b })
        {
            var response = await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a badge" });
            statuses.Add(response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            remaining.Add(body.GetProperty("remaining").GetInt32());
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = int.Parse(response.Headers.GetValues("Retry-After").Single());
                Assert.InRange(wait, 3000, 3600);
            }
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal([2, 1, 0, 0], remaining);
        // And after a restart.
        await b.StopAsync();
        await using var c = await ServerProcess.StartAsync(data, settings);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await c.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a badge" })).StatusCode);
    }
}
