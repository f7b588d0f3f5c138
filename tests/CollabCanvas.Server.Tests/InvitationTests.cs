using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Adding someone by email is an invitation: the answer is the same whether an account has the address or not,
/// the invitation becomes a membership when that account signs in or comes to the canvas, and the owner revokes it.
/// </summary>
public class InvitationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private Task<HttpResponseMessage> InviteAsync(string canvas, string email, string role = "editor") =>
        Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email, role });

    private async Task<JsonElement> InvitationsAsync(string canvas) =>
        await Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/invitations");

    private async Task<JsonElement> MembersAsync(string canvas) =>
        await Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/members");

    /// <summary>What an answer shows, with what must differ between two invitations (their id and time) taken out.</summary>
    private static async Task<string> ShapeAsync(HttpResponseMessage response, string email)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = body.EnumerateObject().Select(p => p.Name switch
        {
            "id" => $"id:{p.Value.GetString()!.Length} chars",
            "createdAt" => "createdAt:" + p.Value.ValueKind,
            "email" => "email:" + (p.Value.GetString() == email ? "as typed" : p.Value.GetString()),
            _ => $"{p.Name}:{p.Value}",
        });
        var headers = response.Headers.Concat(response.Content.Headers).Select(h => h.Key.ToLowerInvariant())
            .Where(h => h != "date").Order();
        var location = response.Headers.Location?.ToString().Replace(body.GetProperty("id").GetString()!, "{id}");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {location}\n{string.Join(", ", headers)}\n{string.Join(", ", fields)}";
    }

    [Fact]
    public async Task Inviting_an_address_with_an_account_answers_exactly_like_one_without()
    {
        var canvas = await Server.CreateCanvasAsync("Oracle");
        var (known, _) = await Server.SignInAsync("known.person@example.test");
        known.Dispose();

        var forKnown = await InviteAsync(canvas, "known.person@example.test");
        var forUnknown = await InviteAsync(canvas, "no.account@example.test");
        var forStranger = await InviteAsync(canvas, "someone@elsewhere.example");

        var shape = await ShapeAsync(forKnown, "known.person@example.test");
        Assert.Equal(shape, await ShapeAsync(forUnknown, "no.account@example.test"));
        Assert.Equal(shape, await ShapeAsync(forStranger, "someone@elsewhere.example"));
        Assert.StartsWith("201 application/json", shape);
        Assert.Contains("role:editor", shape);
        // Nobody became a member by being invited; the owner sees three pending addresses, alike.
        Assert.Single((await MembersAsync(canvas)).EnumerateArray());
        var pending = await InvitationsAsync(canvas);
        Assert.Equal(["known.person@example.test", "no.account@example.test", "someone@elsewhere.example"],
            pending.EnumerateArray().Select(i => i.GetProperty("email").GetString()).Order());
        Assert.Single(pending.EnumerateArray().Select(i => string.Join(",", i.EnumerateObject().Select(p => p.Name))).Distinct());
    }

    [Fact]
    public async Task An_invited_address_becomes_a_member_when_its_local_account_is_made_and_signs_in()
    {
        var canvas = await Server.CreateCanvasAsync("Welcome");
        (await InviteAsync(canvas, "  Newcomer@Example.test ", "viewer")).EnsureSuccessStatusCode();
        Assert.Equal("newcomer@example.test", Assert.Single((await InvitationsAsync(canvas)).EnumerateArray()).GetProperty("email").GetString());

        var (newcomer, _) = await Server.SignInAsync("newcomer@example.test");
        using var _ = newcomer;
        Assert.Equal("viewer", (await newcomer.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}")).GetProperty("role").GetString());
        Assert.Contains((await newcomer.GetFromJsonAsync<JsonElement>("/api/canvases")).EnumerateArray(), c => c.GetProperty("id").GetString() == canvas);
        Assert.Contains((await MembersAsync(canvas)).EnumerateArray(),
            m => m.GetProperty("email").GetString() == "newcomer@example.test" && m.GetProperty("role").GetString() == "viewer");
        Assert.Empty((await InvitationsAsync(canvas)).EnumerateArray());
    }

    [Fact]
    public async Task Someone_invited_while_signed_in_joins_when_they_open_the_canvas_or_its_socket()
    {
        var canvas = await Server.CreateCanvasAsync("Already here");
        var (rest, _) = await Server.SignInAsync("rest.user@example.test");
        var (_, socketCookies) = await Server.SignInAsync("socket.user@example.test");
        using var __ = rest;
        Assert.Equal(HttpStatusCode.NotFound, (await rest.GetAsync($"/api/canvases/{canvas}")).StatusCode);

        (await InviteAsync(canvas, "rest.user@example.test")).EnsureSuccessStatusCode();
        (await InviteAsync(canvas, "socket.user@example.test", "viewer")).EnsureSuccessStatusCode();
        Assert.Equal("editor", (await rest.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}")).GetProperty("role").GetString());
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: socketCookies);
        Assert.Equal("viewer", socket.Welcome.GetProperty("role").GetString());
        Assert.Empty((await InvitationsAsync(canvas)).EnumerateArray());
    }

    [Fact]
    public async Task Accepting_an_invitation_raises_the_role_of_a_socket_already_open_through_a_link()
    {
        var canvas = await Server.CreateCanvasAsync("Upgrade");
        var link = await (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        var (http, cookies) = await Server.SignInAsync("link.holder@example.test");
        using var _ = http;
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: cookies,
            helloExtra: new() { ["link"] = link.GetProperty("token").GetString() });
        Assert.Equal("viewer", socket.Welcome.GetProperty("role").GetString());

        (await InviteAsync(canvas, "link.holder@example.test", "editor")).EnsureSuccessStatusCode();
        (await http.GetAsync("/api/canvases")).EnsureSuccessStatusCode(); // the dashboard accepts it
        var role = await socket.NextAsync("role", timeoutMs: 30_000);
        Assert.Equal("editor", role.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_revoked_invitation_lets_nobody_in()
    {
        var canvas = await Server.CreateCanvasAsync("Changed my mind");
        var invitation = await (await InviteAsync(canvas, "revoked@example.test")).Content.ReadFromJsonAsync<JsonElement>();
        var id = invitation.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/invitations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.DeleteAsync($"/api/canvases/{canvas}/invitations/{id}")).StatusCode);
        Assert.Empty((await InvitationsAsync(canvas)).EnumerateArray());

        var (revoked, _) = await Server.SignInAsync("revoked@example.test");
        using var _ = revoked;
        Assert.Equal(HttpStatusCode.NotFound, (await revoked.GetAsync($"/api/canvases/{canvas}")).StatusCode);
        Assert.DoesNotContain((await revoked.GetFromJsonAsync<JsonElement>("/api/canvases")).EnumerateArray(), c => c.GetProperty("id").GetString() == canvas);
        Assert.Single((await MembersAsync(canvas)).EnumerateArray());
    }

    [Fact]
    public async Task Inviting_validates_the_address_and_refuses_a_current_members()
    {
        var canvas = await Server.CreateCanvasAsync("Validation");
        Assert.Equal(HttpStatusCode.BadRequest, (await InviteAsync(canvas, "not an address")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await InviteAsync(canvas, "a@b.example", "boss")).StatusCode);
        // The owner's own address is in the members list they see: saying it is a member's tells nothing new.
        var conflict = await InviteAsync(canvas, ServerProcess.TestUser.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        // Inviting again renews the one invitation with the new role.
        var first = await (await InviteAsync(canvas, "twice@example.test", "viewer")).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await InviteAsync(canvas, "twice@example.test", "editor")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal("editor", Assert.Single((await InvitationsAsync(canvas)).EnumerateArray()).GetProperty("role").GetString());
    }
}

public class InvitationLimitTests
{
    [Fact]
    public async Task Invitations_past_the_hourly_limit_of_a_user_answer_429_as_problem_json()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Auth:InvitationsPerHour", "3"));
        var canvas = await server.CreateCanvasAsync("Busy inviter");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members",
                new { email = $"guess{i}@example.test", role = "viewer" })).StatusCode);
        var refused = await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "guess3@example.test", role = "viewer" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal(3, (await server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/invitations")).GetArrayLength());

        // The limit is the user's: another owner invites on.
        var (other, _) = await server.SignInAsync("other.owner@example.test");
        using var _ = other;
        var theirs = (await (await other.PostAsJsonAsync("/api/canvases", new { name = "Theirs" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync($"/api/canvases/{theirs}/members", new { email = "guess0@example.test", role = "viewer" })).StatusCode);
    }
}
