// What a C# team would write instead of CollabCanvas's realtime layer, at its most minimal: an ASP.NET Core SignalR
// hub relaying each batch to the others in its canvas's group and acknowledging it to the sender. No validation, no
// storage, no ordering beyond SignalR's own. The yardstick for the fan-out benchmark (bench/signalr.sh,
// docs/benchmarks.md), driven by the same load generator (CollabCanvas.Bench fanout --signalr).
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR(options =>
{
    // The generator's clients send no pings; they are busy for the whole run, but connecting them all takes a while.
    options.ClientTimeoutInterval = TimeSpan.FromMinutes(5);
});
var app = builder.Build();
app.MapHub<CanvasHub>("/hub");
app.Run();

public sealed class CanvasHub : Hub
{
    public Task Join(string canvas) => Groups.AddToGroupAsync(Context.ConnectionId, canvas);

    /// <summary>The batch's ops go to the group's other members as they came; the sender gets its ref back.</summary>
    public async Task Send(string canvas, string reference, JsonElement ops)
    {
        await Clients.OthersInGroup(canvas).SendAsync("ops", ops);
        await Clients.Caller.SendAsync("ack", new { @ref = reference });
    }
}
