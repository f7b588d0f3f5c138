using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CollabCanvas.Bench;

/// <summary>
/// AI commands on the built-in path: a mix of components and selection edits, spread over canvases so that each
/// grows to about a thousand objects. Reports the server's time per command (its Server-Timing header) and the
/// round trip seen by the client, after a warm-up.
/// </summary>
public static class AiCommands
{
    private static readonly string[] Prompts =
    [
        "create a login form", "add a pricing table with 3 tiers in dark theme", "a navbar with 5 links", "hero section in ocean theme",
        "a table with 4 rows and 3 columns", "3 product cards", "a sign up form", "a sidebar with six items", "tabs for Home, Profile and Settings",
        "a modal dialog titled \"Delete file?\"", "a list of 5 items", "footer in forest theme", "a big red button that says \"Buy now\"",
        "three checkboxes", "a toggle", "dropdown with 4 options", "4 avatars", "badges \"New\" and \"Hot\"", "a text field titled \"Email\"",
        "make these blue and rounded", "make it bigger", "duplicate this 2 times", "align left",
    ];

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var commands = o.Count == 10000 ? 500 : o.Count; // --count defaults to 10000 for the connections scenario
        var canvases = await BenchClient.CreateCanvasesAsync(o.Url, Math.Max(1, commands / 50));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = BenchClient.Cookies }) { BaseAddress = o.Url };
        var last = new Dictionary<string, string>();
        var server = new List<double>();
        var roundTrip = new List<double>();
        var warmUp = Math.Min(20, commands / 10);
        for (var i = 0; i < commands + warmUp; i++)
        {
            var canvas = canvases[i % canvases.Length];
            var prompt = Prompts[i % Prompts.Length];
            var selection = last.TryGetValue(canvas, out var root) ? new[] { root } : [];
            var started = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync($"/api/canvases/{canvas}/ai",
                new { prompt, selection, viewport = new { x = i % 7 * 400, y = i % 5 * 400, width = 1280, height = 800 } });
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"\"{prompt}\": {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return 1;
            }
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("created").GetArrayLength() > 0) last[canvas] = body.GetProperty("created")[0].GetString()!;
            if (i < warmUp) continue;
            var timing = response.Headers.GetValues("Server-Timing").Single();
            server.Add(double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture));
            roundTrip.Add(elapsed);
        }
        string Summary(List<double> values)
        {
            values.Sort();
            double P(double q) => values[Math.Min(values.Count - 1, (int)(q * values.Count))];
            return $"n={values.Count} p50={P(0.5):F2}ms p95={P(0.95):F2}ms p99={P(0.99):F2}ms max={values[^1]:F2}ms";
        }
        Console.WriteLine($"RESULT ai commands={commands} canvases={canvases.Length} (up to ~{commands / canvases.Length * 20} objects each)");
        Console.WriteLine($"RESULT ai server {Summary(server)}");
        Console.WriteLine($"RESULT ai round-trip {Summary(roundTrip)}");
        return 0;
    }
}
