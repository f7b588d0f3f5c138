using System.ComponentModel.DataAnnotations;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Server.Realtime;

/// <summary>Section <c>CollabCanvas:Realtime</c>. Every limit is enforced and answered with a clear error.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "CollabCanvas:Realtime";

    /// <summary>Largest incoming message, in bytes. Bigger ones close the session with 1009. Default 1 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>Ops in one batch. Default 1000.</summary>
    [Range(1, 100_000)]
    public int MaxOpsPerBatch { get; set; } = 1000;

    /// <summary>Characters in a <c>text</c> prop. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 10_000;

    /// <summary>Numbers in a <c>points</c> array. Default 10,000 (5,000 points).</summary>
    [Range(2, 1_000_000)]
    public int MaxPointNumbers { get; set; } = 10_000;

    /// <summary>Objects in one canvas. Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxObjectsPerCanvas { get; set; } = 10_000;

    /// <summary>Sustained <c>ops</c> batches per second per session; more are refused with <c>rate_limited</c>. Default 30.</summary>
    [Range(1, 100_000)]
    public int BatchesPerSecond { get; set; } = 30;

    /// <summary>Batches a session may send at once above the sustained rate. Default 60.</summary>
    [Range(1, 100_000)]
    public int BatchBurst { get; set; } = 60;

    /// <summary>Sustained messages of any type per second per session; more are dropped (presence first). Default 120.</summary>
    [Range(1, 100_000)]
    public int MessagesPerSecond { get; set; } = 120;

    /// <summary>Seconds a new socket has to send <c>hello</c> before it is closed with 4408. Default 10.</summary>
    [Range(1, 600)]
    public int HelloTimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes queued for one session before it counts as a slow consumer and is closed with 4429. Default 4 MiB.</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public int MaxQueuedBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Recent batches each room keeps in memory for replays. Default 1000.</summary>
    [Range(0, 1_000_000)]
    public int ReplayBufferBatches { get; set; } = 1000;

    /// <summary>A reconnect that missed more batches than this gets the full state instead. Default 5000.</summary>
    [Range(1, 1_000_000)]
    public int MaxReplayBatches { get; set; } = 5000;

    /// <summary>Seconds an empty room stays in memory before it is snapshotted and unloaded. Default 30.</summary>
    [Range(0, 86_400)]
    public int IdleRoomSeconds { get; set; } = 30;

    public Limits ToLimits() => new()
    {
        MaxOpsPerBatch = MaxOpsPerBatch,
        MaxTextLength = MaxTextLength,
        MaxPointNumbers = MaxPointNumbers,
    };
}
