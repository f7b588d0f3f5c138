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

    public object Gate { get; } = new();

    public Dictionary<string, UserRow> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>(issuer, subject) → the identity and the account it signs in to.</summary>
    public Dictionary<(string Issuer, string Subject), (UserIdentity Identity, string UserId)> Identities { get; } = [];

    public Dictionary<string, SignInSession> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>By token hash.</summary>
    public Dictionary<string, WebSocketTicket> Tickets { get; } = new(StringComparer.Ordinal);

    /// <summary>Removes a sign-in and its tickets; the caller holds <see cref="Gate"/>.</summary>
    public void RemoveSession(string sessionId)
    {
        Sessions.Remove(sessionId);
        foreach (var (hash, _) in Tickets.Where(t => t.Value.SessionId == sessionId).ToList()) Tickets.Remove(hash);
    }
}
