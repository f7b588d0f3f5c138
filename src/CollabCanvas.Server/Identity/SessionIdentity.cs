using CollabCanvas.Core.Protocol;

namespace CollabCanvas.Server.Identity;

/// <summary>
/// The one seam between "who is this request" and everything else. Today every session is a guest named by
/// <c>?name=</c>; sign-in replaces this implementation without touching rooms or endpoints.
/// </summary>
public interface ISessionIdentity
{
    /// <summary>The user behind the request, or null when the request may not open a session.</summary>
    ValueTask<UserInfo?> ResolveAsync(HttpContext context);
}

public sealed class GuestIdentity : ISessionIdentity
{
    public const int MaxNameLength = 40;

    private static readonly string[] Palette =
        ["#e03131", "#2f9e44", "#1971c2", "#f08c00", "#9c36b5", "#0c8599", "#e8590c", "#5c940d", "#3b5bdb", "#c2255c"];

    public ValueTask<UserInfo?> ResolveAsync(HttpContext context)
    {
        var name = CleanName(context.Request.Query["name"].ToString());
        var id = "guest-" + Ids.New(8);
        var color = Palette[(int)((uint)id.GetHashCode() % Palette.Length)];
        return ValueTask.FromResult<UserInfo?>(new UserInfo(id, name, color));
    }

    private static string CleanName(string raw)
    {
        var cleaned = new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length > MaxNameLength) cleaned = cleaned[..MaxNameLength].TrimEnd();
        return cleaned.Length == 0 ? "Guest" : cleaned;
    }
}
