using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CollabCanvas.Server.Web;

/// <summary>
/// What every request meets first: forwarded headers believed only from the configured proxies, HSTS on HTTPS, and
/// the headers that confine the editor (a strict Content-Security-Policy, no sniffing, no framing, no referrer to
/// other sites). Kestrel sends no <c>Server</c> header.
/// </summary>
public static class HttpSecurity
{
    public static IServiceCollection AddHttpSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpSecurityOptions>().Bind(configuration.GetSection(HttpSecurityOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.TrustedProxies.All(n => IPNetwork.TryParse(n, out _)),
                $"{HttpSecurityOptions.Section}:TrustedProxies holds a value that is not a network in CIDR notation (e.g. 127.0.0.1/32).")
            .ValidateOnStart();
        var options = configuration.GetSection(HttpSecurityOptions.Section).Get<HttpSecurityOptions>() ?? new HttpSecurityOptions();
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core believes any loopback peer by default: a local process could then name any client address.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
#pragma warning disable ASPDEPR005 // replaced by KnownIPNetworks, yet still consulted with the same loopback default
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var network in options.TrustedProxies)
                if (IPNetwork.TryParse(network, out var parsed)) o.KnownIPNetworks.Add(parsed);
            // ForwardLimit stays 1: only the entry the trusted proxy added is believed, never what a client put before it.
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(options.HstsMaxAgeDays));
        return services;
    }

    public static WebApplication UseHttpSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HttpSecurityOptions>>().Value;
        // Not at all without a trusted proxy: with empty lists the middleware would believe every peer.
        if (options.TrustedProxies.Length > 0) app.UseForwardedHeaders();
        if (options.HstsMaxAgeDays > 0) app.UseHsts(); // only on HTTPS, and never for localhost and loopback addresses
        app.Use((context, next) =>
        {
            // On starting, so that error pages (the exception handler clears headers) carry them too.
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY"; // for browsers that predate frame-ancestors
                // Same origin only: the sign-out form still sends its Origin (no-referrer would make it "null").
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The editor is a Vite build: one script file and one style sheet from this origin, styles set through the DOM
    /// (which CSP does not govern), Konva drawing on canvases. So nothing inline, nothing from elsewhere, and the
    /// WebSocket to this host (named: not every browser lets 'self' cover ws: and wss:).
    /// </summary>
    private static string ContentSecurityPolicy(HttpRequest request) =>
        $"default-src 'self'; connect-src 'self' {(request.IsHttps ? "wss" : "ws")}://{request.Host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
}
