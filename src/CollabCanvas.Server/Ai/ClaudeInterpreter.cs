using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Helpers;
using Anthropic.Core;
using Anthropic.Models.Messages;
using CollabCanvas.Core.Model;
using CollabCanvas.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Ai;

/// <summary>An answer that arrived but that the server cannot use: no tool call, or none that reads.</summary>
public sealed class ClaudeAnswerUnusableException(string message) : Exception(message);

/// <summary>
/// The Claude path: the official Anthropic SDK with tool use, where the tools are the builders and edit operations
/// (<see cref="ToolCatalog"/>). Haiku for simple commands, a larger model for complex ones; the system prompt and
/// the tools are marked for prompt caching; the SDK's timeout and retries apply within the caller's time budget
/// (its cancellation token). Answers are streamed, so that each tool call is used (previewed) as soon as its block is
/// complete. The context sent is small: the selection's summary and the viewport, never the document. Any failure
/// throws, and the caller falls back to the built-in parser.
/// </summary>
public sealed class ClaudeInterpreter(IOptions<AiOptions> options, IOptions<RealtimeOptions> realtime, ILogger<ClaudeInterpreter> logger)
    : IDisposable
{
    private const string SystemPrompt =
        "You turn a user's sentence into calls of the tools given, which draw UI components on a collaborative design " +
        "canvas or change the selected objects. Call one tool per component or change, in order. Fill in labels and titles " +
        "from the sentence (keep the user's wording); choose counts, sizes, variants and themes only when asked or clearly " +
        "implied. Colours are #rrggbb. Prefer create_component whenever a component, shape or diagram it lists fits; " +
        "call place_objects for what none draws, writing plausible copy for the subject. If the request has nothing to " +
        "do with drawing or changing UI on this canvas, call refuse with a one-sentence answer of what you can do.";

    private readonly ClaudeOptions _options = options.Value.Claude;
    private readonly Limits _limits = realtime.Value.ToLimits();
    private readonly Lazy<AnthropicClient> _client = new(() =>
    {
        var claude = options.Value.Claude;
        var client = new ClientOptions
        {
            ApiKey = claude.ApiKey!,
            Timeout = TimeSpan.FromSeconds(claude.TimeoutSeconds),
            MaxRetries = claude.MaxRetries,
        };
        return new AnthropicClient(string.IsNullOrEmpty(claude.BaseUrl) ? client : client with { BaseUrl = claude.BaseUrl });
    });

    /// <summary>The tools as the SDK wants them, made once from <see cref="ToolCatalog"/>.</summary>
    private static readonly List<ToolUnion> Tools = ToolCatalog.All.Select((tool, i) => (ToolUnion)new Tool
    {
        Name = tool.Name,
        Description = tool.Description,
        InputSchema = InputSchema.FromRawUnchecked(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(tool.Schema.ToJsonString())!),
        // The last tool carries the cache breakpoint: the tools and the system prompt are cached together.
        CacheControl = i == ToolCatalog.All.Count - 1 ? new CacheControlEphemeral() : null,
    }).ToList();

    public bool Enabled => _options.Enabled;

    /// <param name="paid">Gets every answer's usage as soon as it arrives, so that what a command cost is known even
    /// when the answer cannot be used and the parser takes over.</param>
    /// <param name="onAction">Gets each usable action as soon as its tool call is complete, long before the answer ends.</param>
    public async Task<AiPlan> InterpretAsync(string prompt, AiContext context, ICollection<AiUsage> paid, Func<AiAction, Task>? onAction,
        CancellationToken cancellationToken)
    {
        var model = IsComplex(prompt) ? _options.ComplexModel : _options.SimpleModel;
        List<MessageParam> messages = [new UserMessageParam(Describe(prompt, context))];
        var (answer, reading) = await AskAsync(model, messages, paid, onAction, cancellationToken);
        if (reading.Failed.Count > 0)
        {
            // One repair turn: the model sees exactly what the validation said; the calls that were used stay done.
            messages.Add(new AssistantMessageParam(AsParams(answer.Content)));
            messages.Add(new UserMessageParam(Results(answer.Content, reading)));
            var (_, repair) = await AskAsync(model, messages, paid, onAction, cancellationToken);
            if (repair.Failed.Count > 0)
                throw new ClaudeAnswerUnusableException("objects still invalid after the repair turn: " +
                    string.Join("; ", repair.Failed.Values.SelectMany(errors => errors).Take(3)));
            reading = new Reading([.. reading.Actions, .. repair.Actions], [], []) { Refusal = reading.Refusal ?? repair.Refusal };
        }
        if (reading.Actions.Count == 0 && reading.Refusal is null)
            throw new ClaudeAnswerUnusableException($"the model's answer held no usable tool call ({reading.Dropped.Count} invalid)");
        return new AiPlan(reading.Actions, reading.Actions.Count == 0 ? (reading.Refusal ?? "") + " " + CommandParser.Help : null) { Interpreter = "claude" };
    }

    /// <summary>
    /// One request, streamed: each tool call is read when its block is complete (input_json_delta pieces put
    /// together), and a usable action goes to <paramref name="onAction"/> there and then. The whole answer (for a
    /// repair turn) is put together by the SDK's aggregator.
    /// </summary>
    private async Task<(Message Answer, Reading Reading)> AskAsync(string model, List<MessageParam> messages, ICollection<AiUsage> paid,
        Func<AiAction, Task>? onAction, CancellationToken cancellationToken)
    {
        var stream = _client.Value.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = _options.MaxTokens,
            System = new List<TextBlockParam> { new(SystemPrompt) { CacheControl = new CacheControlEphemeral() } },
            Tools = Tools,
            ToolChoice = new ToolChoiceAny(),
            Messages = messages,
        }, cancellationToken);
        var aggregator = new MessageContentAggregator();
        var reading = new Reading([], [], []);
        // The tool calls being streamed, by block index: their id, the tool's name and the input's JSON so far.
        var calls = new Dictionary<long, (string Id, string Name, StringBuilder Input)>();
        await foreach (var streamEvent in stream.CollectAsync(aggregator).WithCancellation(cancellationToken))
        {
            if (streamEvent.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var toolUse))
                calls[start.Index] = (toolUse!.ID, toolUse.Name, new StringBuilder());
            else if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var json) && calls.TryGetValue(delta.Index, out var call))
                call.Input.Append(json!.PartialJson);
            else if (streamEvent.TryPickContentBlockStop(out var stop) && calls.Remove(stop!.Index, out var done)
                     && ReadCall(reading, done.Id, done.Name, done.Input.Length == 0 ? "{}" : done.Input.ToString()) is { } action && onAction is not null)
                await onAction(action);
        }
        var answer = aggregator.Message();
        var usage = Cost(model, answer.Usage);
        paid.Add(usage);
        logger.LogInformation("Claude {Model}: {Actions} tool calls used, {Dropped} dropped, {Failed} to repair, {In} in / {Out} out tokens, ${Cost:F5}",
            usage.Model, reading.Actions.Count, reading.Dropped.Count, reading.Failed.Count, usage.InputTokens, usage.OutputTokens, usage.CostUsd);
        return (answer, reading);
    }

    /// <summary>An answer's calls: the actions used, a refusal, the ids of calls dropped, and the errors of calls to repair.</summary>
    private sealed record Reading(List<AiAction> Actions, List<string> Dropped, Dictionary<string, IReadOnlyList<string>> Failed)
    {
        public string? Refusal { get; set; }
    }

    /// <summary>Reads one complete tool call into <paramref name="reading"/>; returns its action when it is usable.</summary>
    private AiAction? ReadCall(Reading reading, string id, string name, string inputJson)
    {
        var tool = ToolCatalog.All.FirstOrDefault(t => t.Name == name);
        ToolCatalog.ToolReading? read = null;
        try
        {
            var input = JsonDocument.Parse(inputJson).RootElement;
            if (tool?.Name == "refuse")
            {
                reading.Refusal = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                    ? m.GetString() : null;
                return null;
            }
            read = tool?.Read(input, _limits);
        }
        catch (JsonException)
        {
            // Input of the wrong shape: the call is dropped, as an unknown tool is.
        }
        if (read?.Action is { } action) reading.Actions.Add(action);
        else if (read?.Errors is { Count: > 0 } errors) reading.Failed[id] = errors;
        else reading.Dropped.Add(id);
        return read?.Action;
    }

    /// <summary>The answer as the next request repeats it: its text and its tool calls.</summary>
    private static List<ContentBlockParam> AsParams(IReadOnlyList<ContentBlock> content)
    {
        var blocks = new List<ContentBlockParam>();
        foreach (var block in content)
        {
            if (block.TryPickText(out var text)) blocks.Add(new TextBlockParam(text!.Text));
            else if (block.TryPickToolUse(out var call)) blocks.Add(new ToolUseBlockParam { ID = call!.ID, Name = call.Name, Input = call.Input });
        }
        return blocks;
    }

    /// <summary>A result for every call of the answer (the API wants one each): done, not usable, or the errors to fix.</summary>
    private static List<ContentBlockParam> Results(IReadOnlyList<ContentBlock> content, Reading reading)
    {
        var blocks = new List<ContentBlockParam>();
        foreach (var block in content)
        {
            if (!block.TryPickToolUse(out var call)) continue;
            var (result, error) = reading.Failed.TryGetValue(call!.ID, out var errors) ? (string.Join("\n", errors), true)
                : reading.Dropped.Contains(call.ID) ? ("Not used: an unknown tool, or input of the wrong shape.", true)
                : ("Done.", false);
            blocks.Add(new ToolResultBlockParam(call.ID) { Content = result, IsError = error });
        }
        blocks.Add(new TextBlockParam("Fix the errors and call the tools again for those calls only; what is done stays done."));
        return blocks;
    }

    /// <summary>Several components (a page's parts count), several clauses or a long sentence go to the larger model.</summary>
    private static bool IsComplex(string prompt) =>
        prompt.Length > 120 || prompt.Count(c => c == ',') >= 2
        || CommandParser.Parse(prompt, hasSelection: true).Actions.Sum(a => a is CreateComponent c ? 1 + (c.Spec.Parts?.Length ?? 0) : 1) > 1;

    /// <summary>The message: the sentence, the selection's summary (at most 20 objects, no document), the viewport, the theme.</summary>
    private static string Describe(string prompt, AiContext context)
    {
        var selected = context.Selection.Take(20).Select(id =>
        {
            var o = context.Objects[id];
            var text = o["text"]?.GetValue<string>();
            return new
            {
                id, type = o["type"]?.GetValue<string>(), name = o["name"]?.GetValue<string>(),
                x = o["x"]?.GetValue<double>(), y = o["y"]?.GetValue<double>(), width = o["width"]?.GetValue<double>(), height = o["height"]?.GetValue<double>(),
                fill = o["fill"]?.GetValue<string>(), text = text is null ? null : text[..Math.Min(40, text.Length)],
            };
        });
        var summary = JsonSerializer.Serialize(new
        {
            selection = new { count = context.Selection.Count, objects = selected },
            viewport = context.Viewport,
            defaultTheme = context.DefaultTheme,
        }, ToolCatalog.Json);
        return $"{prompt}\n\nCanvas: {summary}";
    }

    /// <summary>Published prices per million tokens (input, output); cache writes cost 1.25x input, cache reads 0.1x.</summary>
    private static AiUsage Cost(string model, Usage usage)
    {
        var (input, output) = model switch
        {
            _ when model.Contains("haiku", StringComparison.OrdinalIgnoreCase) => (1.0m, 5.0m),
            _ when model.Contains("opus", StringComparison.OrdinalIgnoreCase) => (5.0m, 25.0m),
            _ => (3.0m, 15.0m), // sonnet
        };
        var cacheRead = usage.CacheReadInputTokens ?? 0;
        var cacheWrite = usage.CacheCreationInputTokens ?? 0;
        var cost = (usage.InputTokens * input + usage.OutputTokens * output + cacheWrite * input * 1.25m + cacheRead * input * 0.1m) / 1_000_000m;
        Observability.CanvasMetrics.AiTokens.Add(usage.InputTokens, new("model", model), new("kind", "input"));
        Observability.CanvasMetrics.AiTokens.Add(usage.OutputTokens, new("model", model), new("kind", "output"));
        Observability.CanvasMetrics.AiTokens.Add(cacheRead, new("model", model), new("kind", "cache_read"));
        Observability.CanvasMetrics.AiTokens.Add(cacheWrite, new("model", model), new("kind", "cache_write"));
        Observability.CanvasMetrics.AiCost.Add((double)cost, new KeyValuePair<string, object?>("model", model));
        return new AiUsage(model, usage.InputTokens, usage.OutputTokens, cacheRead, cacheWrite, cost);
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
