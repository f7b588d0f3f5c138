using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Observability;

/// <summary>Section <c>CollabCanvas:Metrics</c>: who may read <c>/metrics</c>. Described in docs/deployment.md.</summary>
public sealed class MetricsOptions
{
    public const string Section = "CollabCanvas:Metrics";

    /// <summary>Networks in CIDR notation whose clients may scrape. Unset: loopback only (127.0.0.0/8 and ::1/128).</summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>A scraper that sends <c>Authorization: Bearer</c> with this value may scrape from anywhere. Unset: no token.</summary>
    [MinLength(16)]
    public string? Token { get; set; }
}

/// <summary>
/// The gate in front of the Prometheus exporter. The client address is the one the trusted proxies name
/// (docs/deployment.md); a request that still carries <c>X-Forwarded-For</c> came through a proxy the server does
/// not trust, so it is not taken for a local one.
/// </summary>
public static class MetricsAccess
{
    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    public static OptionsBuilder<MetricsOptions> AddMetricsAccess(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks?.All(n => IPNetwork.TryParse(n, out _)) ?? true,
                $"{MetricsOptions.Section}:AllowedNetworks holds a value that is not a network in CIDR notation (e.g. 10.0.0.0/8).")
            .ValidateOnStart();

    /// <summary>Whether the request comes from the operator's scraper (an allowed network, or the token).</summary>
    public static bool Allows(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
        return HasToken(context.Request, options.Token) || FromAllowedNetwork(context, options.AllowedNetworks ?? Loopback);
    }

    public static async Task Gate(HttpContext context, RequestDelegate next)
    {
        if (Allows(context))
        {
            await next(context);
            return;
        }
        await TypedResults.Problem("Metrics are for the operator's scraper: see docs/deployment.md.", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(context);
    }

    private static bool FromAllowedNetwork(HttpContext context, string[] networks)
    {
        if (context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Connection.RemoteIpAddress is not { } address) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return networks.Any(n => IPNetwork.TryParse(n, out var network) && network.Contains(address));
    }

    private static bool HasToken(HttpRequest request, string? token)
    {
        var header = request.Headers.Authorization.ToString();
        return token is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
