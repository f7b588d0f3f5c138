// The CollabCanvas load generator: real WebSockets speaking protocol v1 against a running server.
//   connections  N idle sessions; server RSS growth per session (reads /proc/<pid>/status)
//   fanout       C clients over R canvases, each sending a small put at F per second; delivery latency
//   durable      clients sending batches as fast as acks come back; committed batches per second
//   editor-big   the editor on 10,000 objects: open to drawn, pan fps (fit, 100%, with a peer), cost of a remote change
//   ai           AI commands through the built-in parser: server time per command (Server-Timing) and round trip
//   revoke       a member removed while their socket is open: time until that socket is closed
//   join         a fresh client joins a canvas of 10,000 objects: time from hello until it holds the full state
//   history      a canvas of --count batches, then the state at random seqs (GET .../history/state): time per read
//   restore      restores of a version of a canvas of --count objects: REST call to applied by a second client
//   editor-playback  the editor's playback of a canvas of --count batches by three authors: fps while playing, time to the end
// See bench/run.sh and docs/benchmarks.md.
using CollabCanvas.Bench;

var options = BenchOptions.Parse(args);
BenchClient.UseTickets = options.Auth == "ticket";
return options.Scenario switch
{
    "connections" => await Scenarios.ConnectionsAsync(options),
    "fanout" => await Scenarios.FanoutAsync(options),
    "durable" => await Scenarios.DurableAsync(options),
    "editor-big" => await EditorBigCanvas.RunAsync(options),
    "ai" => await AiCommands.RunAsync(options),
    "revoke" => await Scenarios.RevokeAsync(options),
    "join" => await Scenarios.JoinAsync(options),
    "history" => await HistoryReads.RunAsync(options),
    "editor-playback" => await EditorPlayback.RunAsync(options),
    "restore" => await Restores.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: CollabCanvas.Bench <connections|fanout|durable|editor-big|ai|revoke|join|history|editor-playback|restore> --url http://127.0.0.1:5555 [options]
          --urls A,B,C       several instances: clients are spread over them (fanout, durable)
          --server-pid PID   read the server's RSS (connections) and CPU (fanout)
          --count N          sessions to open (connections; default 10000)
          --clients C        clients (fanout, durable; default 1000 / 50)
          --canvases R       canvases the clients spread over (default 50 / 1)
          --rate F           batches per second per client (fanout; default 5)
          --seconds S        measured duration (default 20 / 10)
          --window W         batches in flight per client (durable; default 4)
          --count N          objects on the canvas (editor; default 2000; join: default 10000); commands (ai; default 500); rounds (revoke; default 200); batches (history, editor-playback); objects (restore)
          --joins J          joins measured (join; default 200); reads measured (history; default 200)
          --rounds N         page loads, each measured once in every way (editor-big, editor-playback; restores: 2 per round; default 3)
          --auth cookie|ticket  how sockets authenticate (default cookie)
          --signalr          fanout against the SignalR relay (bench/SignalRRelay, bench/signalr.sh) instead of CollabCanvas
        """);
    return 2;
}
