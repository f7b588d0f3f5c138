using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Web;

/// <summary>Section <c>CollabCanvas:Http</c>: whom to believe about the client, and HSTS. Described in docs/deployment.md.</summary>
public sealed class HttpSecurityOptions
{
    public const string Section = "CollabCanvas:Http";

    /// <summary>
    /// Networks in CIDR notation (<c>127.0.0.1/32</c>, <c>10.0.0.0/8</c>) of the proxies whose <c>X-Forwarded-For</c>
    /// and <c>X-Forwarded-Proto</c> are believed. Default none: the client is the peer of the connection, whatever
    /// headers it sends, so no one can pick the address that the per-address limits count against.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>HSTS max-age on responses to HTTPS requests (directly or through a trusted proxy); 0 sends none. Default 365.</summary>
    [Range(0, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;
}
