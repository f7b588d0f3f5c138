using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;

namespace CollabCanvas.Server.Web;

/// <summary>
/// A limit on requests per key (an address, a user) in fixed windows, for the few endpoints that need one (sign-in,
/// invitations); an endpoint asks for it with <see cref="RequestLimits.RequireRequestLimit{TBuilder}"/>. Used in place
/// of ASP.NET Core's rate-limiting middleware, whose partitioned limiter replenishes its partitions on a 100 ms timer
/// for as long as the process runs, requests or not: a measurable part of an idle instance's CPU (docs/benchmarks.md).
/// Here nothing runs between requests: each key's <see cref="FixedWindowRateLimiter"/> has no timer and starts its next
/// window when a request finds the current one over, and keys whose window is over are forgotten at most once a window,
/// also when a request comes. The limits and the answers are the same as the middleware's: the permit count per window
/// from the start of a key's window, and 429 as problem+json with Retry-After.
/// </summary>
public abstract class RequestLimit(string name, int permitLimit, TimeSpan window, string rejection)
{
    private readonly Dictionary<string, FixedWindowRateLimiter> _windows = [];
    private long _lastForget = Stopwatch.GetTimestamp();

    /// <summary>What endpoints name in <see cref="RequestLimits.RequireRequestLimit{TBuilder}"/>.</summary>
    public string Name => name;

    /// <summary>The key a request counts against, or null when this limit does not apply to it.</summary>
    protected abstract string? KeyOf(HttpContext context);

    /// <summary>True: the request may go on. False: it was answered 429.</summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context)
    {
        if (KeyOf(context) is not { } key) return true;
        using (var lease = Acquire(key))
        {
            if (lease.IsAcquired) return true;
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        await TypedResults.Problem(rejection, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
        return false;
    }

    private RateLimitLease Acquire(string key)
    {
        lock (_windows) // a few requests a minute per key at most pass here (sign-in hashes a password): a lock is plenty
        {
            if (Stopwatch.GetElapsedTime(_lastForget) >= window) ForgetEndedWindows();
            if (!_windows.TryGetValue(key, out var limiter))
            {
                limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permitLimit, Window = window, QueueLimit = 0, AutoReplenishment = false,
                });
                _windows[key] = limiter;
            }
            limiter.TryReplenish(); // starts the next window if this one is over; does nothing otherwise
            return limiter.AttemptAcquire();
        }
    }

    /// <summary>A key whose window is over counts as much as one never seen: drop it, so the table does not grow.</summary>
    private void ForgetEndedWindows()
    {
        _lastForget = Stopwatch.GetTimestamp();
        foreach (var (key, limiter) in _windows)
        {
            limiter.TryReplenish();
            if (limiter.IdleDuration is null) continue; // permits still taken in its current window
            _windows.Remove(key);
            limiter.Dispose();
        }
    }
}

public static class RequestLimits
{
    /// <summary>The endpoint counts against the <see cref="RequestLimit"/> of this name.</summary>
    public static TBuilder RequireRequestLimit<TBuilder>(this TBuilder builder, string name) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestLimitName(name));

    /// <summary>Applies each endpoint's <see cref="RequestLimit"/>; where ASP.NET Core's <c>UseRateLimiter</c> would go.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.UseMiddleware<RequestLimitMiddleware>();

    private sealed record RequestLimitName(string Name);

    private sealed class RequestLimitMiddleware(RequestDelegate next, IEnumerable<RequestLimit> limits)
    {
        private readonly Dictionary<string, RequestLimit> _byName = limits.ToDictionary(limit => limit.Name);

        public async Task InvokeAsync(HttpContext context)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<RequestLimitName>() is { } limit && !await _byName[limit.Name].AdmitAsync(context))
                return;
            await next(context);
        }
    }
}
