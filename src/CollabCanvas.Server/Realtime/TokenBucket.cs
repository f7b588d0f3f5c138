using System.Diagnostics;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// A per-session rate limiter. Hand-written rather than System.Threading.RateLimiting's token bucket, which holds a
/// timer per limiter: with 10,000 sessions that is 10,000 timers for nothing. Only the session's receive loop uses it.
/// </summary>
public struct TokenBucket(double perSecond, double burst)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
