using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>Everyone who may come to a canvas, signed in once per server.</summary>
public sealed class PeopleFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public Dictionary<string, (HttpClient Http, CookieContainer Cookies, string Email)> People { get; } = [];

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync();
        foreach (var name in new[] { "editor", "viewer", "stranger", "bystander" })
        {
            var email = $"{name}@example.test";
            var (http, cookies) = await Server.SignInAsync(email);
            People[name] = (http, cookies, email);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var person in People.Values) person.Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// The authorization matrix: stranger, viewer, editor, owner, link guests and anonymous callers, against every
/// REST endpoint and every WebSocket message type, one by one. Each REST case runs on a canvas of its own, so that
/// what one case changes cannot decide another.
/// </summary>
public class PermissionTests(PeopleFixture fixture) : IClassFixture<PeopleFixture>
{
    private ServerProcess Server => fixture.Server;

    private sealed record Setup(string Canvas, string ViewLink, string EditLink, string SpareLinkId, string BystanderId, string ViewerId,
        string InvitationId);

    private async Task<Setup> SetUpAsync()
    {
        var canvas = await Server.CreateCanvasAsync("Permissions");
        foreach (var (name, role) in new[] { ("editor", "editor"), ("viewer", "viewer"), ("bystander", "viewer") })
        {
            (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = fixture.People[name].Email, role })).EnsureSuccessStatusCode();
            (await fixture.People[name].Http.GetAsync($"/api/canvases/{canvas}")).EnsureSuccessStatusCode(); // coming to it accepts the invitation
        }
        var invitation = await (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "pending@example.test", role = "viewer" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var members = await Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/members");
        string IdOf(string name) => members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == fixture.People[name].Email)
            .GetProperty("userId").GetString()!;
        async Task<JsonElement> Link(string role) =>
            await (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role })).Content.ReadFromJsonAsync<JsonElement>();
        var view = await Link("viewer");
        var edit = await Link("editor");
        var spare = await Link("viewer");
        return new Setup(canvas, view.GetProperty("token").GetString()!, edit.GetProperty("token").GetString()!,
            spare.GetProperty("id").GetString()!, IdOf("bystander"), IdOf("viewer"), invitation.GetProperty("id").GetString()!);
    }

    /// <summary>An HTTP client acting as one caller: a member's cookie, or a link token in the header, or nothing.</summary>
    private HttpClient As(string caller, Setup setup)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        if (fixture.People.TryGetValue(caller, out var person)) handler.CookieContainer = person.Cookies;
        else if (caller == "owner") handler.CookieContainer = Server.Cookies;
        else handler.UseCookies = false;
        var http = new HttpClient(handler) { BaseAddress = Server.BaseUri };
        if (caller == "view-link") http.DefaultRequestHeaders.Add("X-Share-Link", setup.ViewLink);
        if (caller == "edit-link") http.DefaultRequestHeaders.Add("X-Share-Link", setup.EditLink);
        return http;
    }

    private static readonly string[] Callers = ["stranger", "viewer", "editor", "owner", "view-link", "edit-link", "anonymous"];
    // (declared before the matrix: static fields initialize in order)

    public static readonly TheoryData<string, string, int> RestCases = Matrix(
        //                                      stranger viewer editor owner view-link edit-link anonymous
        ("GET {c}",                              [404,    200,   200,   200,  200,      200,      401]),
        ("PATCH {c}",                            [404,    403,   200,   200,  403,      200,      401]),
        ("GET {c}/document",                     [404,    200,   200,   200,  200,      200,      401]),
        ("GET {c}/members",                      [404,    200,   200,   200,  200,      200,      401]),
        ("POST {c}/members",                     [404,    403,   403,   201,  403,      403,      401]),
        ("GET {c}/invitations",                  [404,    403,   403,   200,  403,      403,      401]),
        ("DELETE {c}/invitations/{invitation}",  [404,    403,   403,   204,  403,      403,      401]),
        ("PUT {c}/members/{bystander}",          [404,    403,   403,   200,  403,      403,      401]),
        ("DELETE {c}/members/{bystander}",       [404,    403,   403,   204,  403,      403,      401]),
        ("DELETE {c}/members/{viewer}",          [404,    204,   403,   204,  403,      403,      401]), // a viewer may leave
        ("GET {c}/links",                        [404,    403,   403,   200,  403,      403,      401]),
        ("POST {c}/links",                       [404,    403,   403,   201,  403,      403,      401]),
        ("DELETE {c}/links/{spare}",             [404,    403,   403,   204,  403,      403,      401]),
        ("DELETE {c}",                           [404,    403,   403,   204,  403,      403,      401]),
        // History: viewers see it by default, share links only when the owner allows it (HistoryTests).
        ("GET {c}/versions",                     [404,    200,   200,   200,  403,      403,      401]),
        ("POST {c}/versions",                    [404,    403,   201,   201,  403,      403,      401]),
        ("GET {c}/history/state?seq=0",          [404,    200,   200,   200,  403,      403,      401]),
        ("GET {c}/history/batches",              [404,    200,   200,   200,  403,      403,      401]),
        ("GET {c}/objects/box/history",          [404,    200,   200,   200,  403,      403,      401]),
        ("PUT {c}/history/settings",             [404,    403,   403,   200,  403,      403,      401]),
        ("POST /api/canvases",                   [201,    201,   201,   201,  401,      401,      401]));

    private static TheoryData<string, string, int> Matrix(params (string Endpoint, int[] Expected)[] rows)
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (endpoint, expected) in rows)
            for (var i = 0; i < Callers.Length; i++) data.Add(endpoint, Callers[i], expected[i]);
        return data;
    }

    [Theory]
    [MemberData(nameof(RestCases))]
    public async Task Rest_endpoint_answers_each_caller_as_its_role_allows(string endpoint, string caller, int expected)
    {
        var setup = await SetUpAsync();
        using var http = As(caller, setup);
        var parts = endpoint.Split(' ');
        var path = parts[1].Replace("{c}", $"/api/canvases/{setup.Canvas}").Replace("{bystander}", setup.BystanderId)
            .Replace("{viewer}", setup.ViewerId).Replace("{spare}", setup.SpareLinkId).Replace("{invitation}", setup.InvitationId);
        object? body = (parts[0], parts[1]) switch
        {
            ("PATCH", _) => new { name = "Renamed" },
            ("POST", "{c}/members") => new { email = fixture.People["stranger"].Email, role = "viewer" },
            ("PUT", "{c}/history/settings") => new { retentionDays = (double?)null, viewersSeeHistory = true, linksSeeHistory = false },
            ("PUT", _) => new { role = "editor" },
            ("POST", "{c}/versions") => new { name = "Before the review" },
            ("POST", "{c}/links") => new { role = "viewer" },
            ("POST", "/api/canvases") => new { name = "Mine" },
            _ => null,
        };
        var request = new HttpRequestMessage(new HttpMethod(parts[0]), path) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await http.SendAsync(request);
        Assert.True(expected == (int)response.StatusCode, $"{endpoint} as {caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task The_list_holds_only_the_callers_canvases_with_their_roles()
    {
        var setup = await SetUpAsync();
        JsonElement Entry(JsonElement list) => list.EnumerateArray().SingleOrDefault(c => c.GetProperty("id").GetString() == setup.Canvas);
        var asViewer = await fixture.People["viewer"].Http.GetFromJsonAsync<JsonElement>("/api/canvases");
        var asStranger = await fixture.People["stranger"].Http.GetFromJsonAsync<JsonElement>("/api/canvases");
        var asOwner = await Server.Http.GetFromJsonAsync<JsonElement>("/api/canvases");
        Assert.Equal("viewer", Entry(asViewer).GetProperty("role").GetString());
        Assert.Equal("owner", Entry(asOwner).GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Undefined, Entry(asStranger).ValueKind);
    }

    public static readonly TheoryData<string, string> SocketCases = new()
    {
        { "stranger", "closed 4403" },
        { "anonymous", "closed 4401" },
        { "revoked-link", "closed 4401" },
        { "viewer", "viewer" },
        { "view-link", "viewer" },
        { "editor", "editor" },
        { "edit-link", "editor" },
        { "owner", "owner" },
    };

    /// <summary>hello, then ops, presence and ping: what each caller's session may do.</summary>
    [Theory]
    [MemberData(nameof(SocketCases))]
    public async Task Socket_messages_are_allowed_as_the_callers_role_allows(string caller, string expected)
    {
        var setup = await SetUpAsync();
        var revoked = (await (await Server.Http.PostAsJsonAsync($"/api/canvases/{setup.Canvas}/links", new { role = "editor" }))
            .Content.ReadFromJsonAsync<JsonElement>());
        (await Server.Http.DeleteAsync($"/api/canvases/{setup.Canvas}/links/{revoked.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        var cookies = caller == "owner" ? Server.Cookies : fixture.People.TryGetValue(caller, out var person) ? person.Cookies : null;
        var link = caller switch
        {
            "view-link" => setup.ViewLink,
            "edit-link" => setup.EditLink,
            "revoked-link" => revoked.GetProperty("token").GetString(),
            _ => null,
        };
        await using var owner = await CanvasClient.ConnectAsync(Server, setup.Canvas, "owner");
        var client = await CanvasClient.ConnectAsync(Server.BaseUri, setup.Canvas, "Guest Gina", hello: false, cookies: cookies);
        await client.SendJsonAsync(new { type = "hello", client = client.ClientId, link, name = "Guest Gina" });

        if (expected.StartsWith("closed"))
        {
            await client.Closed.WaitAsync(Eventually.Ceiling);
            Assert.Equal(int.Parse(expected[7..]), (int?)client.CloseStatus);
            await client.DisposeAsync();
            return;
        }
        var welcome = await client.NextAsync("welcome");
        Assert.Equal(expected, welcome.GetProperty("role").GetString());
        if (link is not null && cookies is null)
            Assert.Equal("Guest Gina (guest)", welcome.GetProperty("user").GetProperty("name").GetString());

        await client.SendOpsAsync("r1", Batch.Rect("box", 10));
        if (expected == "viewer")
        {
            var error = await client.ErrorAsync("forbidden");
            Assert.Equal("r1", error.GetProperty("ref").GetString());
        }
        else
        {
            await client.AckAsync("r1");
            await owner.NextAsync("ops");
        }
        await client.SendJsonAsync(new { type = "presence", cursor = new { x = 1, y = 2 }, selection = Array.Empty<string>() });
        await owner.NextAsync("presence", m => m.GetProperty("session").GetString() == welcome.GetProperty("session").GetString());
        await client.SendJsonAsync(new { type = "ping" });
        await client.NextAsync("pong");
        Assert.Equal(WebSocketState.Open, client.State);
        await client.DisposeAsync();
    }
}
