using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

public class RestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Canvases_can_be_created_listed_read_renamed_and_deleted()
    {
        var created = await Http.PostAsJsonAsync("/api/canvases", new { name = "  Roadmap  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var canvas = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = canvas.GetProperty("id").GetString()!;
        Assert.Equal("Roadmap", canvas.GetProperty("name").GetString());
        Assert.Equal($"/api/canvases/{id}", created.Headers.Location!.OriginalString);

        var list = await Http.GetFromJsonAsync<JsonElement>("/api/canvases");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        var renamed = await Http.PatchAsJsonAsync($"/api/canvases/{id}", new { name = "Roadmap 2027" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Roadmap 2027", (await Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{id}")).GetProperty("name").GetString());

        var document = await Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{id}/document");
        Assert.Equal(0, document.GetProperty("seq").GetInt64());
        Assert.Equal(JsonValueKind.Object, document.GetProperty("objects").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/canvases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/canvases/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_canvas_made_from_a_template_starts_with_its_objects_and_an_unknown_template_is_refused()
    {
        var templates = await Http.GetFromJsonAsync<JsonElement>("/api/templates");
        Assert.Equal(["flowchart", "moodboard", "wireframe"], templates.EnumerateArray().Select(t => t.GetProperty("id").GetString()).Order());

        var created = await Http.PostAsJsonAsync("/api/canvases", new { name = "Landing", template = "wireframe" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var objects = (await Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{id}/document")).GetProperty("objects");
        Assert.True(objects.EnumerateObject().Count() > 10);
        // Inside their frame, as the file says: the parents came first in the batch.
        var page = objects.EnumerateObject().Single(o => o.Value.GetProperty("type").GetString() == "frame").Name;
        Assert.All(objects.EnumerateObject().Where(o => o.Name != page), o => Assert.Equal(page, o.Value.GetProperty("parentId").GetString()));

        var unknown = await Http.PostAsJsonAsync("/api/canvases", new { name = "Nope", template = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("wireframe", await unknown.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{}""")]
    [InlineData("""{"name":"ok\u0007"}""")]
    public async Task Invalid_names_are_answered_with_a_validation_problem(string body)
    {
        var response = await Http.PostAsync("/api/canvases", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        var response = await Http.PostAsJsonAsync("/api/canvases", new { name = new string('x', 101) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"name":5}""")]
    [InlineData("[]")]
    public async Task Malformed_bodies_are_answered_with_a_problem(string body)
    {
        var response = await Http.PostAsync("/api/canvases", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    /// <summary>JSON allows an escaped lone surrogate, and bytes that are not UTF-8 can be sent anyway; .NET strings cannot hold either.</summary>
    [Theory]
    [InlineData("POST", "/api/canvases", """{"name":@}""")]
    [InlineData("PATCH", "/api/canvases/{id}", """{"name":@}""")]
    [InlineData("POST", "/api/canvases/{id}/ai", """{"prompt":@}""")]
    [InlineData("POST", "/api/canvases/{id}/ai", """{"prompt":"a button","selection":[@]}""")]
    [InlineData("POST", "/api/canvases/{id}/members", """{"email":@,"role":"editor"}""")]
    [InlineData("PUT", "/api/canvases/{id}/members/someone", """{"role":@}""")]
    [InlineData("POST", "/api/canvases/{id}/links", """{"role":@}""")]
    [InlineData("POST", "/auth/local/register", """{"email":"surrogate@example.test","password":"correct horse battery staple","name":@}""")]
    [InlineData("POST", "/auth/local/register", """{"email":@,"password":@}""")]
    [InlineData("POST", "/auth/local/login", """{"email":@,"password":"x"}""")]
    [InlineData("POST", "/auth/link", """{"password":@}""")]
    [InlineData("DELETE", "/api/me", """{"confirm":@}""")]
    public async Task Strings_that_are_not_Unicode_in_a_body_are_answered_with_400(string method, string path, string template)
    {
        var canvas = await fixture.Server.CreateCanvasAsync();
        foreach (var unreadable in new[] { "\"\\ud800\"", "\"x\\udc00y\"", "\"\\ud83d\\u0041\"" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", canvas))
            {
                Content = new StringContent(template.Replace("@", unreadable), Encoding.UTF8, "application/json"),
            };
            var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var invalidUtf8 = new ByteArrayContent(template.Split('@').Select(Encoding.UTF8.GetBytes)
            .Aggregate((before, after) => [.. before, (byte)'"', (byte)'a', 0xFF, (byte)'"', .. after]));
        invalidUtf8.Headers.ContentType = new("application/json");
        using var bytes = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", canvas)) { Content = invalidUtf8 };
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.SendAsync(bytes)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/canvases/nope")]
    [InlineData("GET", "/api/canvases/nope/document")]
    [InlineData("PATCH", "/api/canvases/nope")]
    [InlineData("DELETE", "/api/canvases/nope")]
    public async Task An_unknown_canvas_is_404_problem(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PATCH") request.Content = JsonContent.Create(new { name = "x" });
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_canvas_endpoints()
    {
        var openApi = await Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/canvases", out _));
        Assert.True(paths.TryGetProperty("/api/canvases/{id}/document", out _));
    }

    [Fact]
    public async Task Metrics_count_sessions_and_appended_batches()
    {
        var canvas = await fixture.Server.CreateCanvasAsync();
        await using var client = await CanvasClient.ConnectAsync(fixture.Server, canvas);
        await client.SendOpsAsync("m", Batch.Rect("m", 1));
        await client.AckAsync("m");
        var metrics = "";
        await Eventually.Until(async () => (metrics = await Http.GetStringAsync("/metrics")).Contains("collabcanvas_log_batches_appended"),
            "the appended batches in /metrics");
        Assert.Matches(@"collabcanvas_sessions(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("collabcanvas_log_commit_duration_milliseconds_bucket", metrics);
        Assert.Matches(@"collabcanvas_log_batches_appended_total(\{[^}]*\})? [1-9]", metrics);
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        Assert.Equal("Healthy", await Http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await Http.GetStringAsync("/readyz"));
    }
}
