using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The <c>auth_sessions</c> and <c>ws_tickets</c> tables.</summary>
public sealed class SqliteSignInStore(SqliteDatabase database) : ISignInStore
{
    private const int ForeignKeyViolation = 787; // SQLITE_CONSTRAINT_FOREIGNKEY

    public async Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES ($id, $user, $now, $expires);
            DELETE FROM auth_sessions WHERE expires_at < $now;
            """;
        command.Parameters.AddWithValue("$id", session.Id);
        command.Parameters.AddWithValue("$user", session.UserId);
        command.Parameters.AddWithValue("$now", session.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", session.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SignInSession?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, created_at, expires_at FROM auth_sessions WHERE id = $id";
        command.Parameters.AddWithValue("$id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SignInSession(sessionId, reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    public async Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM auth_sessions WHERE id = $id"; // its tickets go with it (ON DELETE CASCADE)
        command.Parameters.AddWithValue("$id", sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> AddTicketAsync(WebSocketTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM ws_tickets WHERE expires_at < $now;
            INSERT INTO ws_tickets (token_hash, user_id, session_id, credentials_until, expires_at) VALUES ($hash, $user, $session, $until, $expires);
            """;
        command.Parameters.AddWithValue("$hash", ticket.TokenHash);
        command.Parameters.AddWithValue("$user", ticket.UserId);
        command.Parameters.AddWithValue("$session", (object?)ticket.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$until", ticket.CredentialsUntil.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", ticket.ExpiresAt.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ForeignKeyViolation)
        {
            return false;
        }
    }

    public async Task<WebSocketTicket?> TakeTicketAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ws_tickets WHERE token_hash = $hash RETURNING user_id, session_id, credentials_until, expires_at";
        command.Parameters.AddWithValue("$hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WebSocketTicket(tokenHash, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : null;
    }
}
