using System.Net;
using System.Text;
using System.Text.Json;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// A local HTTP server that speaks the Anthropic Messages API (POST /v1/messages), for the Claude path: the one part
/// that cannot be reached from here. Each test says how it answers; every request is kept for assertions.
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakeAnthropic()
    {
        Port = ServerProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>How the next requests are answered: status, body, and a delay before answering.</summary>
    public Func<JsonElement, (int Status, string Body, TimeSpan Delay)> Answer { get; set; } = _ => (500, "{}", TimeSpan.Zero);

    public List<(Dictionary<string, string> Headers, JsonElement Body)> Requests { get; } = [];

    /// <summary>A Messages API answer with these tool calls.</summary>
    public static string ToolUse(string model, params (string Name, object Input)[] calls) => JsonSerializer.Serialize(new
    {
        id = "msg_test", type = "message", role = "assistant", model,
        content = calls.Select((c, i) => new { type = "tool_use", id = $"toolu_{i}", name = c.Name, input = c.Input }),
        stop_reason = "tool_use", stop_sequence = (string?)null,
        usage = new { input_tokens = 1500, output_tokens = 90, cache_creation_input_tokens = 0, cache_read_input_tokens = 1400 },
    });

    public static string Error(string type, string message) =>
        JsonSerializer.Serialize(new { type = "error", error = new { type, message } });

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
                var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
                lock (Requests) Requests.Add((headers, body));
                var (status, answer, delay) = Answer(body);
                if (delay > TimeSpan.Zero) await Task.Delay(delay);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(answer);
                try
                {
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client gave up (a timeout test).
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ContinueWith(_ => { });
    }
}
