using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// Version history through the real server (docs/api.md, "History"): versions, restore as one live batch under
/// concurrent edits, state at a seq, per-object history, automatic versions, duplicates, who may see it, and the flag.
/// </summary>
public sealed class HistoryTests
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long> SendAsync(CanvasClient client, string reference, string ops)
    {
        await client.SendOpsAsync(reference, ops);
        return (await client.AckAsync(reference)).GetProperty("seq").GetInt64();
    }

    [Fact]
    public async Task Restore_under_concurrent_edits_is_one_batch_every_replica_converges_on_and_its_undo_goes_back()
    {
        await using var server = await ServerProcess.StartAsync();
        var canvas = await server.CreateCanvasAsync();
        await using var alice = await CanvasClient.ConnectAsync(server, canvas, "Alice");
        await using var bob = await CanvasClient.ConnectAsync(server, canvas, "Bob");
        await SendAsync(alice, "frame", Batch.Of(Batch.Put("frame", new { type = "frame", x = 0, y = 0, width = 400, height = 300 })));
        for (var i = 0; i < 10; i++)
            await SendAsync(alice, $"a{i}", Batch.Of(Batch.Put($"box{i}", new { type = "rect", x = i * 10, fill = "#112233", parentId = "frame" })));
        await SendAsync(alice, "shared", Batch.Rect("shared", 0));
        var version = await Json(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/versions", new { name = "Before the client review" }));
        var versionId = version.GetProperty("id").GetString()!;
        var saved = await Json(await server.Http.GetAsync($"/api/canvases/{canvas}/versions/{versionId}"));
        Assert.Equal("Before the client review", saved.GetProperty("version").GetProperty("name").GetString());
        Assert.Equal("named", saved.GetProperty("version").GetProperty("kind").GetString());

        // After the version: deletions (the frame takes its children), moves, new objects.
        await SendAsync(alice, "del", Batch.Of(Batch.Delete("frame")));
        await SendAsync(alice, "new", Batch.Of(Batch.Put("later", new { type = "ellipse", x = 5 }), Batch.Put("shared", new { fill = "#ff0000" })));

        // Bob keeps moving the shared rect while the restore goes through.
        using var stop = new CancellationTokenSource();
        var bobEdits = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested) await SendAsync(bob, $"b{i}", Batch.Of(Batch.Put("shared", new { x = ++i })));
            return i;
        });
        await Eventually.Until(() => Task.FromResult(bob.AckCount > 3), "Bob is editing");
        var restored = await Json(await server.Http.PostAsync($"/api/canvases/{canvas}/versions/{versionId}/restore", null));
        await Eventually.Until(() => Task.FromResult(bob.AckCount > 10), "Bob edits after the restore");
        await stop.CancelAsync();
        await bobEdits;

        var restoreSeq = restored.GetProperty("seq").GetInt64();
        var after = await Json(await server.Http.GetAsync($"/api/canvases/{canvas}/history/batches?after={restoreSeq - 1}&limit=1"));
        var batch = after.GetProperty("batches")[0];
        Assert.Equal(restoreSeq, batch.GetProperty("seq").GetInt64()); // one batch, in the log like any other
        Assert.True(batch.GetProperty("ops").GetArrayLength() > 10);
        // The page names its author, with the colour of their cursor (playback outlines their changes in it).
        var actor = Assert.Single(after.GetProperty("actors").EnumerateArray());
        Assert.Equal(batch.GetProperty("actor").GetString(), actor.GetProperty("id").GetString());
        Assert.Equal(alice.Welcome.GetProperty("user").GetProperty("name").GetString(), actor.GetProperty("name").GetString());
        Assert.Equal(alice.Welcome.GetProperty("user").GetProperty("color").GetString(), actor.GetProperty("color").GetString());

        var document = await server.DocumentAsync(canvas);
        await alice.WaitForSeqAsync(document.GetProperty("seq").GetInt64());
        await bob.WaitForSeqAsync(document.GetProperty("seq").GetInt64());
        var objects = document.GetProperty("objects");
        Assert.Equal(objects.GetRawText(), alice.ReplicaJson());
        Assert.Equal(objects.GetRawText(), bob.ReplicaJson());
        // Everything but Bob's rect is as the version was.
        var expected = saved.GetProperty("objects");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), objects.EnumerateObject().Select(p => p.Name).Order());
        foreach (var property in expected.EnumerateObject().Where(p => p.Name != "shared"))
            Assert.Equal(property.Value.GetRawText(), objects.GetProperty(property.Name).GetRawText());

        // Restoring again with nobody editing reaches the version exactly; its undo ops, sent as an ordinary batch, go back.
        var before = (await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText();
        var again = await Json(await server.Http.PostAsync($"/api/canvases/{canvas}/versions/{versionId}/restore", null));
        Assert.Equal(expected.GetRawText(), (await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText());
        await SendAsync(alice, "undo", again.GetProperty("undo").GetRawText());
        Assert.Equal(before, (await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText());
    }

    [Fact]
    public async Task The_state_at_a_seq_object_history_automatic_versions_and_duplicates()
    {
        await using var server = await ServerProcess.StartAsync(null, ("History:AutoVersionQuietSeconds", "1"));
        var canvas = await server.CreateCanvasAsync();
        await using var alice = await CanvasClient.ConnectAsync(server, canvas, "Alice");
        var first = await SendAsync(alice, "r1", Batch.Rect("box", 10));
        var documentAtFirst = (await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText();
        await SendAsync(alice, "r2", Batch.Of(Batch.Put("box", new { x = 20, fill = "#ff0000" })));
        var last = await SendAsync(alice, "r3", Batch.Of(Batch.Put("other", new { type = "ellipse", x = 1 })));

        var atFirst = await Json(await server.Http.GetAsync($"/api/canvases/{canvas}/history/state?seq={first}"));
        Assert.Equal(first, atFirst.GetProperty("seq").GetInt64());
        Assert.True(atFirst.GetProperty("exact").GetBoolean());
        Assert.Equal(documentAtFirst, atFirst.GetProperty("objects").GetRawText());

        // A burst of edits, then a second of quiet: an automatic version at the last seq.
        var versions = default(JsonElement);
        await Eventually.Until(async () =>
        {
            versions = await Json(await server.Http.GetAsync($"/api/canvases/{canvas}/versions"));
            return versions.GetArrayLength() > 0;
        }, "an automatic version");
        var auto = versions[0];
        Assert.Equal(("auto", last), (auto.GetProperty("kind").GetString(), auto.GetProperty("seq").GetInt64()));

        var history = await Json(await server.Http.GetAsync($"/api/canvases/{canvas}/objects/box/history"));
        Assert.Equal(2, history.GetArrayLength());
        var change = history[0]; // newest first
        Assert.Equal("changed", change.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrEmpty(change.GetProperty("actorName").GetString()));
        var diffs = change.GetProperty("changes").EnumerateArray().ToDictionary(d => d.GetProperty("prop").GetString()!);
        Assert.Equal((10, 20), (diffs["x"].GetProperty("before").GetInt32(), diffs["x"].GetProperty("after").GetInt32()));
        Assert.Equal("#ff0000", diffs["fill"].GetProperty("after").GetString());
        Assert.Equal(auto.GetProperty("id").GetString(), change.GetProperty("version").GetProperty("id").GetString());
        Assert.Equal("created", history[1].GetProperty("kind").GetString());

        var copy = await Json(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/versions/{auto.GetProperty("id").GetString()}/duplicate",
            new { name = "Copy" }));
        var copied = await server.DocumentAsync(copy.GetProperty("id").GetString()!);
        Assert.Equal((await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText(), copied.GetProperty("objects").GetRawText());
    }

    [Fact]
    public async Task Viewers_and_share_links_see_history_only_as_the_owner_allows_and_the_flag_switches_it_off()
    {
        await using var server = await ServerProcess.StartAsync();
        var canvas = await server.CreateCanvasAsync();
        var viewer = new HttpClient(new HttpClientHandler { CookieContainer = await server.MemberAsync(canvas, "Vera", "viewer") }) { BaseAddress = server.BaseUri };
        var link = await Json(await server.Http.PostAsJsonAsync($"/api/canvases/{canvas}/links", new { role = "viewer" }));
        var guest = new HttpClient { BaseAddress = server.BaseUri };
        guest.DefaultRequestHeaders.Add("X-Share-Link", link.GetProperty("token").GetString());
        var versions = $"/api/canvases/{canvas}/versions";

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(versions)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync(versions)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(versions, new { name = "Mine" })).StatusCode);

        await Json(await server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/history/settings",
            new { retentionDays = (double?)null, viewersSeeHistory = false, linksSeeHistory = true }));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(versions)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync(versions)).StatusCode); // a link guest is a viewer too
        await Json(await server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/history/settings",
            new { retentionDays = 30.0, viewersSeeHistory = true, linksSeeHistory = true }));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync(versions)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.PutAsJsonAsync($"/api/canvases/{canvas}/history/settings",
            new { retentionDays = -1.0, viewersSeeHistory = true, linksSeeHistory = true })).StatusCode);

        await server.SetFlagsAsync(new { VersionHistory = false });
        var off = await server.Http.GetAsync(versions);
        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        Assert.Equal("application/problem+json", off.Content.Headers.ContentType?.MediaType);
        Assert.Equal("VersionHistory", (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("feature").GetString());
    }
}
