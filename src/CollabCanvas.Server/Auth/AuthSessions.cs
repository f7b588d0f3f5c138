using System.Security.Cryptography;
using System.Text;
using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Browser sign-ins and WebSocket tickets (kept in <see cref="ISignInStore"/>). The cookie carries a sign-in id that
/// every request checks here, so signing out ends the sign-in on every instance at once.
/// </summary>
public sealed class AuthSessions(ISignInStore store, IAccessEventBus events)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(30);

    public async Task<string> CreateAsync(string userId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var session = new SignInSession(Ids.New(24), userId, now, now + lifetime);
        await store.CreateSessionAsync(session, cancellationToken);
        return session.Id;
    }

    /// <summary>When the sign-in ends, or null when it has ended already (signed out, expired, or not this user's).</summary>
    public async Task<DateTimeOffset?> ActiveUntilAsync(string sessionId, string userId, CancellationToken cancellationToken = default) =>
        await store.FindSessionAsync(sessionId, cancellationToken) is { } session && session.UserId == userId && session.ExpiresAt > DateTimeOffset.UtcNow
            ? session.ExpiresAt
            : null;

    /// <summary>Ends a sign-in: its unused tickets go with it, its open sockets are closed on every instance.</summary>
    public async Task EndAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await store.EndSessionAsync(sessionId, cancellationToken);
        await events.PublishAsync(new AccessChange(SessionId: sessionId), cancellationToken);
    }

    /// <summary>
    /// A single-use ticket that opens one WebSocket within <see cref="TicketLifetime"/>, on these credentials: the
    /// socket belongs to the same sign-in (or rests on the same token) and ends when it does. Null when the sign-in
    /// (or the account) ended a moment ago.
    /// </summary>
    public async Task<Ticket?> IssueTicketAsync(Credentials credentials, CancellationToken cancellationToken = default)
    {
        var token = Ids.New(32);
        var now = DateTimeOffset.UtcNow;
        var expires = now + TicketLifetime < credentials.Until ? now + TicketLifetime : credentials.Until;
        var ticket = new WebSocketTicket(HashToken(token), credentials.UserId, credentials.AuthSessionId, credentials.Until, expires);
        return await store.AddTicketAsync(ticket, now, cancellationToken)
            ? new Ticket(token, (int)Math.Floor((expires - now).TotalSeconds))
            : null;
    }

    /// <summary>
    /// The credentials a ticket was minted with, or null when it is unknown, expired, already used, or its sign-in
    /// ended (which deleted it). It is used up either way.
    /// </summary>
    public async Task<Credentials?> RedeemTicketAsync(string token, CancellationToken cancellationToken = default) =>
        await store.TakeTicketAsync(HashToken(token), cancellationToken) is { } ticket && ticket.ExpiresAt > DateTimeOffset.UtcNow
            ? new Credentials(ticket.UserId, ticket.SessionId, ticket.CredentialsUntil)
            : null;

    /// <summary>Tickets and link tokens are 190+ random bits: a plain SHA-256 keeps the stored form useless to a reader of the file.</summary>
    public static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
