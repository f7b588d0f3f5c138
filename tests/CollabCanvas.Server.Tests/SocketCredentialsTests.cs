using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// A socket lives only as long as the sign-in or token behind it: tickets belong to the sign-in that minted them,
/// signing out and deleting the account close their sockets, and expired credentials close them too.
/// </summary>
public class SignInEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Signing_out_closes_the_sockets_its_tickets_opened_and_voids_its_unused_tickets()
    {
        var canvas = await Server.CreateCanvasAsync();
        var (signIn, _) = await Server.SignInAsync(ServerProcess.TestUser); // a second sign-in of the canvas's owner
        using var __ = signIn;
        var used = await Tickets.MintAsync(signIn);
        var unused = await Tickets.MintAsync(signIn);
        var otherSignInsTicket = await Tickets.MintAsync(Server.Http);
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, helloExtra: new() { ["ticket"] = used });
        Assert.Equal("owner", socket.Welcome.GetProperty("role").GetString());

        (await signIn.PostAsync("/auth/logout", null)).Dispose();
        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4401, (int?)socket.CloseStatus);
        Assert.Equal(4401, await Tickets.CloseCodeOfAsync(Server.BaseUri, canvas, unused));

        // The same user's other sign-in and its tickets are not touched.
        await using var other = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, helloExtra: new() { ["ticket"] = otherSignInsTicket });
        Assert.Equal("owner", other.Welcome.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Deleting_an_account_closes_its_cookie_and_ticket_sockets_with_4401_and_voids_its_tickets()
    {
        var canvas = await Server.CreateCanvasAsync();
        var cookies = await Server.MemberAsync(canvas, "Leaving");
        using var leaving = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Server.BaseUri };
        var used = await Tickets.MintAsync(leaving);
        var unused = await Tickets.MintAsync(leaving);
        await using var byCookie = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: cookies);
        await using var byTicket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, helloExtra: new() { ["ticket"] = used });

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { confirm = "delete my account" }) };
        Assert.Equal(HttpStatusCode.NoContent, (await leaving.SendAsync(delete)).StatusCode);
        await Task.WhenAll(byCookie.Closed, byTicket.Closed).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4401, (int?)byCookie.CloseStatus);
        Assert.Equal(4401, (int?)byTicket.CloseStatus);
        Assert.Equal(4401, await Tickets.CloseCodeOfAsync(Server.BaseUri, canvas, unused));
    }

    [Fact]
    public async Task Re_authenticating_with_a_ticket_moves_the_socket_to_the_sign_in_that_minted_it()
    {
        var canvas = await Server.CreateCanvasAsync();
        var (first, firstCookies) = await Server.SignInAsync(ServerProcess.TestUser);
        var (second, _) = await Server.SignInAsync(ServerProcess.TestUser);
        using var __ = first;
        using var ___ = second;
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: firstCookies);
        var expiresAt = await socket.NextAsync("auth");
        Assert.InRange(expiresAt.GetProperty("expiresInSeconds").GetInt64(), 13 * 86400, 14 * 86400); // the sign-in's 14 days

        await socket.SendJsonAsync(new { type = "auth", ticket = await Tickets.MintAsync(second) });
        await socket.NextAsync("auth");
        (await first.PostAsync("/auth/logout", null)).Dispose();
        // The socket rests on the second sign-in now: the first one's end is not its end.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await socket.SendJsonAsync(new { type = "ping" });
        await socket.NextAsync("pong");

        (await second.PostAsync("/auth/logout", null)).Dispose();
        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4401, (int?)socket.CloseStatus);
    }

    [Fact]
    public async Task A_cookie_socket_is_closed_with_4401_when_its_sign_in_expires()
    {
        var canvas = await Server.CreateCanvasAsync();
        var cookies = await Server.MemberAsync(canvas, "Expiring");
        // The sign-in ends a few seconds from now (as if it had been made SessionDays ago).
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeMilliseconds();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "collabcanvas.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA busy_timeout=5000;
                UPDATE auth_sessions SET expires_at = $expires WHERE user_id = (SELECT id FROM users WHERE email = 'expiring@example.test');
                """;
            command.Parameters.AddWithValue("$expires", expiresAt);
            await command.ExecuteNonQueryAsync();
        }
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, cookies: cookies);
        await socket.SendOpsAsync("r1", Batch.Rect("e", 1));
        await socket.AckAsync("r1");

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4401, (int?)socket.CloseStatus);
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt, "closed before the sign-in expired");
    }
}

/// <summary>A server that accepts bearer tokens from a real provider, with a clock skew of one second.</summary>
public sealed class BearerSocketFixture : OidcFixture
{
    public const int SkewSeconds = 1;

    protected override (string, string)[] MoreSettings => [("Auth:ClockSkewSeconds", SkewSeconds.ToString())];
}

public class BearerSocketTests(BearerSocketFixture fixture) : IClassFixture<BearerSocketFixture>
{
    private ServerProcess Server => fixture.Server;
    private OidcProvider Provider => fixture.Provider;

    /// <summary>A token of the provider for <paramref name="subject"/> that expires <paramref name="seconds"/> from now.</summary>
    private string Token(int seconds, string subject = "bearer-socket-subject", Action<Dictionary<string, object>>? change = null) =>
        Provider.MintToken(c =>
        {
            c["sub"] = subject;
            c["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seconds;
            change?.Invoke(c);
        });

    /// <summary>Long enough to connect and write on a loaded machine (the canvas is made with a long-lived token first).</summary>
    private const int ShortLifetime = 20;

    private static long Exp(string token) => ((DateTimeOffset)new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo).ToUnixTimeSeconds();

    private HttpClient Api(string token)
    {
        var api = new HttpClient { BaseAddress = Server.BaseUri };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    private async Task<string> CanvasAsync(string token)
    {
        using var api = Api(token);
        var created = await api.PostAsJsonAsync("/api/canvases", new { name = "Bearer" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private Task<CanvasClient> ConnectAsync(string canvas, string token) =>
        CanvasClient.ConnectAsync(Server.BaseUri, canvas, configure: o => o.SetRequestHeader("Authorization", "Bearer " + token));

    [Fact]
    public async Task A_bearer_socket_is_closed_with_4401_when_its_token_expires()
    {
        var canvas = await CanvasAsync(Token(300));
        var token = Token(ShortLifetime);
        await using var socket = await ConnectAsync(canvas, token);
        await socket.SendOpsAsync("r1", Batch.Rect("b", 1));

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4401, (int?)socket.CloseStatus);
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= Exp(token), "closed before the token expired");
        // It had been told when (right after its welcome), so that it could have re-authenticated in time; it wrote until then.
        Assert.InRange((await socket.NextAsync("auth")).GetProperty("expiresInSeconds").GetInt64(), 1, ShortLifetime + BearerSocketFixture.SkewSeconds);
        await socket.AckAsync("r1");
        using var api = Api(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/me")).StatusCode); // as REST says
    }

    [Fact]
    public async Task A_ticket_minted_with_a_bearer_token_ends_with_the_token()
    {
        var canvas = await CanvasAsync(Token(300));
        var token = Token(ShortLifetime);
        using var api = Api(token);
        var ticket = await Tickets.MintAsync(api);
        await using var socket = await CanvasClient.ConnectAsync(Server.BaseUri, canvas, helloExtra: new() { ["ticket"] = ticket });
        Assert.Equal("owner", socket.Welcome.GetProperty("role").GetString());

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4401, (int?)socket.CloseStatus);
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= Exp(token), "closed before the token expired");
    }

    [Fact]
    public async Task A_fresh_token_in_an_auth_message_keeps_a_bearer_socket_open_past_the_first_tokens_expiry()
    {
        var canvas = await CanvasAsync(Token(300));
        var first = Token(ShortLifetime);
        await using var socket = await ConnectAsync(canvas, first);
        await socket.NextAsync("auth");

        await socket.SendJsonAsync(new { type = "auth", token = Token(300) });
        Assert.InRange((await socket.NextAsync("auth")).GetProperty("expiresInSeconds").GetInt64(), 200, 300 + BearerSocketFixture.SkewSeconds);
        var wait = Exp(first) + BearerSocketFixture.SkewSeconds + 2 - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait));
        await socket.SendOpsAsync("after", Batch.Rect("b", 2));
        await socket.AckAsync("after");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    public static TheoryData<string> RefusedTokens => ["another user's token", "an expired token", "a token signed with an unknown key", "garbage"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task An_auth_message_with_a_token_it_cannot_accept_closes_the_socket_with_4401(string kind)
    {
        var token = Token(300);
        var canvas = await CanvasAsync(token);
        await using var socket = await ConnectAsync(canvas, token);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var refused = kind switch
        {
            "another user's token" => Token(300, "someone-else-subject"),
            "an expired token" => Token(-60, change: c => { c["iat"] = now - 120; c["nbf"] = now - 120; }),
            "a token signed with an unknown key" => Provider.MintToken(c => c["sub"] = "bearer-socket-subject", key: RSA.Create(2048), kid: "rogue"),
            _ => "not.a.token",
        };
        await socket.SendJsonAsync(new { type = "auth", token = refused });
        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4401, (int?)socket.CloseStatus);
    }
}
