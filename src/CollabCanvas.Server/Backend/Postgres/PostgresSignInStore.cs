using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>The <c>auth_sessions</c> and <c>ws_tickets</c> tables.</summary>
public sealed class PostgresSignInStore(PostgresDatabase database) : ISignInStore
{
    public async Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default)
    {
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                session.Id, session.UserId, session.CreatedAt, session.ExpiresAt),
            PostgresCommands.Statement("DELETE FROM auth_sessions WHERE expires_at < $1", session.CreatedAt));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SignInSession?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT user_id, created_at, expires_at FROM auth_sessions WHERE id = $1", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SignInSession(sessionId, reader.GetString(0), reader.Time(1), reader.Time(2)) : null;
    }

    public async Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        // Its tickets go with it (ON DELETE CASCADE).
        await using var command = database.DataSource.Command("DELETE FROM auth_sessions WHERE id = $1", sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> AddTicketAsync(WebSocketTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("DELETE FROM ws_tickets WHERE expires_at < $1", now),
            PostgresCommands.Statement("INSERT INTO ws_tickets (token_hash, user_id, session_id, credentials_until, expires_at) VALUES ($1, $2, $3, $4, $5)",
                ticket.TokenHash, ticket.UserId, ticket.SessionId, ticket.CredentialsUntil, ticket.ExpiresAt));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return false; // the account or the sign-in is gone
        }
    }

    public async Task<WebSocketTicket?> TakeTicketAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "DELETE FROM ws_tickets WHERE token_hash = $1 RETURNING user_id, session_id, credentials_until, expires_at", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WebSocketTicket(tokenHash, reader.GetString(0), reader.StringOrNull(1), reader.Time(2), reader.Time(3))
            : null;
    }
}
