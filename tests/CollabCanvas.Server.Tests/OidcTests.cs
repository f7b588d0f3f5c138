using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace CollabCanvas.Server.Tests;

/// <summary>A CollabCanvas server configured with a real OpenID Provider (node-oidc-provider on loopback).</summary>
public class OidcFixture : IAsyncLifetime
{
    public OidcProvider Provider { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The server's settings besides those that configure the provider.</summary>
    protected virtual (string, string)[] MoreSettings => [];

    public async Task InitializeAsync()
    {
        var port = ServerProcess.FreePort();
        Provider = await OidcProvider.StartAsync(port);
        Server = await ServerProcess.StartAsync(null, port, [.. Provider.ServerSettings, .. MoreSettings]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public class OidcTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    private ServerProcess Server => fixture.Server;
    private OidcProvider Provider => fixture.Provider;

    private HttpClient Browser(bool follow = true) => Browser(Server.BaseUri, follow);

    /// <summary>A browser stand-in: keeps cookies for both hosts and follows redirects.</summary>
    internal static HttpClient Browser(Uri server, bool follow = true) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = follow, MaxAutomaticRedirections = 20 })
        {
            BaseAddress = server,
        };

    internal static async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser) =>
        await browser.GetAsync("/auth/login/test?returnUrl=/c/nowhere");

    [Fact]
    public async Task The_code_flow_with_pkce_signs_a_user_in_and_maps_them_by_issuer_and_subject()
    {
        await Provider.SetAccountAsync("carol-sub", "carol@idp.example", emailVerified: true, "Carol Provider");
        using var browser = Browser(follow: false);
        // Step through the redirects by hand to see the authorization request.
        var challenge = await browser.GetAsync("/auth/login/test?returnUrl=/c/nowhere");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(Provider.Issuer + "/auth?", authorize.ToString());
        // The request itself went to the provider over the back channel (pushed authorization request, with the
        // PKCE challenge and the client secret); the browser carries only its handle. The provider is set to refuse
        // any authorization without PKCE, so getting through below proves the code_verifier was sent.
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query.TrimStart('?'));
        Assert.Equal(OidcProvider.ClientId, query["client_id"]);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"]);
        Assert.Null(query["client_secret"]);

        var response = challenge;
        for (var hops = 0; response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found && hops < 20; hops++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await browser.GetAsync(next);
        }
        Assert.Equal("/c/nowhere", response.RequestMessage!.RequestUri!.AbsolutePath); // back where the user started
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("Carol Provider", me.GetProperty("name").GetString());
        Assert.Equal("carol@idp.example", me.GetProperty("email").GetString());

        // Signing in again reaches the same account.
        using var again = Browser();
        await SignInThroughProviderAsync(again);
        Assert.Equal(me.GetProperty("id").GetString(), (await again.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Sign_out_ends_the_local_session_and_the_providers()
    {
        await Provider.SetAccountAsync("dave-sub", "dave@idp.example", emailVerified: true, "Dave");
        using var browser = Browser(follow: false);
        var response = await browser.GetAsync("/auth/login/test");
        while (response.Headers.Location is { } location)
            response = await browser.GetAsync(new Uri(response.RequestMessage!.RequestUri!, location));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);

        var logout = await browser.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
        var endSession = logout.Headers.Location!;
        Assert.StartsWith(Provider.Issuer + "/session/end", endSession.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(endSession.Query);
        Assert.False(string.IsNullOrEmpty(query["id_token_hint"]));
        Assert.Equal($"{Server.BaseUri.GetLeftPart(UriPartial.Authority)}/auth/signed-out/test", query["post_logout_redirect_uri"]);

        // The provider asks to confirm; confirming ends its session and comes back to CollabCanvas's sign-in page.
        var page = await (await browser.GetAsync(endSession)).Content.ReadAsStringAsync();
        var action = Regex.Match(page, "action=\"([^\"]+)\"").Groups[1].Value;
        var fields = Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["logout"] = "yes";
        response = await browser.PostAsync(new Uri(new Uri(Provider.Issuer), action), new FormUrlEncodedContent(fields));
        while (response.Headers.Location is { } location)
            response = await browser.GetAsync(new Uri(response.RequestMessage!.RequestUri!, location));
        Assert.Equal("/signin", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_verified_email_of_a_local_account_links_only_with_that_accounts_password()
    {
        var (local, _) = await Server.SignInAsync("erin@idp.example");
        var localId = (await local.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        await Provider.SetAccountAsync("erin-sub", "erin@idp.example", emailVerified: true, "Erin");
        using var browser = Browser();
        var landed = await SignInThroughProviderAsync(browser);
        Assert.Equal("/signin", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode); // not signed in silently
        var config = await browser.GetFromJsonAsync<JsonElement>("/auth/config");
        Assert.Equal("erin@idp.example", config.GetProperty("pendingLink").GetProperty("email").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/auth/link", new { password = "not it" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsJsonAsync("/auth/link", new { password = ServerProcess.TestPassword })).StatusCode);
        Assert.Equal(localId, (await browser.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString());

        // From now on the provider identity goes straight to that account.
        using var later = Browser();
        await SignInThroughProviderAsync(later);
        Assert.Equal(localId, (await later.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString());
        local.Dispose();
    }

    [Fact]
    public async Task An_unverified_email_never_reaches_an_existing_account()
    {
        var (local, _) = await Server.SignInAsync("frank@idp.example");
        var localId = (await local.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        await Provider.SetAccountAsync("frank-sub", "frank@idp.example", emailVerified: false, "Frank Impostor");
        using var browser = Browser();
        await SignInThroughProviderAsync(browser);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.NotEqual(localId, me.GetProperty("id").GetString());
        local.Dispose();
    }

    [Fact]
    public async Task An_invitation_is_accepted_by_a_provider_sign_in_with_that_verified_email_only()
    {
        var canvas = await Server.CreateCanvasAsync("Invited through the provider");
        foreach (var email in new[] { "gina@idp.example", "hank@idp.example", "ivy@idp.example" })
            (await Server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email, role = "editor" })).EnsureSuccessStatusCode();

        // Verified at the provider: a member from the first sign-in.
        await Provider.SetAccountAsync("gina-sub", "GINA@idp.example", emailVerified: true, "Gina Provider");
        using var gina = Browser();
        await SignInThroughProviderAsync(gina);
        Assert.Equal("editor", (await gina.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}")).GetProperty("role").GetString());

        // Unverified: anyone could claim the address at some providers, so it opens nothing.
        await Provider.SetAccountAsync("hank-sub", "hank@idp.example", emailVerified: false, "Hank Unverified");
        using var hank = Browser();
        await SignInThroughProviderAsync(hank);
        Assert.Equal(HttpStatusCode.OK, (await hank.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hank.GetAsync($"/api/canvases/{canvas}")).StatusCode);

        // With a provider configured, a local account's address proves nothing (anyone may register any address).
        var (ivy, _) = await Server.SignInAsync("ivy@idp.example");
        using var _ = ivy;
        Assert.Equal(HttpStatusCode.NotFound, (await ivy.GetAsync($"/api/canvases/{canvas}")).StatusCode);

        var pending = await Server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{canvas}/invitations");
        Assert.Equal(["hank@idp.example", "ivy@idp.example"], pending.EnumerateArray().Select(i => i.GetProperty("email").GetString()).Order());
    }

    [Fact]
    public async Task A_valid_bearer_token_from_the_provider_is_accepted()
    {
        using var api = new HttpClient { BaseAddress = Server.BaseUri };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Provider.MintToken());
        var me = await api.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var created = await api.PostAsJsonAsync("/api/canvases", new { name = "From an API client" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // And on a WebSocket, in the upgrade's Authorization header.
        var canvas = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await using var client = await CanvasClient.ConnectAsync(Server.BaseUri, canvas,
            configure: o => o.SetRequestHeader("Authorization", "Bearer " + Provider.MintToken()));
        Assert.Equal("owner", client.Welcome.GetProperty("role").GetString());
    }

    public static TheoryData<string> BadTokens => new()
    {
        "alg none", "HS256 signed with the public key", "wrong issuer", "wrong audience", "expired", "not yet valid",
        "tampered payload", "unknown kid", "a token for another client", "garbage",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_bearer_token_is_refused(string kind)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = kind switch
        {
            "alg none" => Unsigned(Provider.MintToken()),
            "HS256 signed with the public key" => SignedWithPublicKeyAsSecret(),
            "wrong issuer" => Provider.MintToken(c => c["iss"] = "https://evil.example/"),
            "wrong audience" => Provider.MintToken(c => c["aud"] = "some-other-api"),
            "expired" => Provider.MintToken(c => { c["iat"] = now - 7200; c["nbf"] = now - 7200; c["exp"] = now - 3600; }),
            "not yet valid" => Provider.MintToken(c => { c["nbf"] = now + 3600; c["exp"] = now + 7200; }),
            "tampered payload" => Tampered(Provider.MintToken()),
            "unknown kid" => Provider.MintToken(key: RSA.Create(2048), kid: "rogue-key"),
            "a token for another client" => Provider.MintToken(c => { c["aud"] = "another-client"; c["azp"] = "another-client"; }),
            _ => "not.a.token",
        };
        using var api = new HttpClient { BaseAddress = Server.BaseUri };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsJsonAsync("/api/canvases", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Several_providers_are_several_buttons_each_with_its_own_connection()
    {
        var port = ServerProcess.FreePort();
        await using var provider = await OidcProvider.StartAsync(port, providerNames: ["test", "github"]);
        (string, string)[] github =
        [
            ("Auth:Providers:github:Authority", provider.Issuer), ("Auth:Providers:github:ClientId", OidcProvider.ClientId),
            ("Auth:Providers:github:ClientSecret", OidcProvider.ClientSecret), ("Auth:Providers:github:DisplayName", "GitHub"),
            ("Auth:Providers:github:Connection", "github"), ("Auth:Providers:github:RequireHttpsMetadata", "false"),
        ];
        await using var server = await ServerProcess.StartAsync(null, port, [.. provider.ServerSettings, .. github]);
        var config = await server.Http.GetFromJsonAsync<JsonElement>("/auth/config");
        Assert.Equal(["GitHub", "Test IdP"], config.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()).Order());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUri };
        var challenge = await browser.GetAsync("/auth/login/github");
        Assert.StartsWith(provider.Issuer + "/auth?", challenge.Headers.Location?.ToString() ?? $"{(int)challenge.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/auth/login/nosuch")).StatusCode);
    }

    [Fact]
    public async Task With_a_provider_configured_local_accounts_are_off_unless_turned_on()
    {
        await using var server = await ServerProcess.StartAsync(null,
            [.. Provider.ServerSettings.Where(s => s.Item1 != "Auth:LocalAccounts")]);
        var config = await server.Http.GetFromJsonAsync<JsonElement>("/auth/config");
        Assert.False(config.GetProperty("localAccounts").GetBoolean());
        Assert.Equal("Test IdP", config.GetProperty("providers")[0].GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.PostAsJsonAsync("/auth/local/login",
            new { email = ServerProcess.TestUser, password = ServerProcess.TestPassword })).StatusCode);
    }

    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return $"{header}.{parts[1]}.";
    }

    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var changed = payload.ToDictionary(p => p.Key, p => (object)p.Value);
        changed["sub"] = "someone-else";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(changed))}.{parts[2]}";
    }

    /// <summary>The classic confusion attack: HMAC with the RSA public key (which anyone can fetch) as the secret.</summary>
    private string SignedWithPublicKeyAsSecret()
    {
        var publicPem = Provider.Keys[0].Key.ExportSubjectPublicKeyInfoPem();
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicPem)) { KeyId = Provider.Keys[0].Kid };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = JsonSerializer.Serialize(new { iss = Provider.Issuer, aud = OidcProvider.Audience, sub = "x", iat = now, nbf = now, exp = now + 300 });
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(claims, new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
    }
}

/// <summary>Key rotations change what the server has cached, so each test has a provider and a server of its own.</summary>
public class OidcKeyRotationTests
{
    [Fact]
    public async Task The_first_browser_sign_in_and_the_first_bearer_token_after_a_key_rotation_succeed()
    {
        var port = ServerProcess.FreePort();
        await using var provider = await OidcProvider.StartAsync(port);
        await using var server = await ServerProcess.StartAsync(null, port, provider.ServerSettings);
        await provider.SetAccountAsync("rita-sub", "rita@idp.example", emailVerified: true, "Rita Rotation");
        async Task<string?> SignInAsync()
        {
            using var browser = OidcTests.Browser(server.BaseUri);
            var landed = await OidcTests.SignInThroughProviderAsync(browser);
            Assert.Equal("/c/nowhere", landed.RequestMessage!.RequestUri!.PathAndQuery); // not /signin?error=provider
            return (await browser.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        }
        using var api = new HttpClient { BaseAddress = server.BaseUri };
        var rita = await SignInAsync(); // the server now holds the provider's keys

        // A new signing key, the old one still published: the id token of the next sign-in names a kid the server
        // has never seen.
        await provider.RotateKeysAsync([("key-2", RSA.Create(2048)), provider.Keys[0]]);
        Assert.Equal(rita, await SignInAsync());
        Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken()));

        // Keys are fetched again at most once per KeyRefreshSeconds (1 s in tests); waiting longer is harmless.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await provider.RotateKeysAsync([("key-3", RSA.Create(2048)), provider.Keys[0]]);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken())); // this time an API client meets the new key first
        Assert.Equal(rita, await SignInAsync());
    }

    [Fact]
    public async Task A_key_rotation_at_the_provider_is_picked_up_without_a_restart_and_the_last_keys_survive_an_outage()
    {
        var port = ServerProcess.FreePort();
        var provider = await OidcProvider.StartAsync(port);
        await using var server = await ServerProcess.StartAsync(null, port, provider.ServerSettings);
        using var api = new HttpClient { BaseAddress = server.BaseUri };
        try
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken()));

            // The provider is down for a moment: the keys the server already has still validate.
            var keys = provider.Keys;
            await provider.DisposeAsync();
            Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken()));

            // It comes back with a new signing key (the old one still published, as in a real rotation).
            var rotated = RSA.Create(2048);
            provider = await provider.RestartAsync([("key-2", rotated), keys[0]]);
            Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken(key: rotated, kid: "key-2"))); // the first request already
            Assert.Equal(HttpStatusCode.OK, await MeAsync(api, provider.MintToken(key: keys[0].Key, kid: keys[0].Kid)));
        }
        finally
        {
            await provider.DisposeAsync();
        }
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient api, string bearerToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return (await api.SendAsync(request)).StatusCode;
    }
}
