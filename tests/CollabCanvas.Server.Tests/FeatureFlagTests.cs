using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Feature flags (docs/configuration.md, "Feature flags") switched while the server runs, by writing the flags file it
/// watches: each feature's REST entry points answer 404 with a problem naming it, its WebSocket entry point an
/// <c>error</c> whose code names it, <c>GET /api/features</c> says so, and all of it comes back when switched on.
/// </summary>
public sealed class FeatureFlagTests
{
    private static readonly string[] AllFlags =
        ["AiCommands", "AiClaude", "ShareLinks", "Invitations", "CrossInstancePresence", "ExportPng", "ExportSvg", "ExportJson", "StylePanel",
            "TextEditing", "VersionHistory"];

    private static object Every(bool on) => AllFlags.ToDictionary(f => f, _ => (object)on);

    private static async Task AssertSwitchedOffAsync(HttpResponseMessage response, string feature)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(feature, problem.GetProperty("feature").GetString());
        Assert.Contains(feature, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_a_flags_file_every_feature_is_on()
    {
        await using var server = await ServerProcess.StartAsync();
        var flags = await server.Http.GetFromJsonAsync<Dictionary<string, bool>>("/api/features");
        Assert.Equal(AllFlags.Order(), flags!.Keys.Order());
        Assert.All(flags.Values, Assert.True);
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        Assert.All((await anonymous.GetFromJsonAsync<Dictionary<string, bool>>("/api/features"))!.Values, Assert.True);
    }

    [Fact]
    public async Task Each_flag_switches_its_REST_and_WebSocket_entry_points_off_and_on_while_the_server_runs()
    {
        await using var server = await ServerProcess.StartAsync();
        var canvas = await server.CreateCanvasAsync();
        var link = await (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "editor" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = link.GetProperty("token").GetString()!;
        using var guest = new HttpClient { BaseAddress = server.BaseUri };
        guest.DefaultRequestHeaders.Add("X-Share-Link", token);
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/api/canvases/{canvas}")).StatusCode);

        await server.SetFlagsAsync(Every(false));

        await AssertSwitchedOffAsync(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a button" }), "AiCommands");
        await AssertSwitchedOffAsync(await server.Http.GetAsync("/api/ai"), "AiCommands");
        await AssertSwitchedOffAsync(await server.Http.PostAsync($"/api/canvases/{canvas}/ai/nothing/accept", null), "AiCommands");
        await AssertSwitchedOffAsync(await server.Http.DeleteAsync($"/api/canvases/{canvas}/ai/nothing"), "AiCommands");
        await AssertSwitchedOffAsync(await server.Http.GetAsync($"/api/canvases/{canvas}/links"), "ShareLinks");
        await AssertSwitchedOffAsync(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "viewer" }), "ShareLinks");
        await AssertSwitchedOffAsync(await server.Http.DeleteAsync($"/api/canvases/{canvas}/links/{link.GetProperty("id").GetString()}"), "ShareLinks");
        await AssertSwitchedOffAsync(await guest.GetAsync($"/api/canvases/{canvas}"), "ShareLinks");
        await AssertSwitchedOffAsync(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "x@example.test", role = "viewer" }), "Invitations");
        await AssertSwitchedOffAsync(await server.Http.GetAsync($"/api/canvases/{canvas}/invitations"), "Invitations");
        await AssertSwitchedOffAsync(await server.Http.DeleteAsync($"/api/canvases/{canvas}/invitations/nothing"), "Invitations");
        await AssertSwitchedOffAsync(await server.Http.GetAsync($"/api/canvases/{canvas}/document"), "ExportJson");
        // What no flag governs goes on: the owner still reads the canvas and its members.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/canvases/{canvas}/members")).StatusCode);

        // A guest's hello with the link: told which feature is off, then closed as anyone without access.
        var refused = await CanvasClient.ConnectAsync(server.BaseUri, canvas, hello: false);
        await refused.SendJsonAsync(new { type = "hello", client = refused.ClientId, link = token, name = "Guest" });
        var error = await refused.ErrorAsync("share_links_off");
        Assert.Contains("ShareLinks", error.GetProperty("message").GetString());
        await refused.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4401, (int?)refused.CloseStatus);
        await refused.DisposeAsync();
        // The owner with the same link is admitted on their own role; the link was not used, and they are told.
        await using (var owner = await CanvasClient.ConnectAsync(server.BaseUri, canvas, hello: false, cookies: server.Cookies))
        {
            await owner.SendJsonAsync(new { type = "hello", client = owner.ClientId, link = token });
            await owner.ErrorAsync("share_links_off");
            Assert.Equal("owner", (await owner.NextAsync("welcome")).GetProperty("role").GetString());
        }

        Assert.Equal(4, await server.MetricAsync("collabcanvas_features_refused_total", "feature=\"AiCommands\""));
        Assert.Equal(2, await server.MetricAsync("collabcanvas_features_refused_total", "entry=\"websocket\""));
        Assert.Equal(1, await server.MetricAsync("collabcanvas_features_refused_total", "feature=\"ExportJson\""));

        await server.SetFlagsAsync(Every(true));

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a button" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/ai")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/canvases/{canvas}/links")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/api/canvases/{canvas}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/members", new { email = "x@example.test", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/canvases/{canvas}/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/canvases/{canvas}/document")).StatusCode);
        await using var admitted = await CanvasClient.ConnectAsync(server.BaseUri, canvas, hello: false);
        await admitted.SendJsonAsync(new { type = "hello", client = admitted.ClientId, link = token, name = "Guest" });
        Assert.Equal("editor", (await admitted.NextAsync("welcome")).GetProperty("role").GetString());
        Assert.DoesNotContain(admitted.Received, m => m.Contains("share_links_off"));

        // Switched off again, the guest already in loses what the link gave: told why, then closed.
        await server.SetFlagsAsync(new { ShareLinks = false });
        await admitted.ErrorAsync("share_links_off");
        await admitted.Closed.WaitAsync(Eventually.Ceiling);
        Assert.Equal(4403, (int?)admitted.CloseStatus);
    }

    /// <summary>With Claude configured, the flag AiClaude decides per user whether Claude or the built-in parser answers.</summary>
    [Fact]
    public async Task AiClaude_off_leaves_the_built_in_parser_and_on_brings_Claude_back()
    {
        await using var anthropic = new FakeAnthropic();
        await using var server = await ServerProcess.StartAsync(null, ("Ai:Claude:ApiKey", "sk-ant-test-key"), ("Ai:Claude:BaseUrl", anthropic.BaseUrl));
        anthropic.Answer = _ => (200, FakeAnthropic.ToolUse("claude-haiku-4-5", ("create_component", new { component = "button" })), TimeSpan.Zero);
        var canvas = await server.CreateCanvasAsync();
        Assert.Equal("claude", (await server.Http.GetFromJsonAsync<JsonElement>("/api/ai")).GetProperty("interpreter").GetString());

        await server.SetFlagsAsync(new { AiClaude = false });
        Assert.Equal("builtin", (await server.Http.GetFromJsonAsync<JsonElement>("/api/ai")).GetProperty("interpreter").GetString());
        var requestsBefore = anthropic.Requests.Count;
        var answer = await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/ai", new { prompt = "a button" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("builtin", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("interpreter").GetString());
        Assert.Equal(requestsBefore, anthropic.Requests.Count);

        await server.SetFlagsAsync(new { AiClaude = true });
        Assert.Equal("claude", (await server.Http.GetFromJsonAsync<JsonElement>("/api/ai")).GetProperty("interpreter").GetString());
    }

    /// <summary>
    /// Targeting on two real instances: a 10 % rollout reaches 7-13 % of 1,000 synthetic accounts, the very same ones on
    /// both (the hash of the id is the decision, not anything of the instance); a named user and a group's member are
    /// in whatever the percentage; the instance filter is on for the instance it names only.
    /// </summary>
    [Fact]
    public async Task A_10_percent_rollout_reaches_about_10_percent_of_1000_users_and_the_same_ones_on_every_instance()
    {
        await using var alpha = await ServerProcess.StartAsync(null, ("Log:InstanceId", "alpha"));
        await using var beta = await ServerProcess.StartAsync(null, ("Log:InstanceId", "beta"));
        var me = (await alpha.Http.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
        var flags = new
        {
            ShareLinks = new
            {
                EnabledFor = new[]
                {
                    new
                    {
                        Name = "Microsoft.Targeting",
                        Parameters = new
                        {
                            Audience = new
                            {
                                Users = new[] { "named-user" },
                                Groups = new[] { new { Name = "staff", RolloutPercentage = 100 } },
                                DefaultRolloutPercentage = 10,
                            },
                        },
                    },
                },
            },
            CrossInstancePresence = new { EnabledFor = new[] { new { Name = "Instance", Parameters = new { Instances = new[] { "alpha" } } } } },
            // A plain switch that differs from the start (every flag on): SetFlagsAsync waits until each server reports it
            // off, so the rollout below is read from this file, not from the start where every account was in.
            ExportJson = false,
        };
        var groups = new Dictionary<string, string[]> { ["staff"] = ["staff-user", me] };
        foreach (var server in new[] { alpha, beta }) await server.SetFlagsAsync(flags, groups: groups);

        async Task<bool> On(ServerProcess server, string user, string feature = "ShareLinks")
        {
            var answer = await server.Http.GetFromJsonAsync<Dictionary<string, bool>>($"/api/features/users/{user}");
            return answer![feature];
        }
        foreach (var server in new[] { alpha, beta })
            await Eventually.Until(async () => await On(server, "named-user") && await On(server, "staff-user"), "both read the rollout");

        var users = Enumerable.Range(0, 1000).Select(i => $"synthetic-{i:D4}").ToList();
        var onAlpha = new List<string>();
        var onBeta = new List<string>();
        foreach (var user in users)
        {
            if (await On(alpha, user)) onAlpha.Add(user);
            if (await On(beta, user)) onBeta.Add(user);
        }
        Assert.True(onAlpha.Count is >= 70 and <= 130, $"{onAlpha.Count} of 1,000 accounts are in a 10 % rollout");
        Assert.Equal(onAlpha, onBeta);

        // The signed-in caller gets what the operator's view says for their account (the test user is in staff).
        Assert.True((await alpha.Http.GetFromJsonAsync<Dictionary<string, bool>>("/api/features"))!["ShareLinks"]);
        Assert.True(await On(alpha, me));

        Assert.True(await On(alpha, "synthetic-0000", "CrossInstancePresence"));
        Assert.False(await On(beta, "synthetic-0000", "CrossInstancePresence"));

        // Only the operator asks about others.
        using var stranger = new HttpClient { BaseAddress = alpha.BaseUri };
        stranger.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync("/api/features/users/synthetic-0000")).StatusCode);
    }

    /// <summary>
    /// CrossInstancePresence switched off on two instances sharing a data directory (and so the flags file): a session of
    /// one instance leaves the other's view (it is no longer refreshed there) while it stays connected, and comes back
    /// when the flag is switched on.
    /// </summary>
    [Fact]
    public async Task CrossInstancePresence_off_keeps_presence_within_each_instance_and_on_brings_it_back()
    {
        await using var backend = await ClusterBackend.StartAsync(ClusterBackend.SharedSqlite);
        var servers = await backend.StartInstancesAsync(2);
        try
        {
            var canvas = await servers[0].CreateCanvasAsync();
            await using var carol = await CanvasClient.ConnectAsync(servers[1], canvas, "Carol", cookies: await servers[0].MemberAsync(canvas, "Carol"));
            await using var alice = await CanvasClient.ConnectAsync(servers[0], canvas, "Alice", cookies: await servers[0].MemberAsync(canvas, "Alice"));
            bool IsAlice(JsonElement m) => m.GetProperty("peer").GetProperty("session").GetString() == alice.Session;
            await carol.NextAsync("join", IsAlice);

            await servers[0].SetFlagsAsync(new { CrossInstancePresence = false });
            await servers[1].SetFlagsAsync(new { CrossInstancePresence = false });
            await carol.NextAsync("leave", m => m.GetProperty("session").GetString() == alice.Session);
            Assert.Equal(WebSocketState.Open, alice.State);

            await servers[0].SetFlagsAsync(new { CrossInstancePresence = true });
            await servers[1].SetFlagsAsync(new { CrossInstancePresence = true });
            await carol.NextAsync("join", IsAlice);
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }
}
