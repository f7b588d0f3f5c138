using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary><c>collabcanvas_sessions</c> counts sessions admitted by hello; open sockets without one have their own gauge.</summary>
public partial class SessionMetricsTests
{
    [Fact]
    public async Task Sockets_that_never_said_hello_are_pending_not_sessions()
    {
        await using var server = await ServerProcess.StartAsync();
        var canvas = await server.CreateCanvasAsync();
        await using var first = await CanvasClient.ConnectAsync(server, canvas, "first");
        await using var second = await CanvasClient.ConnectAsync(server, canvas, "second");
        var strangers = new List<CanvasClient>();
        for (var i = 0; i < 5; i++) strangers.Add(await CanvasClient.ConnectAsync(server.BaseUri, canvas, hello: false));

        await Eventually.Until(async () => await GaugesAsync(server) == (2, 5), "2 sessions and 5 pending sockets");

        foreach (var stranger in strangers) await stranger.DisposeAsync();
        await second.DisposeAsync();
        await Eventually.Until(async () => await GaugesAsync(server) == (1, 0), "1 session and no pending socket once the others closed");
    }

    private static async Task<(long Sessions, long Pending)> GaugesAsync(ServerProcess server)
    {
        var metrics = await server.Http.GetStringAsync("/metrics");
        return (Gauge(metrics, "collabcanvas_sessions"), Gauge(metrics, "collabcanvas_sessions_pending"));
    }

    /// <summary>The gauge's value, or -1 when it is not exported.</summary>
    private static long Gauge(string metrics, string name) =>
        Regex.Match(metrics, $@"^{name}(\{{[^}}]*\}})? (\d+)", RegexOptions.Multiline) is { Success: true } m ? long.Parse(m.Groups[2].Value) : -1;
}
