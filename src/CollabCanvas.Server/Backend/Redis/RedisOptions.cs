namespace CollabCanvas.Server.Backend.Redis;

/// <summary>
/// Section <c>CollabCanvas:Backend:Redis</c>. Set, committed batches, presence and access changes travel between
/// instances over Redis pub/sub; unset, the backend's own database carries them.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "CollabCanvas:Backend:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>redis1:6379,password=…,ssl=true</c>. Default: none (no Redis).
    /// Env <c>CollabCanvas__Backend__Redis__Configuration</c>.
    /// </summary>
    public string? Configuration { get; set; }
}
