namespace CollabCanvas.Server.Backend;

/// <summary>What a user may do on one canvas. Ordered: each role may do everything the roles below it may.</summary>
public enum Role
{
    None = 0,
    Viewer = 1,
    Editor = 2,
    Owner = 3,
}

public static class Roles
{
    public static string ToWire(this Role role) => role switch
    {
        Role.Owner => "owner",
        Role.Editor => "editor",
        Role.Viewer => "viewer",
        _ => "none",
    };

    public static Role Parse(string? wire) => wire switch
    {
        "owner" => Role.Owner,
        "editor" => Role.Editor,
        "viewer" => Role.Viewer,
        _ => Role.None,
    };
}
