namespace CollabCanvas.Server.Auth;

/// <summary>
/// Where a sign-in sends the browser back to. One rule, the same as the sign-in page's (<c>returnTarget</c> in web/src/auth/signin.ts):
/// a target with no control character that, resolved against the site's own origin, keeps that origin. Anything
/// else is the site's root. The answer is absolute (this origin, then the resolved path, query and fragment), so no
/// browser can read it as another site, whatever its path looks like (<c>/.//evil.example</c> resolves to the path
/// <c>//evil.example</c>).
/// </summary>
public static class ReturnTarget
{
    public static string Resolve(string? target, HttpRequest request)
    {
        // Kestrel has already refused a Host that is not a host, so this is a well-formed origin.
        var origin = new Uri($"{request.Scheme}://{request.Host}/");
        if (target is null || target.Any(char.IsControl) || !Uri.TryCreate(origin, AsBrowsersRead(target), out var resolved) ||
            !SameOrigin(resolved, origin))
            return origin.AbsoluteUri;
        return origin.GetLeftPart(UriPartial.Authority) + resolved.PathAndQuery + resolved.Fragment;
    }

    /// <summary>
    /// What System.Uri reads differently from browsers (the WHATWG URL standard) in http(s) URLs: browsers drop
    /// leading and trailing spaces, and take a backslash before the query for a slash (so <c>/\evil.example</c> is
    /// another host to them, a path to System.Uri).
    /// </summary>
    private static string AsBrowsersRead(string target)
    {
        target = target.Trim(' ');
        var end = target.IndexOfAny(['?', '#']);
        if (end < 0) end = target.Length;
        return target[..end].Replace('\\', '/') + target[end..];
    }

    /// <summary>Scheme, host and port: the user info (<c>//site@evil.example</c>) is not part of an origin.</summary>
    private static bool SameOrigin(Uri resolved, Uri origin) =>
        resolved.IsAbsoluteUri && string.Equals(resolved.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(resolved.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase) && resolved.Port == origin.Port;
}
