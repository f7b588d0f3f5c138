using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Canvases;
using CollabCanvas.Server.Observability;
using CollabCanvas.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Ai;

public sealed record AiRequest(string? Prompt, string[]? Selection, Viewport? Viewport);

/// <summary>
/// What a command did: the objects it created, the batch's seq, the ops that undo it, what is left this hour, and a
/// sentence for the person who asked ("Made 3 cards; ignored 'animated'") with the words it ignored, and a note when
/// the interpreter asked for is not the one that answered.
/// </summary>
public sealed record AiResponse(IReadOnlyList<string> Created, long? Seq, JsonArray Undo, int Remaining, string Interpreter, string? Theme,
    string Summary, IReadOnlyList<string> Ignored, string? Note);

/// <summary>Why a command did nothing: a refusal (with help), the limit, or bad input.</summary>
public sealed record AiFailure(int Status, string Message, int Remaining, TimeSpan? RetryAfter = null);

/// <summary>
/// Runs a command: takes a slot of the user's hourly limit, asks the interpreter (Claude when configured, falling
/// back to the built-in parser on any failure; the parser otherwise), turns the plan into ops against a copy of the
/// canvas, and appends them through the log as one batch, so every session sees it at once and it is durable.
/// </summary>
public sealed class AiCommands(RoomManager rooms, CanvasStore canvases, AiQuota quota, ClaudeInterpreter claude,
    IOptions<AiOptions> options, IOptions<RealtimeOptions> realtime, ILogger<AiCommands> logger)
{
    public const int MaxSelection = 1000;

    public async Task<(AiResponse? Response, AiFailure? Failure)> RunAsync(string canvasId, string userId, AiRequest request,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (Validate(request) is { } problem) return (null, new AiFailure(StatusCodes.Status400BadRequest, problem, await quota.RemainingAsync(userId, cancellationToken)));
        var (slot, wait) = await quota.TryTakeAsync(userId, canvasId, cancellationToken);
        if (slot is null)
        {
            CanvasMetrics.AiCommands.Add(1, new("interpreter", "none"), new("outcome", "limited"));
            return (null, new AiFailure(StatusCodes.Status429TooManyRequests,
                $"You have used your {options.Value.CommandsPerHour} AI commands for this hour.", 0, wait));
        }

        var room = await rooms.GetAsync(canvasId);
        try
        {
            var (_, objectsJson) = room.Document();
            var objects = ReadObjects(objectsJson);
            var selection = (request.Selection ?? []).Where(objects.ContainsKey).Distinct().ToList();
            var context = new AiContext(objects, selection, request.Viewport, await canvases.ThemeAsync(canvasId, cancellationToken) ?? Themes.Default);

            var plan = await InterpretAsync(request.Prompt!.Trim(), context, cancellationToken);
            await quota.RecordAsync(slot, plan.Interpreter, plan.Usage, cancellationToken);
            if (plan.Refusal is not null || plan.Actions.Count == 0)
            {
                CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", "refused"));
                var refusal = plan.Refusal ?? CommandParser.NotUnderstood;
                return (null, await RefundAsync(slot, plan, userId, new AiFailure(StatusCodes.Status422UnprocessableEntity, plan.Note is null ? refusal : $"{plan.Note} {refusal}", 0)));
            }

            var result = new PlanExecutor(context, () => "ai" + Ids.New(12)).Run(plan);
            if (result.NewDefaultTheme is { } theme) await canvases.SetThemeAsync(canvasId, theme, cancellationToken);
            long? seq = null;
            var limits = realtime.Value.ToLimits();
            if (result.Ops.Count > limits.MaxOpsPerBatch)
                return (null, await RefundAsync(slot, plan, userId, new AiFailure(StatusCodes.Status409Conflict,
                    $"That would change {result.Ops.Count} objects at once; one command may change at most {limits.MaxOpsPerBatch}.", 0)));
            if (result.Ops.Count > 0)
            {
                var json = Encoding.UTF8.GetBytes(result.Ops.ToJsonString());
                using var document = JsonDocument.Parse(json);
                if (!OpJson.TryRead(document.RootElement, limits, out var ops, out var error))
                {
                    // Placement is clamped into the canvas's bounds, so this is a limit configured below what a builder
                    // draws (a text longer than MaxTextLength), or a bug: either way the user is not charged for it.
                    logger.LogWarning("AI command on {Canvas} made an op the canvas cannot take ({Error}); nothing was applied", canvasId, error);
                    await quota.ReturnAsync(slot, cancellationToken);
                    return (null, new AiFailure(StatusCodes.Status500InternalServerError,
                        "The command made something this canvas cannot hold; nothing was changed.", await quota.RemainingAsync(userId, cancellationToken)));
                }
                var appended = await room.SubmitFromServerAsync(userId, "ai-" + userId, ops, OpJson.ToUtf8(ops));
                if (appended is null)
                    return (null, await RefundAsync(slot, plan, userId, new AiFailure(StatusCodes.Status409Conflict, "The canvas holds too many objects for this.", 0)));
                seq = appended.Value.Seq;
            }
            CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", "applied"));
            CanvasMetrics.AiDuration.Record(watch.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("interpreter", plan.Interpreter));
            logger.LogInformation("AI command on {Canvas} by {User}: {Actions} actions, {Ops} ops, seq {Seq}, {Interpreter}, {Ms:F1} ms",
                canvasId, userId, plan.Actions.Count, result.Ops.Count, seq, plan.Interpreter, watch.Elapsed.TotalMilliseconds);
            return (new AiResponse(result.Created, seq, result.Undo, slot.Remaining, plan.Interpreter, result.NewDefaultTheme, result.Summary, plan.Ignored, plan.Note), null);
        }
        catch
        {
            // A command that failed changed nothing (its batch is appended last), so it costs nothing either.
            await quota.ReturnAsync(slot, CancellationToken.None);
            throw;
        }
        finally
        {
            _ = rooms.ReleaseAsync(room);
        }
    }

    /// <summary>A command that changed nothing gives its slot back unless it cost model tokens; the failure says what is left.</summary>
    private async Task<AiFailure> RefundAsync(AiQuota.Slot slot, AiPlan plan, string userId, AiFailure failure)
    {
        if (plan.Usage is null) await quota.ReturnAsync(slot);
        return failure with { Remaining = await quota.RemainingAsync(userId) };
    }

    /// <summary>
    /// Claude within the command's time budget (whatever the SDK's timeout and retries), else the parser: a person
    /// waits seconds for an answer, never a hung API's minute, and is told which interpreter made the result.
    /// </summary>
    private async Task<AiPlan> InterpretAsync(string prompt, AiContext context, CancellationToken cancellationToken)
    {
        if (!claude.Enabled) return CommandParser.Parse(prompt, context.Selection.Count > 0);
        var budget = options.Value.Claude.BudgetSeconds;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(budget));
        var paid = new List<AiUsage>();
        try
        {
            return await claude.InterpretAsync(prompt, context, paid, deadline.Token) with { Usage = AiUsage.Sum(paid) };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure of the model path (limits, errors, the budget, unusable answers) falls back to the parser.
            logger.LogWarning("Claude failed ({Error}); the built-in parser answers instead", e.GetType().Name + ": " + e.Message);
            var note = deadline.IsCancellationRequested ? $"Claude did not answer in {budget} s; the built-in parser answered instead."
                : e is ClaudeAnswerUnusableException ? "Claude's answer could not be used; the built-in parser answered instead."
                : "Claude is unavailable right now; the built-in parser answered instead.";
            // An answer paid for but not used is on the command's bill all the same.
            return CommandParser.Parse(prompt, context.Selection.Count > 0) with { Interpreter = "claude->builtin", Note = note, Usage = AiUsage.Sum(paid) };
        }
    }

    private string? Validate(AiRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Prompt)) return "prompt: say what to make or change.";
        if (request.Prompt.Length > options.Value.MaxPromptLength) return $"prompt: at most {options.Value.MaxPromptLength} characters.";
        if (request.Selection is { } selection && (selection.Length > MaxSelection || selection.Any(id => !ObjectSchema.IsValidId(id))))
            return $"selection: at most {MaxSelection} object ids.";
        if (request.Viewport is { } v && !(double.IsFinite(v.X) && double.IsFinite(v.Y) && double.IsFinite(v.Width) && double.IsFinite(v.Height)
                && v.Width is > 0 and < 1e7 && v.Height is > 0 and < 1e7 && Math.Abs(v.X) < 1e7 && Math.Abs(v.Y) < 1e7))
            return "viewport: {x, y, width, height}, finite, with a positive size.";
        return null;
    }

    /// <summary>The objects by id, read-only: the plan executor works on its own copy.</summary>
    private static Dictionary<string, JsonObject> ReadObjects(byte[] objectsJson) =>
        JsonNode.Parse(objectsJson)!.AsObject().ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal);
}
