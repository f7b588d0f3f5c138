namespace CollabCanvas.Bench;

public sealed record BenchOptions(string Scenario, Uri Url, Uri[] Urls, int? ServerPid, int Count, int? Clients, int? Canvases,
    double Rate, int? Seconds, int Window, string Auth, bool SignalR, int Joins, int Rounds)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int? GetInt(string name) => Get(name, "") is { Length: > 0 } s ? int.Parse(s) : null;
        return new BenchOptions(
            args.Length > 0 ? args[0] : "",
            new Uri(Get("--url", "http://127.0.0.1:5555")),
            Get("--urls", Get("--url", "http://127.0.0.1:5555")).Split(',').Select(u => new Uri(u)).ToArray(),
            GetInt("--server-pid"),
            GetInt("--count") ?? 10_000,
            GetInt("--clients"),
            GetInt("--canvases"),
            double.Parse(Get("--rate", "5"), System.Globalization.CultureInfo.InvariantCulture),
            GetInt("--seconds"),
            GetInt("--window") ?? 4,
            Get("--auth", "cookie"),
            args.Contains("--signalr"),
            GetInt("--joins") ?? 200,
            GetInt("--rounds") ?? 3);
    }
}
