using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// A local HTTP server that speaks the Anthropic Messages API (POST /v1/messages), for the Claude path: the one part
/// that cannot be reached from here. Each test says how it answers; every request is kept for assertions. A request
/// with <c>"stream": true</c> gets the answer as the API streams it: server-sent events, the tool inputs in pieces.
/// Kestrel, not <c>HttpListener</c>: the managed listener throws on a thread-pool thread, and so kills the test host,
/// when a client gives up while its answer is being closed (dotnet/runtime#71364), which the timeout tests do.
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private readonly WebApplication _app;

    public FakeAnthropic()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/v1/messages", AnswerAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Port = new Uri(_app.Urls.Single()).Port;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>How the next requests are answered: status, body, and a delay before answering.</summary>
    public Func<JsonElement, (int Status, string Body, TimeSpan Delay)> Answer { get; set; } = _ => (500, "{}", TimeSpan.Zero);

    public List<(Dictionary<string, string> Headers, JsonElement Body)> Requests { get; } = [];

    /// <summary>The pause between two events of a streamed answer.</summary>
    public TimeSpan EventDelay { get; set; }

    /// <summary>Awaited before the streamed answer's tool call of this index begins: a test holds the stream there.</summary>
    public Func<int, Task> BeforeToolCall { get; set; } = _ => Task.CompletedTask;

    /// <summary>Streamed answers sent to their end (message_stop).</summary>
    public int StreamsFinished => Volatile.Read(ref _streamsFinished);
    private int _streamsFinished;

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

    private async Task AnswerAsync(HttpContext context)
    {
        var body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        lock (Requests) Requests.Add((headers, body));
        var (status, answer, delay) = Answer(body);
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, context.RequestAborted);
            context.Response.StatusCode = status;
            if (status == 200 && body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                await StreamAsync(context.Response, JsonDocument.Parse(answer).RootElement, context.RequestAborted);
                Interlocked.Increment(ref _streamsFinished);
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer), context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (a timeout test).
        }
    }

    /// <summary>
    /// A message as the Messages API streams it: message_start (the input's usage), a ping, per content block a
    /// content_block_start, its input as input_json_delta pieces and a content_block_stop, then message_delta (the stop
    /// reason and the output's usage) and message_stop.
    /// </summary>
    private async Task StreamAsync(HttpResponse response, JsonElement message, CancellationToken aborted)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        async Task Send(string type, object data)
        {
            var bytes = Encoding.UTF8.GetBytes($"event: {type}\ndata: {JsonSerializer.Serialize(data)}\n\n");
            await response.Body.WriteAsync(bytes, aborted);
            await response.Body.FlushAsync(aborted);
            if (EventDelay > TimeSpan.Zero) await Task.Delay(EventDelay, aborted);
        }
        var usage = message.GetProperty("usage");
        await Send("message_start", new
        {
            type = "message_start",
            message = new
            {
                id = message.GetProperty("id").GetString(), type = "message", role = "assistant", model = message.GetProperty("model").GetString(),
                content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null,
                usage = new
                {
                    input_tokens = usage.GetProperty("input_tokens").GetInt64(), output_tokens = 1,
                    cache_creation_input_tokens = usage.GetProperty("cache_creation_input_tokens").GetInt64(),
                    cache_read_input_tokens = usage.GetProperty("cache_read_input_tokens").GetInt64(),
                },
            },
        });
        await Send("ping", new { type = "ping" });
        var index = 0;
        foreach (var block in message.GetProperty("content").EnumerateArray())
        {
            await BeforeToolCall(index);
            await Send("content_block_start", new
            {
                type = "content_block_start", index,
                content_block = new { type = "tool_use", id = block.GetProperty("id").GetString(), name = block.GetProperty("name").GetString(), input = new { } },
            });
            // The input in pieces of a few characters, cut anywhere (inside strings and numbers too), as the API does.
            var input = block.GetProperty("input").GetRawText();
            await Send("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = "" } });
            for (var at = 0; at < input.Length; at += 17)
                await Send("content_block_delta", new
                {
                    type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = input[at..Math.Min(input.Length, at + 17)] },
                });
            await Send("content_block_stop", new { type = "content_block_stop", index });
            index++;
        }
        await Send("message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = message.GetProperty("stop_reason").GetString(), stop_sequence = (string?)null },
            usage = new { output_tokens = usage.GetProperty("output_tokens").GetInt64() },
        });
        await Send("message_stop", new { type = "message_stop" });
    }

    public async ValueTask DisposeAsync()
    {
        // A hung answer still waiting on its delay is cut off, not awaited.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(patience.Token);
        await _app.DisposeAsync();
    }
}
