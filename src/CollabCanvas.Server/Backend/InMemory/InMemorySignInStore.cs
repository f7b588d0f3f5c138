namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>Sign-ins and WebSocket tickets in <see cref="InMemoryRelations"/>: they belong to an existing account, and go with it.</summary>
public sealed class InMemorySignInStore(InMemoryRelations data) : ISignInStore
{
    public Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            if (!data.Users.ContainsKey(session.UserId)) throw new InvalidOperationException($"no account {session.UserId} to sign in to");
            data.Sessions.Add(session.Id, session);
            foreach (var (id, _) in data.Sessions.Where(s => s.Value.ExpiresAt < session.CreatedAt).ToList()) data.RemoveSession(id);
        }
        return Task.CompletedTask;
    }

    public Task<SignInSession?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.Sessions.GetValueOrDefault(sessionId));
    }

    public Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) data.RemoveSession(sessionId);
        return Task.CompletedTask;
    }

    public Task<bool> AddTicketAsync(WebSocketTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (data.Gate)
        {
            foreach (var (hash, _) in data.Tickets.Where(t => t.Value.ExpiresAt < now).ToList()) data.Tickets.Remove(hash);
            if (!data.Users.ContainsKey(ticket.UserId) || ticket.SessionId is { } session && !data.Sessions.ContainsKey(session)) return Task.FromResult(false);
            data.Tickets.Add(ticket.TokenHash, ticket);
            return Task.FromResult(true);
        }
    }

    public Task<WebSocketTicket?> TakeTicketAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        lock (data.Gate) return Task.FromResult(data.Tickets.Remove(tokenHash, out var ticket) ? ticket : null);
    }
}
