using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Tests;

/// <summary>A server whose sign-in throttle is raised, so that tests measure answers rather than the lock.</summary>
public sealed class LenientThrottleFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(null,
        ("Auth:Throttle:FailuresPerAccount", "1000"), ("Auth:Throttle:FailuresPerAddress", "1000"));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public class LocalAccountTests(LenientThrottleFixture fixture) : IClassFixture<LenientThrottleFixture>
{
    private ServerProcess Server => fixture.Server;

    private HttpClient Anonymous() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Server.BaseUri };

    [Fact]
    public async Task Unknown_account_and_wrong_password_get_the_same_answer_in_the_same_time()
    {
        using var http = Anonymous();
        await ServerProcess.SignInAsync(Server.BaseUri, "known@example.test");
        var ratios = new List<double>();
        string? unknownBody = null, wrongBody = null;
        for (var i = 0; i < 16; i++)
        {
            // In pairs, one right after the other, so that a slow moment of the machine hits both alike.
            var (status1, body1, ms1) = await LoginAsync(http, $"nobody{i}@example.test", "some password");
            var (status2, body2, ms2) = await LoginAsync(http, "known@example.test", "wrong password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, status1);
            Assert.Equal(HttpStatusCode.Unauthorized, status2);
            unknownBody = Normalize(body1);
            wrongBody = Normalize(body2);
            if (i >= 2) ratios.Add(ms1 / ms2); // the first ones warm up
        }
        Assert.Equal(unknownBody, wrongBody);
        Assert.Contains("The email or password is not right.", wrongBody);
        // One Argon2id verification either way (tens of ms). Without the dummy verification, an unknown account
        // answers in well under a millisecond: a ratio of 10 or more. Load stretches both of a pair alike, and the
        // median pair ignores the moments it did not; the wide band leaves room for the rest.
        var ratio = Median(ratios);
        Assert.True(ratio > 1 / 3.0 && ratio < 3, $"median unknown / wrong password time: {ratio:F2}");
    }

    [Fact]
    public async Task Registering_a_taken_email_answers_like_a_new_one_and_changes_nothing()
    {
        using var http = Anonymous();
        var first = await http.PostAsJsonAsync("/auth/local/register", new { email = "taken@example.test", password = "first password", name = "First" });
        var second = await http.PostAsJsonAsync("/auth/local/register", new { email = "TAKEN@example.test", password = "second password", name = "Second" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await LoginAsync(http, "taken@example.test", "first password")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "taken@example.test", "second password")).Status);
    }

    [Fact]
    public async Task Registration_is_validated()
    {
        using var http = Anonymous();
        var response = await http.PostAsJsonAsync("/auth/local/register", new { email = "not an email", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/auth/local/register",
            new StringContent("{\"email\": 5", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task Passwords_are_stored_as_argon2id_with_owasp_parameters()
    {
        await ServerProcess.SignInAsync(Server.BaseUri, "hashed@example.test", "a fine password");
        var hash = await ScalarAsync("SELECT u.password_hash FROM users u JOIN user_identities i ON i.user_id = u.id WHERE i.subject = 'hashed@example.test'");
        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
        Assert.DoesNotContain("a fine password", hash);
    }

    [Fact]
    public async Task A_legacy_sha256_row_signs_in_once_and_is_rehashed_at_once()
    {
        var legacy = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("legacy secret"))).ToLowerInvariant();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "collabcanvas.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA busy_timeout=5000;
                INSERT INTO users (id, display_name, email, legacy_password_sha256, created_at, updated_at)
                VALUES ('legacy-user', 'Old Timer', 'old@example.test', $legacy, 0, 0);
                INSERT INTO user_identities (issuer, subject, user_id, email, created_at) VALUES ('local', 'old@example.test', 'legacy-user', 'old@example.test', 0);
                """;
            command.Parameters.AddWithValue("$legacy", legacy);
            await command.ExecuteNonQueryAsync();
        }
        using var http = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "old@example.test", "wrong secret")).Status);
        Assert.Equal(legacy, await ScalarAsync("SELECT legacy_password_sha256 FROM users WHERE id = 'legacy-user'"));

        Assert.Equal(HttpStatusCode.NoContent, (await LoginAsync(http, "old@example.test", "legacy secret")).Status);
        Assert.Equal("", await ScalarAsync("SELECT COALESCE(legacy_password_sha256, '') FROM users WHERE id = 'legacy-user'"));
        Assert.StartsWith("$argon2id$", await ScalarAsync("SELECT password_hash FROM users WHERE id = 'legacy-user'"));
        // From now on the Argon2id hash is what is checked.
        Assert.Equal(HttpStatusCode.NoContent, (await LoginAsync(http, "old@example.test", "legacy secret")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "old@example.test", "wrong secret")).Status);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_for_every_request()
    {
        var (http, _) = await ServerProcess.SignInAsync(Server.BaseUri, "leaver@example.test");
        using var _ = http;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/me")).StatusCode);
        var logout = await http.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_copied_session_cookie_is_worthless_after_sign_out()
    {
        var (http, cookies) = await ServerProcess.SignInAsync(Server.BaseUri, "copied@example.test");
        using var _ = http;
        var header = cookies.GetCookieHeader(Server.BaseUri);
        using var thief = Anonymous();
        thief.DefaultRequestHeaders.Add("Cookie", header);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/me")).StatusCode);
        await http.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/me")).StatusCode);
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "collabcanvas.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private static async Task<(HttpStatusCode Status, string Body, double Milliseconds)> LoginAsync(HttpClient http, string email, string password)
    {
        var watch = Stopwatch.StartNew();
        var response = await http.PostAsJsonAsync("/auth/local/login", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>The problem document without its per-request trace id.</summary>
    private static string Normalize(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

public class ThrottleTests
{
    [Fact]
    public async Task Password_hashing_requests_are_rate_limited_per_address()
    {
        await using var server = await ServerProcess.StartAsync(null, ("Auth:SignInRequestsPerMinute", "5"));
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseUri };
        // The server's own start used 2 (the test user's register and login).
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await http.PostAsJsonAsync("/auth/local/register", new { email = $"r{i}@example.test", password = "long enough" })).StatusCode);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        var limited = await http.PostAsJsonAsync("/auth/local/login", new { email = "r0@example.test", password = "long enough" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/auth/config")).StatusCode); // other endpoints are not limited
    }

    [Fact]
    public async Task Guessing_is_throttled_per_account_and_per_address_alike_for_unknown_accounts()
    {
        await using var server = await ServerProcess.StartAsync(null,
            ("Auth:Throttle:FailuresPerAccount", "3"), ("Auth:Throttle:FailuresPerAddress", "8"), ("Auth:Throttle:LockoutMinutes", "1"));
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseUri };
        async Task<HttpResponseMessage> Login(string email, string password) =>
            await http.PostAsJsonAsync("/auth/local/login", new { email, password });

        foreach (var account in new[] { ServerProcess.TestUser, "ghost@example.test" })
        {
            for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await Login(account, "guess" + i)).StatusCode);
            var locked = await Login(account, account == ServerProcess.TestUser ? ServerProcess.TestPassword : "guess");
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode); // even the right password waits
            Assert.True(int.Parse(locked.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        }
        // Two accounts used 6 of the address's 8; spraying other accounts from this address runs into its limit.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login("spray1@example.test", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login("spray2@example.test", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login("spray3@example.test", "x")).StatusCode);
    }
}
