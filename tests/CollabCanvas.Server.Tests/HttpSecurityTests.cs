using System.Net;
using System.Net.Http.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Two servers: one as shipped (no proxy trusted) and one behind a proxy on loopback that it trusts, whose metrics
/// are for a network of scrapers or a token. Both allow 5 password-hashing requests per address and minute.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public const string MetricsToken = "a-scrapers-token-of-some-length";

    public ServerProcess Direct { get; private set; } = null!;
    public ServerProcess Proxied { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var direct = ServerProcess.StartAsync(null, ("Auth:SignInRequestsPerMinute", "5"));
        var proxied = ServerProcess.StartAsync(null, ("Auth:SignInRequestsPerMinute", "5"), ("Http:TrustedProxies:0", "127.0.0.1/32"),
            ("Metrics:AllowedNetworks:0", "10.0.0.0/8"), ("Metrics:Token", MetricsToken));
        (Direct, Proxied) = (await direct, await proxied);
    }

    public async Task DisposeAsync()
    {
        await Direct.DisposeAsync();
        await Proxied.DisposeAsync();
    }
}

public class HttpSecurityTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    private static HttpClient Client(ServerProcess server) => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = server.BaseUri,
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? forwardedFor = null, string? forwardedProto = null,
        string? host = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        if (host is not null) request.Headers.Host = host;
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_no_server_header()
    {
        using var http = Client(fixture.Direct);
        var index = await http.GetStringAsync("/");
        var script = System.Text.RegularExpressions.Regex.Match(index, "src=\"(/assets/[^\"]+)\"").Groups[1].Value;
        foreach (var path in new[] { "/", "/signin", "/c/abc123", script, "/api/me", "/auth/config", "/no-such-page" })
        {
            var response = await http.GetAsync(path);
            var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            foreach (var directive in new[]
                     {
                         "default-src 'self'", $"connect-src 'self' ws://{fixture.Direct.BaseUri.Authority}", "object-src 'none'",
                         "base-uri 'none'", "frame-ancestors 'none'",
                     })
                Assert.Contains(directive, csp);
            Assert.DoesNotContain("unsafe", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Empty(response.Headers.Server);
        }
    }

    [Fact]
    public async Task Hsts_is_sent_for_https_through_a_trusted_proxy_and_never_on_the_word_of_anyone_else()
    {
        using var proxied = Client(fixture.Proxied);
        var https = await SendAsync(proxied, "/", "203.0.113.5", "https", "collab.example");
        Assert.Equal("max-age=31536000", https.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Contains("connect-src 'self' wss://collab.example;", https.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False((await SendAsync(proxied, "/", "203.0.113.5", host: "collab.example")).Headers.Contains("Strict-Transport-Security"));

        using var direct = Client(fixture.Direct);
        Assert.False((await SendAsync(direct, "/", "203.0.113.5", "https", "collab.example")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_client_cannot_choose_the_address_its_requests_are_limited_by()
    {
        // Refused before any hashing (no such email), but counted: 5 a minute per address. Eleven requests span at
        // most two windows of a minute, so at most ten get through if they count against one address.
        async Task<List<HttpStatusCode>> Register(HttpClient http, Func<int, string> forwardedFor, int count)
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < count; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/local/register")
                {
                    Content = JsonContent.Create(new { email = "not an email", password = "long enough" }),
                };
                request.Headers.Add("X-Forwarded-For", forwardedFor(i));
                statuses.Add((await http.SendAsync(request)).StatusCode);
            }
            return statuses;
        }

        // The shipped server: a new forwarded address on every request changes nothing.
        using var direct = Client(fixture.Direct);
        Assert.Contains(HttpStatusCode.TooManyRequests, await Register(direct, i => $"198.51.100.{i + 1}", 11));

        // Behind a trusted proxy the address it names is the client's: each has its own allowance.
        using var proxied = Client(fixture.Proxied);
        Assert.Contains(HttpStatusCode.TooManyRequests, await Register(proxied, _ => "203.0.113.1", 11));
        Assert.Equal([HttpStatusCode.BadRequest], await Register(proxied, _ => "203.0.113.2", 1));
    }

    [Fact]
    public async Task Metrics_are_for_loopback_by_default_and_otherwise_for_the_listed_networks_or_the_token()
    {
        using var direct = Client(fixture.Direct);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(direct, "/metrics")).StatusCode);
        // Relayed by a proxy the server does not trust: not a local request, whatever address it names.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(direct, "/metrics", "127.0.0.1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(direct, "/openapi/v1.json")).StatusCode); // documented as public

        using var proxied = Client(fixture.Proxied);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxied, "/metrics")).StatusCode); // loopback is not listed here
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxied, "/metrics", "203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(proxied, "/metrics", "10.1.2.3")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(proxied, "/metrics", "203.0.113.9", bearer: "not-the-token-at-all")).StatusCode);
        var scraped = await SendAsync(proxied, "/metrics", "203.0.113.9", bearer: ProxyFixture.MetricsToken);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("collabcanvas_", await scraped.Content.ReadAsStringAsync());
    }
}
