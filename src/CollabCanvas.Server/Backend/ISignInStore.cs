namespace CollabCanvas.Server.Backend;

/// <summary>A browser sign-in: the session cookie names it.</summary>
public sealed record SignInSession(string Id, string UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// A WebSocket ticket as kept: the hash of its token, and the credentials it was minted on (the account, its sign-in
/// or null for a bearer token, and when those stop being accepted).
/// </summary>
public sealed record WebSocketTicket(string TokenHash, string UserId, string? SessionId, DateTimeOffset CredentialsUntil, DateTimeOffset ExpiresAt);

/// <summary>
/// Browser sign-ins and the single-use tickets that open WebSockets, seen by every instance: ending a sign-in here
/// ends it everywhere. Whether a sign-in or a ticket is still good is <c>Auth/AuthSessions</c>'s call.
/// </summary>
public interface ISignInStore
{
    /// <summary>Keeps a new sign-in of an existing account, and forgets the sign-ins that expired before it began.</summary>
    Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default);

    /// <summary>The sign-in, or null when it was ended (or, once expired, forgotten).</summary>
    Task<SignInSession?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Ends a sign-in: it and its unused tickets are gone.</summary>
    Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps a ticket, and forgets the tickets expired by <paramref name="now"/>; false, and nothing is kept, when its
    /// account or its sign-in is gone.
    /// </summary>
    Task<bool> AddTicketAsync(WebSocketTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes a ticket and returns it: each is taken once at most, whoever asks first on whichever instance.</summary>
    Task<WebSocketTicket?> TakeTicketAsync(string tokenHash, CancellationToken cancellationToken = default);
}
