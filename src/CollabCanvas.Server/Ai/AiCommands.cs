using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Canvases;
using CollabCanvas.Server.Features;
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
/// A command that waits as a preview for its requester: the id that accepts or discards it, what it would do, and how
/// long it waits.
/// </summary>
public sealed record AiPreviewReady(string Command, int Objects, int Remaining, string Interpreter, string Summary,
    IReadOnlyList<string> Ignored, string? Note, int ExpiresInSeconds);

/// <summary>
/// Runs commands. <see cref="RunAsync"/> takes a slot of the user's hourly limit, asks the interpreter (Claude when
/// configured, falling back to the built-in parser on any failure; the parser otherwise), turns the plan into ops
/// against a copy of the canvas, and appends them through the log as one batch, so every session sees it at once and it
/// is durable. <see cref="PreviewAsync"/> does the same up to the ops, which it hands to the requester alone as the
/// model chooses them, and keeps the plan until <see cref="AcceptAsync"/> runs it against the canvas as it is then.
/// </summary>
public sealed class AiCommands(RoomManager rooms, CanvasStore canvases, AiQuota quota, AiPreviews previews, ClaudeInterpreter claude,
    FeatureFlags flags, IOptions<AiOptions> options, IOptions<RealtimeOptions> realtime, ILogger<AiCommands> logger)
{
    public const int MaxSelection = 1000;

    /// <summary>Whether Claude answers this user's commands: configured, and the flag <see cref="Feature.AiClaude"/> on for them.</summary>
    public async ValueTask<bool> UsesClaudeAsync(string userId, CancellationToken cancellationToken) =>
        claude.Enabled && await flags.IsOnAsync(Feature.AiClaude, userId, cancellationToken);

    public async Task<(AiResponse? Response, AiFailure? Failure)> RunAsync(string canvasId, string userId, AiRequest request,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var (slot, refused) = await TakeSlotAsync(userId, canvasId, request, cancellationToken);
        if (slot is null) return (null, refused);
        var room = await rooms.GetAsync(canvasId);
        try
        {
            var (_, context) = await ContextOfAsync(canvasId, room, request.Selection, request.Viewport, cancellationToken);
            var plan = await InterpretAsync(request.Prompt!.Trim(), context, onAction: null, await UsesClaudeAsync(userId, cancellationToken), cancellationToken);
            await quota.RecordAsync(slot, plan.Interpreter, plan.Usage, cancellationToken);
            if (Refusal(plan) is { } refusal) return (null, await RefundAsync(slot, plan, userId, refusal));

            var (response, failure) = await ApplyAsync(room, canvasId, userId, context, plan, slot.Remaining, cancellationToken);
            if (failure is not null) return (null, await RefundAsync(slot, plan, userId, failure));
            CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", "applied"));
            CanvasMetrics.AiDuration.Record(watch.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("interpreter", plan.Interpreter));
            logger.LogInformation("AI command on {Canvas} by {User}: {Actions} actions, {Ops} ops, seq {Seq}, {Interpreter}, {Ms:F1} ms",
                canvasId, userId, plan.Actions.Count, response!.Undo.Count, response.Seq, plan.Interpreter, watch.Elapsed.TotalMilliseconds);
            return (response, null);
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

    /// <summary>
    /// Runs a command up to its ops and keeps it as a preview: <paramref name="preview"/> gets the ops of each action
    /// as soon as the interpreter has chosen it (all of them again, with <c>reset</c>, when the parser took over from a
    /// model that failed). Nothing is appended; the answer is the id that accepts it.
    /// </summary>
    public async Task<(AiPreviewReady? Ready, AiFailure? Failure)> PreviewAsync(string canvasId, string userId, AiRequest request,
        Func<JsonArray, bool, Task> preview, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var (slot, refused) = await TakeSlotAsync(userId, canvasId, request, cancellationToken);
        if (slot is null) return (null, refused);
        var room = await rooms.GetAsync(canvasId);
        try
        {
            var (_, context) = await ContextOfAsync(canvasId, room, request.Selection, request.Viewport, cancellationToken);
            var executor = new PlanExecutor(context, NewId);
            var previewed = new List<AiAction>();
            var useClaude = await UsesClaudeAsync(userId, cancellationToken);
            var plan = await InterpretAsync(request.Prompt!.Trim(), context, async action =>
            {
                var before = executor.Ops.Count;
                executor.Add(action);
                previewed.Add(action);
                await preview(new JsonArray(executor.Ops.Skip(before).Select(op => op!.DeepClone()).ToArray()), false);
            }, useClaude, cancellationToken);
            await quota.RecordAsync(slot, plan.Interpreter, plan.Usage, cancellationToken);
            if (Refusal(plan) is { } refusal) return (null, await RefundAsync(slot, plan, userId, refusal));
            if (!plan.Actions.SequenceEqual(previewed))
            {
                executor = new PlanExecutor(context, NewId);
                foreach (var action in plan.Actions) executor.Add(action);
                await preview((JsonArray)executor.Ops.DeepClone(), true);
            }
            var result = executor.Result(plan.Ignored);
            if (Validate(canvasId, result.Ops).Failure is { } invalid) return (null, await RefundAsync(slot, plan, userId, invalid));

            // The objects that were there and that the command changes, as they were: accepting checks that they still are.
            var changes = result.Ops.Select(op => op!["id"]!.GetValue<string>()).Distinct()
                .Where(context.Objects.ContainsKey).ToDictionary(id => id, id => (JsonObject)context.Objects[id].DeepClone());
            var id = await previews.AddAsync(userId, canvasId,
                new AiPreview(plan.Actions, plan.Ignored, plan.Interpreter, plan.Note, context.Selection, request.Viewport, changes));
            CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", "previewed"));
            CanvasMetrics.AiDuration.Record(watch.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("interpreter", plan.Interpreter));
            logger.LogInformation("AI command on {Canvas} by {User}: {Actions} actions, {Ops} ops previewed as {Preview}, {Interpreter}, {Ms:F1} ms",
                canvasId, userId, plan.Actions.Count, result.Ops.Count, id, plan.Interpreter, watch.Elapsed.TotalMilliseconds);
            return (new AiPreviewReady(id, result.Created.Count, slot.Remaining, plan.Interpreter, result.Summary, plan.Ignored, plan.Note,
                (int)previews.Lifetime.TotalSeconds), null);
        }
        catch
        {
            await quota.ReturnAsync(slot, CancellationToken.None);
            throw;
        }
        finally
        {
            _ = rooms.ReleaseAsync(room);
        }
    }

    /// <summary>
    /// Applies the user's preview as one batch: its plan runs again against the canvas as it is now (so what it places
    /// goes to space that is free now), unless someone changed or deleted an object it changes since (409).
    /// </summary>
    public async Task<(AiResponse? Response, AiFailure? Failure)> AcceptAsync(string canvasId, string userId, string command,
        CancellationToken cancellationToken)
    {
        var (found, preview) = await previews.TakeAsync(userId, canvasId, command);
        if (found == AiPreviews.Found.Expired)
            return (null, new AiFailure(StatusCodes.Status410Gone,
                $"This preview expired (a preview waits {options.Value.PreviewSeconds} seconds); run the command again.", await quota.RemainingAsync(userId, cancellationToken)));
        if (preview is null)
            return (null, new AiFailure(StatusCodes.Status404NotFound,
                "There is no such preview: it was accepted or discarded already, or newer ones replaced it. Run the command again.", await quota.RemainingAsync(userId, cancellationToken)));
        var room = await rooms.GetAsync(canvasId);
        try
        {
            var (_, context) = await ContextOfAsync(canvasId, room, preview.Selection, preview.Viewport, cancellationToken);
            var changed = preview.Changes.Count(p => !context.Objects.TryGetValue(p.Key, out var now) || !JsonNode.DeepEquals(now, p.Value));
            if (changed > 0)
                return (null, new AiFailure(StatusCodes.Status409Conflict,
                    $"Someone changed {(changed == 1 ? "an object" : $"{changed} objects")} this command changes since the preview, so nothing was applied; run the command again.",
                    await quota.RemainingAsync(userId, cancellationToken)));
            var plan = new AiPlan(preview.Actions) { Interpreter = preview.Interpreter, Ignored = preview.Ignored, Note = preview.Note };
            var (response, failure) = await ApplyAsync(room, canvasId, userId, context, plan, await quota.RemainingAsync(userId, cancellationToken),
                cancellationToken);
            CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", failure is null ? "accepted" : "failed"));
            return (response, failure);
        }
        finally
        {
            _ = rooms.ReleaseAsync(room);
        }
    }

    /// <summary>Drops the user's preview; false when there is none (already accepted, discarded, expired).</summary>
    public async Task<bool> DiscardAsync(string canvasId, string userId, string command)
    {
        var (found, _) = await previews.TakeAsync(userId, canvasId, command);
        if (found == AiPreviews.Found.Yes) CanvasMetrics.AiCommands.Add(1, new("interpreter", "none"), new("outcome", "discarded"));
        return found != AiPreviews.Found.No;
    }

    /// <summary>A slot of the user's hourly limit for a valid request, or why not.</summary>
    private async Task<(AiQuota.Slot? Slot, AiFailure? Failure)> TakeSlotAsync(string userId, string canvasId, AiRequest request,
        CancellationToken cancellationToken)
    {
        if (Validate(request) is { } problem)
            return (null, new AiFailure(StatusCodes.Status400BadRequest, problem, await quota.RemainingAsync(userId, cancellationToken)));
        var (slot, wait) = await quota.TryTakeAsync(userId, canvasId, cancellationToken);
        if (slot is not null) return (slot, null);
        CanvasMetrics.AiCommands.Add(1, new("interpreter", "none"), new("outcome", "limited"));
        return (null, new AiFailure(StatusCodes.Status429TooManyRequests,
            $"You have used your {options.Value.CommandsPerHour} AI commands for this hour.", 0, wait));
    }

    /// <summary>The canvas as the room holds it now, with the selection that is still there.</summary>
    private async Task<(long Seq, AiContext Context)> ContextOfAsync(string canvasId, Room room, IEnumerable<string>? selection, Viewport? viewport,
        CancellationToken cancellationToken)
    {
        var (seq, objectsJson, _) = await room.DocumentAsync();
        var objects = ReadObjects(objectsJson);
        var selected = (selection ?? []).Where(objects.ContainsKey).Distinct().ToList();
        return (seq, new AiContext(objects, selected, viewport, await canvases.ThemeAsync(canvasId, cancellationToken) ?? Themes.Default));
    }

    private static string NewId() => "ai" + Ids.New(12);

    private static AiFailure? Refusal(AiPlan plan)
    {
        if (plan.Refusal is null && plan.Actions.Count > 0) return null;
        CanvasMetrics.AiCommands.Add(1, new("interpreter", plan.Interpreter), new("outcome", "refused"));
        var refusal = plan.Refusal ?? CommandParser.NotUnderstood;
        return new AiFailure(StatusCodes.Status422UnprocessableEntity, plan.Note is null ? refusal : $"{plan.Note} {refusal}", 0);
    }

    /// <summary>Carries out the plan against the canvas as <paramref name="context"/> holds it and appends it as one batch.</summary>
    private async Task<(AiResponse? Response, AiFailure? Failure)> ApplyAsync(Room room, string canvasId, string userId, AiContext context,
        AiPlan plan, int remaining, CancellationToken cancellationToken)
    {
        var result = new PlanExecutor(context, NewId).Run(plan);
        var (ops, failure) = Validate(canvasId, result.Ops);
        if (failure is not null) return (null, failure);
        long? seq = null;
        if (ops!.Length > 0)
        {
            var appended = await room.SubmitFromServerAsync(userId, "ai-" + userId, ops, OpJson.ToUtf8(ops));
            if (appended is null) return (null, new AiFailure(StatusCodes.Status409Conflict, "The canvas holds too many objects for this.", 0));
            seq = appended.Value.Seq;
        }
        if (result.NewDefaultTheme is { } theme) await canvases.SetThemeAsync(canvasId, theme, cancellationToken);
        return (new AiResponse(result.Created, seq, result.Undo, remaining, plan.Interpreter, result.NewDefaultTheme, result.Summary, plan.Ignored, plan.Note), null);
    }

    /// <summary>The ops as the log takes them, or why the canvas cannot take them.</summary>
    private (Op[]? Ops, AiFailure? Failure) Validate(string canvasId, JsonArray json)
    {
        var limits = realtime.Value.ToLimits();
        if (json.Count > limits.MaxOpsPerBatch)
            return (null, new AiFailure(StatusCodes.Status409Conflict,
                $"That would change {json.Count} objects at once; one command may change at most {limits.MaxOpsPerBatch}.", 0));
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        if (OpJson.TryRead(document.RootElement, limits, out var ops, out var error)) return (ops, null);
        // Placement is clamped into the canvas's bounds, so this is a limit configured below what a builder draws (a text
        // longer than MaxTextLength), or a bug: either way the user is not charged for it (500 gives the slot back).
        logger.LogWarning("AI command on {Canvas} made an op the canvas cannot take ({Error}); nothing was applied", canvasId, error);
        return (null, new AiFailure(StatusCodes.Status500InternalServerError, "The command made something this canvas cannot hold; nothing was changed.", 0));
    }

    /// <summary>
    /// A command that changed nothing gives its slot back unless it cost model tokens, or unless the server was at
    /// fault (500), whatever it cost; the failure says what is left.
    /// </summary>
    private async Task<AiFailure> RefundAsync(AiQuota.Slot slot, AiPlan plan, string userId, AiFailure failure)
    {
        if (plan.Usage is null || failure.Status == StatusCodes.Status500InternalServerError) await quota.ReturnAsync(slot);
        return failure with { Remaining = await quota.RemainingAsync(userId) };
    }

    /// <summary>
    /// Claude within the command's time budget (whatever the SDK's timeout and retries), else the parser: a person
    /// waits seconds for an answer, never a hung API's minute, and is told which interpreter made the result. When the
    /// actions are previewed as they come (<paramref name="onAction"/>), the budget is for the first of them: after
    /// that the person watches the answer arrive, and only the SDK's timeout bounds the rest.
    /// </summary>
    private async Task<AiPlan> InterpretAsync(string prompt, AiContext context, Func<AiAction, Task>? onAction, bool useClaude,
        CancellationToken cancellationToken)
    {
        if (!useClaude) return CommandParser.Parse(prompt, context.Selection.Count > 0);
        var budget = options.Value.Claude.BudgetSeconds;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(budget));
        var paid = new List<AiUsage>();
        Func<AiAction, Task>? previewing = onAction is null ? null : action =>
        {
            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            return onAction(action);
        };
        try
        {
            return await claude.InterpretAsync(prompt, context, paid, previewing, deadline.Token) with { Usage = AiUsage.Sum(paid) };
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
