using Microsoft.AspNetCore.Diagnostics;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// A request that failed because the backend's storage could not be reached (a database restarting, a pool that cannot
/// connect) gets 503 with <c>Retry-After</c>, not 500: nothing is wrong with the request, and a client or load balancer
/// should try again shortly. Which exceptions mean "unreachable" only the implementation knows: it passes its test in.
/// </summary>
public sealed class BackendUnavailableHandler(Func<Exception, bool> isUnavailable, IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!Causes(exception).Any(isUnavailable)) return false;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is unavailable; try again in a few seconds." },
        });
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException) yield return cause;
    }
}
