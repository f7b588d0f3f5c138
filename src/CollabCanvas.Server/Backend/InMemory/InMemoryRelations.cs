namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>
/// The relational data of the in-memory backend (the tables of the SQLite schema, as dictionaries), shared by its
/// stores. Every store works under <see cref="Gate"/>, so an operation that spans tables (a canvas and its owner; an
/// account and what it solely owns) is one step, as one SQL transaction is, and a deleted row takes the rows that
/// refer to it with it, as the foreign keys do.
/// </summary>
public sealed class InMemoryRelations
{
    public sealed record UserRow(User User, string? PasswordHash, string? LegacySha256);

    public sealed record CanvasRow(Canvas Canvas, string? Theme, bool OpenToSignedIn);

    public sealed record InvitationRow(string CanvasId, Invitation Invitation, string InvitedBy);

    public sealed record LinkRow(string CanvasId, ShareLink Link, string TokenHash, string CreatedBy, DateTimeOffset? RevokedAt);

    public object Gate { get; } = new();

    public Dictionary<string, UserRow> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>(issuer, subject) → the identity and the account it signs in to.</summary>
    public Dictionary<(string Issuer, string Subject), (UserIdentity Identity, string UserId)> Identities { get; } = [];

    public Dictionary<string, SignInSession> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>By token hash.</summary>
    public Dictionary<string, WebSocketTicket> Tickets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CanvasRow> Canvases { get; } = new(StringComparer.Ordinal);

    /// <summary>(canvas, user) → role.</summary>
    public Dictionary<(string CanvasId, string UserId), Role> Members { get; } = [];

    /// <summary>By invitation id.</summary>
    public Dictionary<string, InvitationRow> Invitations { get; } = new(StringComparer.Ordinal);

    /// <summary>By link id.</summary>
    public Dictionary<string, LinkRow> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>Removes a sign-in and its tickets; the caller holds <see cref="Gate"/>.</summary>
    public void RemoveSession(string sessionId)
    {
        Sessions.Remove(sessionId);
        foreach (var (hash, _) in Tickets.Where(t => t.Value.SessionId == sessionId).ToList()) Tickets.Remove(hash);
    }

    /// <summary>Removes a canvas with its members, invitations and links; false when there was none. The caller holds <see cref="Gate"/>.</summary>
    public bool RemoveCanvas(string canvasId)
    {
        if (!Canvases.Remove(canvasId)) return false;
        foreach (var key in Members.Keys.Where(k => k.CanvasId == canvasId).ToList()) Members.Remove(key);
        foreach (var (id, _) in Invitations.Where(i => i.Value.CanvasId == canvasId).ToList()) Invitations.Remove(id);
        foreach (var (id, _) in Links.Where(l => l.Value.CanvasId == canvasId).ToList()) Links.Remove(id);
        return true;
    }
}
