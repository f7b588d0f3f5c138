using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>WebSocket authentication and access changes on open sockets: Origin, tickets, sign-out, role changes.</summary>
public class SessionSecurityTests(PeopleFixture fixture) : IClassFixture<PeopleFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_websocket_from_a_foreign_origin_is_refused_even_with_the_cookie()
    {
        var canvas = await Server.CreateCanvasAsync();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: Server.Cookies,
            configure: o => o.SetRequestHeader("Origin", "https://evil.example")));
        Assert.Contains("403", refused.Message);
        // The page's own origin (as the browser sends it) is fine.
        await using var own = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: Server.Cookies,
            configure: o => o.SetRequestHeader("Origin", Server.BaseUri.GetLeftPart(UriPartial.Authority)));
        Assert.Equal("owner", own.Welcome.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_cookie_authenticated_write_from_a_foreign_origin_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/canvases") { Content = JsonContent.Create(new { name = "csrf" }) };
        request.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_ticket_opens_one_socket_once()
    {
        var canvas = await Server.CreateCanvasAsync();
        var ticket = (await (await Server.Http.PostAsync("/api/ws-tickets", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("value").GetString()!;
        var extra = new Dictionary<string, object?> { ["ticket"] = ticket };
        await using var first = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, helloExtra: extra); // no cookie
        Assert.Equal("owner", first.Welcome.GetProperty("role").GetString());

        var again = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, hello: false);
        await again.SendJsonAsync(new { type = "hello", ticket });
        await again.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4401, (int?)again.CloseStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = Server.BaseUri }.PostAsync("/api/ws-tickets", null)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_closes_that_sign_ins_sockets_within_a_second()
    {
        var canvas = await Server.CreateCanvasAsync();
        var (http, cookies) = await Server.SignInAsync(fixture.People["editor"].Email);
        using var _ = http;
        (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = fixture.People["editor"].Email, role = "editor" })).EnsureSuccessStatusCode();
        await using var client = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: cookies);
        // Another sign-in of the same user stays open.
        await using var other = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: fixture.People["editor"].Cookies);

        // Within a second (bench/run.sh revoke measures the like); no time is asserted, a loaded machine is slower.
        // Nothing else would ever close these sockets, so their closing is the sign-out (the same below).
        await http.PostAsync("/auth/logout", null);
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4401, (int?)client.CloseStatus);
        await other.SendJsonAsync(new { type = "ping" });
        await other.NextAsync("pong");
    }

    [Fact]
    public async Task Losing_a_role_downgrades_or_closes_open_sockets_within_a_second()
    {
        var canvas = await Server.CreateCanvasAsync();
        var editor = fixture.People["editor"];
        (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = editor.Email, role = "editor" })).EnsureSuccessStatusCode();
        var userId = (await editor.Http.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        await using var client = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: editor.Cookies);

        (await Server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/members/{userId}", new { role = "viewer" })).EnsureSuccessStatusCode();
        var role = await client.NextAsync("role");
        Assert.Equal("viewer", role.GetProperty("role").GetString());
        await client.SendOpsAsync("r1", Batch.Rect("x", 1));
        Assert.Equal("r1", (await client.ErrorAsync("forbidden")).GetProperty("ref").GetString());

        (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/members/{userId}")).EnsureSuccessStatusCode();
        await client.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4403, (int?)client.CloseStatus);
    }

    [Fact]
    public async Task Revoking_a_link_closes_its_guests()
    {
        var canvas = await Server.CreateCanvasAsync();
        var link = await (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "editor" })).Content.ReadFromJsonAsync<JsonElement>();
        await using var guest = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, "Gus",
            helloExtra: new() { ["link"] = link.GetProperty("token").GetString() });
        Assert.Equal("editor", guest.Welcome.GetProperty("role").GetString());
        (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/links/{link.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();
        await guest.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4403, (int?)guest.CloseStatus);
    }

    [Fact]
    public async Task Secrets_never_reach_the_log()
    {
        // A server that logs everything ASP.NET Core and CollabCanvas say at Debug, requests included.
        await using var server = await ServerProcess.StartAsync(null, ("Logging:LogLevel:Default", "Debug"), ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"));
        var canvas = await server.CreateCanvasAsync();
        var cookie = server.Cookies.GetCookieHeader(server.BaseUri);
        var link = (await (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "viewer" })).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var ticket = (await (await server.Http.PostAsync("/api/ws-tickets", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("value").GetString()!;
        await using (await CanvasClient.ConnectAsync(server.BaseUri, canvas, helloExtra: new() { ["ticket"] = ticket })) { }
        await using (await CanvasClient.ConnectAsync(server.BaseUri, canvas, helloExtra: new() { ["link"] = link })) { }
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        anonymous.DefaultRequestHeaders.Add("X-Share-Link", link);
        (await anonymous.GetAsync($"/api/canvases/{canvas}")).EnsureSuccessStatusCode();
        await server.StopAsync();

        Assert.Contains("Request starting", server.Output); // it did log requests
        Assert.DoesNotContain(ServerProcess.TestPassword, server.Output);
        Assert.DoesNotContain(link, server.Output);
        Assert.DoesNotContain(ticket, server.Output);
        Assert.DoesNotContain(cookie.Split('=', 2)[1][..40], server.Output);
    }
}

public class AccountDeletionTests
{
    [Fact]
    public async Task Deleting_an_account_closes_its_sockets_removes_what_only_it_owned_and_opens_nothing()
    {
        await using var server = await ServerProcess.StartAsync();
        var (leaver, leaverCookies) = await server.SignInAsync("leaver@example.test");
        using var _ = leaver;
        async Task<string> Create(HttpClient http, string name) =>
            (await (await http.PostAsJsonAsync("/api/canvases", new { name })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var own = await Create(leaver, "only mine");
        var shared = await server.CreateCanvasAsync("shared");
        var theirs = (await server.Http.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        (await server.Http.PostAsJsonAsync($"/api/canvases/{shared}/members", new { email = "leaver@example.test", role = "owner" })).EnsureSuccessStatusCode();
        var link = await (await leaver.PostAsJsonAsync($"/api/canvases/{shared}/links", new { role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        await using var socket = await CanvasClient.ConnectAsync(server.BaseUri, shared, cookies: leaverCookies);
        await using var guest = await CanvasClient.ConnectAsync(server.BaseUri, shared, "Gil", helloExtra: new() { ["link"] = link.GetProperty("token").GetString() });

        using var unconfirmed = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { confirm = "yes" }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await leaver.SendAsync(unconfirmed)).StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { confirm = "delete my account" }) };
        Assert.Equal(HttpStatusCode.NoContent, (await leaver.SendAsync(delete)).StatusCode);
        await Task.WhenAll(socket.Closed, guest.Closed).WaitAsync(Eventually.Ceiling); // as promptly as a sign-out (above)
        Assert.Equal(4403, (int?)guest.CloseStatus); // the link it made went with it

        Assert.Equal(HttpStatusCode.Unauthorized, (await leaver.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = server.BaseUri }.PostAsJsonAsync("/auth/local/login",
            new { email = "leaver@example.test", password = ServerProcess.TestPassword })).StatusCode);
        // The canvas only it owned is gone (not left open to everyone); the shared one stays with its other owner.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/canvases/{own}")).StatusCode);
        var (stranger, _) = await server.SignInAsync("someone@example.test");
        using var __ = stranger;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/canvases/{shared}")).StatusCode);
        var members = await server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{shared}/members");
        Assert.Equal(theirs, Assert.Single(members.EnumerateArray()).GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Only_canvases_made_before_sign_in_are_open_to_every_signed_in_user()
    {
        await using var server = await ServerProcess.StartAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "collabcanvas.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // As migration 006 leaves them: the old canvas marked open, a canvas without members (no one) not.
            command.CommandText = """
                PRAGMA busy_timeout=5000;
                INSERT INTO canvases (id, name, created_at, updated_at, open_to_signed_in) VALUES ('oldcanvas', 'Before sign-in', 0, 0, 1);
                INSERT INTO canvases (id, name, created_at, updated_at) VALUES ('orphan', 'Nobody''s', 0, 0);
                """;
            await command.ExecuteNonQueryAsync();
        }
        var (someone, cookies) = await server.SignInAsync("someone@example.test");
        using var _ = someone;
        Assert.Equal("editor", (await someone.GetFromJsonAsync<JsonElement>("/api/canvases/oldcanvas")).GetProperty("role").GetString());
        Assert.Contains((await someone.GetFromJsonAsync<JsonElement>("/api/canvases")).EnumerateArray(), c => c.GetProperty("id").GetString() == "oldcanvas");
        Assert.Equal(HttpStatusCode.NotFound, (await someone.GetAsync("/api/canvases/orphan")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = server.BaseUri }.GetAsync("/api/canvases/oldcanvas")).StatusCode);
        await using var client = await CanvasClient.ConnectAsync(server.BaseUri, "oldcanvas", cookies: cookies);
        Assert.Equal("editor", client.Welcome.GetProperty("role").GetString());
    }
}
