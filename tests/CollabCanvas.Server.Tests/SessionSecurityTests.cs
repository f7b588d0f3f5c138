using System.Diagnostics;
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
        await again.Closed.WaitAsync(TimeSpan.FromSeconds(10));
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

        var watch = Stopwatch.StartNew();
        await http.PostAsync("/auth/logout", null);
        await client.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"closed after {watch.ElapsedMilliseconds} ms");
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

        var watch = Stopwatch.StartNew();
        (await Server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/members/{userId}", new { role = "viewer" })).EnsureSuccessStatusCode();
        var role = await client.NextAsync("role", timeoutMs: 5000);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"downgraded after {watch.ElapsedMilliseconds} ms");
        Assert.Equal("viewer", role.GetProperty("role").GetString());
        await client.SendOpsAsync("r1", Batch.Rect("x", 1));
        Assert.Equal("r1", (await client.ErrorAsync("forbidden")).GetProperty("ref").GetString());

        watch.Restart();
        (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/members/{userId}")).EnsureSuccessStatusCode();
        await client.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"closed after {watch.ElapsedMilliseconds} ms");
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
        await guest.Closed.WaitAsync(TimeSpan.FromSeconds(2));
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
