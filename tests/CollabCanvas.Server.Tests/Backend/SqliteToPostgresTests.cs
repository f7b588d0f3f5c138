using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// <c>migrate-to-postgres</c> with the real parts: a SQLite installation made by a real server process (accounts,
/// canvases with a snapshot and later batches, a member, an invitation, a share link, an AI command), the server stopped,
/// the command run as its own process, and the server started again on the PostgreSQL database it filled.
/// </summary>
public sealed class SqliteToPostgresTests
{
    private static readonly (string, string)[] Fast = [("Realtime:BatchesPerSecond", "5000"), ("Realtime:BatchBurst", "5000"), ("Log:SnapshotEveryBatches", "5")];
    private const string Bob = "bob@example.test";

    /// <summary>What the SQLite server showed before it stopped.</summary>
    private sealed record Installation(string DataDirectory, string[] Canvases, Dictionary<string, long> Heads, Dictionary<string, JsonNode> Objects,
        JsonNode CanvasList, string LinkToken);

    /// <summary>SQLite table → the PostgreSQL table it moves to, counted on both sides.</summary>
    private static readonly (string Sqlite, string Postgres)[] Moved =
    [
        ("users", "users"), ("user_identities", "user_identities"), ("auth_sessions", "auth_sessions"), ("ws_tickets", "ws_tickets"),
        ("login_failures", "login_failures"), ("canvases", "canvases"), ("canvas_members", "canvas_members"),
        ("canvas_invitations", "canvas_invitations"), ("share_links", "share_links"), ("message_queue", "canvas_log"),
        ("canvas_states", "canvas_snapshots"), ("ai_commands", "ai_commands"), ("ai_previews", "ai_previews"),
    ];

    [Fact]
    public async Task The_move_copies_every_table_with_the_logs_exact_seqs_and_refuses_a_target_that_holds_rows()
    {
        var installation = await InstallAsync();
        var postgres = await PostgresServer.Instance;
        var target = await postgres.CreateDatabaseAsync(migrated: false); // the command creates the schema
        try
        {
            var (exitCode, output) = await MigrateAsync(["--from", installation.DataDirectory], target);
            Assert.True(exitCode == 0, output);

            await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(installation.DataDirectory, "collabcanvas.db")};Mode=ReadOnly");
            await sqlite.OpenAsync();
            await using var pg = NpgsqlDataSource.Create(target);
            foreach (var (from, to) in Moved)
            {
                var rows = await SqliteScalarAsync<long>(sqlite, $"SELECT count(*) FROM {from}");
                Assert.Equal(rows, await pg.CreateCommand($"SELECT count(*) FROM {to}").ExecuteScalarAsync());
                Assert.Matches($@"\b{to}\s+{rows} rows", output);
            }
            Assert.True(await SqliteScalarAsync<long>(sqlite, "SELECT count(*) FROM ai_commands") > 0, "the installation ran no AI command");

            // The log row for row, seqs and bytes as they were (global in SQLite, so each canvas's are sparse).
            Assert.Equal(await SqliteRowsAsync(sqlite, "SELECT canvas_id, seq, client_id, ref, actor, ops FROM message_queue ORDER BY canvas_id, seq"),
                await PostgresRowsAsync(pg, "SELECT canvas_id, seq, client_id, ref, actor, ops FROM canvas_log ORDER BY canvas_id, seq"));
            Assert.Equal(await SqliteRowsAsync(sqlite, "SELECT canvas_id, seq, objects FROM canvas_states ORDER BY canvas_id"),
                await PostgresRowsAsync(pg, "SELECT canvas_id, seq, objects FROM canvas_snapshots ORDER BY canvas_id"));
            foreach (var canvas in installation.Canvases)
                Assert.Equal(installation.Heads[canvas], await pg.CreateCommand($"SELECT seq FROM canvas_heads WHERE canvas_id = '{canvas}'").ExecuteScalarAsync());
            Assert.Equal(await SqliteRowsAsync(sqlite, "SELECT id, password_hash, email_verified, created_at / 1000 FROM users ORDER BY id"),
                await PostgresRowsAsync(pg, "SELECT id, password_hash, email_verified::int::bigint, floor(extract(epoch FROM created_at))::bigint FROM users ORDER BY id"));

            // Once is all: a second run finds rows and changes nothing (here with the connection string as an argument).
            var (again, refusal) = await MigrateAsync(["--from", Path.Combine(installation.DataDirectory, "collabcanvas.db"), "--to", target], connectionString: null);
            Assert.Equal(1, again);
            Assert.Contains("is not empty", refusal);
            Assert.DoesNotContain("Password", refusal, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(await SqliteScalarAsync<long>(sqlite, "SELECT count(*) FROM message_queue"),
                await pg.CreateCommand("SELECT count(*) FROM canvas_log").ExecuteScalarAsync());
        }
        finally
        {
            await postgres.DropDatabaseAsync(target);
        }
    }

    [Fact]
    public async Task After_the_move_the_server_on_PostgreSQL_signs_in_the_same_users_and_goes_on_from_every_canvas_head()
    {
        var installation = await InstallAsync();
        var postgres = await PostgresServer.Instance;
        var target = await postgres.CreateDatabaseAsync(); // with the schema, as when an instance started on it once
        try
        {
            var (exitCode, output) = await MigrateAsync(["--from", installation.DataDirectory], target);
            Assert.True(exitCode == 0, output);

            // As deployed on many hosts: PostgreSQL and Redis.
            var redis = await RedisServer.SharedAsync();
            await using var server = await ServerProcess.StartAsync(null,
                [.. Fast, ("Backend:Provider", "Postgres"), ("Backend:Postgres:ConnectionString", target), ("Backend:Redis:Configuration", redis.Configuration)]);
            using (var bob = new HttpClient { BaseAddress = server.BaseUri })
            {
                Assert.Equal(HttpStatusCode.NoContent, (await bob.PostAsJsonAsync("/auth/local/login", new { email = Bob, password = ServerProcess.TestPassword })).StatusCode);
                Assert.NotEqual(HttpStatusCode.NoContent, (await bob.PostAsJsonAsync("/auth/local/login", new { email = Bob, password = "not the password" })).StatusCode);
            }
            Assert.True(JsonNode.DeepEquals(installation.CanvasList, await server.Http.GetFromJsonAsync<JsonNode>("/api/canvases")));
            var members = await server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{installation.Canvases[0]}/members");
            Assert.Contains(members.EnumerateArray(), m => m.GetRawText().Contains("editor") && m.GetRawText().Contains("bob"));
            var invitations = await server.Http.GetFromJsonAsync<JsonElement>($"/api/canvases/{installation.Canvases[0]}/invitations");
            Assert.Contains(invitations.EnumerateArray(), i => i.GetProperty("email").GetString() == "carol@example.test");

            foreach (var canvas in installation.Canvases)
            {
                var document = await server.DocumentAsync(canvas);
                Assert.Equal(installation.Heads[canvas], document.GetProperty("seq").GetInt64());
                Assert.True(JsonNode.DeepEquals(installation.Objects[canvas], JsonNode.Parse(document.GetProperty("objects").GetRawText())));

                // A client that was up to date is still: nothing to replay, and its next batch follows the old head.
                await using var client = await CanvasClient.ConnectAsync(server, canvas, since: installation.Heads[canvas]);
                Assert.Equal(installation.Heads[canvas], client.Welcome.GetProperty("seq").GetInt64());
                await client.SendOpsAsync("after", Batch.Rect("moved", 1));
                Assert.Equal(installation.Heads[canvas] + 1, (await client.AckAsync("after")).GetProperty("seq").GetInt64());
            }
            await using var guest = await CanvasClient.ConnectAsync(server.BaseUri, installation.Canvases[0], cookies: null,
                helloExtra: new() { ["link"] = installation.LinkToken });
            Assert.Equal("viewer", guest.Welcome.GetProperty("role").GetString());
        }
        finally
        {
            await postgres.DropDatabaseAsync(target);
        }
    }

    /// <summary>A SQLite installation with something in every table the move copies, made through a real server, then stopped.</summary>
    private static async Task<Installation> InstallAsync()
    {
        await using var server = await ServerProcess.StartAsync(null, Fast);
        string[] canvases = [await server.CreateCanvasAsync("one"), await server.CreateCanvasAsync("two")];
        await server.MemberAsync(canvases[0], "Bob");
        (await server.Http.PostAsJsonAsync($"/api/canvases/{canvases[0]}/members", new { email = "carol@example.test", role = "viewer" })).EnsureSuccessStatusCode();
        var link = await (await server.Http.PostAsJsonAsync($"/api/canvases/{canvases[0]}/links", new { role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        (await server.Http.PostAsJsonAsync($"/api/canvases/{canvases[0]}/ai",
            new { prompt = "create a button", viewport = new { x = 0, y = 0, width = 1200, height = 800 } })).EnsureSuccessStatusCode();

        await using var one = await CanvasClient.ConnectAsync(server, canvases[0], "one");
        await using var two = await CanvasClient.ConnectAsync(server, canvases[1], "two");
        var heads = new Dictionary<string, long>();
        async Task WriteAsync(int from, int to)
        {
            // Interleaved, so that the global SQLite seqs leave gaps in each canvas's.
            for (var i = from; i < to; i++)
                foreach (var (client, canvas) in new[] { (one, canvases[0]), (two, canvases[1]) })
                {
                    await client.SendOpsAsync($"r{i}", Batch.Of(Batch.Put($"o{i % 4}", new { type = "rect", x = i, width = 10 + i })));
                    heads[canvas] = (await client.AckAsync($"r{i}")).GetProperty("seq").GetInt64();
                }
        }
        await WriteAsync(0, 10);
        foreach (var canvas in canvases)
        {
            var head = heads[canvas];
            await Eventually.Until(async () => await server.ScalarAsync("SELECT seq FROM canvas_states WHERE canvas_id = $c", ("$c", canvas)) is long seq && seq == head,
                $"a snapshot of {canvas} at {head}");
        }
        await WriteAsync(10, 13); // after the snapshot: these live in the log only

        var objects = new Dictionary<string, JsonNode>();
        foreach (var canvas in canvases) objects[canvas] = JsonNode.Parse((await server.DocumentAsync(canvas)).GetProperty("objects").GetRawText())!;
        var list = (await server.Http.GetFromJsonAsync<JsonNode>("/api/canvases"))!;
        await server.StopAsync();
        return new Installation(server.DataDirectory, canvases, heads, objects, list, link.GetProperty("token").GetString()!);
    }

    /// <summary>Runs the command as its own process (never left running); the connection string, when given, goes in the environment.</summary>
    private static async Task<(int ExitCode, string Output)> MigrateAsync(string[] arguments, string? connectionString)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", Path.Combine(AppContext.BaseDirectory, "CollabCanvas.Server.dll"), "migrate-to-postgres" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (connectionString is not null) start.Environment["CollabCanvas__Backend__Postgres__ConnectionString"] = connectionString;
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(Eventually.ProcessStart);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<T> SqliteScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> SqliteRowsAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        return await RowsAsync(reader);
    }

    private static async Task<List<string>> PostgresRowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        return await RowsAsync(reader);
    }

    /// <summary>Each row as one string, bytes as hex, so that rows of the two databases compare as equal lists.</summary>
    private static async Task<List<string>> RowsAsync(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(bytes),
                DBNull => "null",
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            })));
        return rows;
    }
}
