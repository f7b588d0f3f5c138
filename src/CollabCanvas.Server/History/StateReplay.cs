using CollabCanvas.Core.Model;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.History;

/// <summary>The state of a canvas after every batch up to <see cref="Seq"/>; not <see cref="Exact"/> when the batches
/// up to the seq asked for were thinned (retention) and this is the checkpoint before it.</summary>
public sealed record HistoricState(long Seq, bool Exact, CanvasState State);

/// <summary>
/// The state of a canvas at any seq: the checkpoint at or before it (none: the empty canvas), then the batches after it
/// applied with Core's <see cref="CanvasState.Apply"/>, as every replica applies them. Checkpoints come every
/// <see cref="HistoryOptions.CheckpointEveryBatches"/> batches or so, which bounds the replay.
/// </summary>
public sealed class StateReplay(ICanvasLog log, ICanvasHistory history)
{
    /// <summary>Batches read from the log per round trip while replaying from a checkpoint.</summary>
    private const int ReplayPage = 2000;

    public async Task<HistoricState> StateAtAsync(string canvasId, long seq, CancellationToken cancellationToken = default)
    {
        var checkpoint = await history.CheckpointAtOrBeforeAsync(canvasId, seq, cancellationToken);
        var state = checkpoint is null ? new CanvasState() : Read(checkpoint.ObjectsJson);
        var reached = checkpoint?.Seq ?? 0;
        while (true)
        {
            // Null: the batches after the checkpoint were thinned; the checkpoint is exact only for its own seq.
            var page = await log.ReadAfterAsync(canvasId, reached, ReplayPage, cancellationToken);
            if (page is null) return new HistoricState(reached, Exact: reached == seq, state);
            foreach (var batch in page)
            {
                if (batch.Seq > seq) return new HistoricState(reached, Exact: true, state);
                state.Apply(batch.Ops ?? OpJson.ReadLogged(batch.OpsJson));
                reached = batch.Seq;
            }
            if (page.Count < ReplayPage) return new HistoricState(reached, Exact: true, state);
        }
    }

    /// <summary>A state from what <see cref="CanvasState.WriteObjects"/> wrote (a checkpoint, a snapshot, a room's document).</summary>
    public static CanvasState Read(byte[] objectsJson) => CanvasState.Read(objectsJson);
}
