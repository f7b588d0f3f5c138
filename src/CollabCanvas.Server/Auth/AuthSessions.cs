using System.Security.Cryptography;
using System.Text;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Storage;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Browser sign-ins (<c>auth_sessions</c>) and WebSocket tickets (<c>ws_tickets</c>). The cookie carries a session
/// id that every request checks here, so signing out ends the session on every instance at once.
/// </summary>
public sealed class AuthSessions(SqliteDatabase database, AccessEvents events)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(30);

    public string Create(string userId, TimeSpan lifetime)
    {
        var id = Ids.New(24);
        var now = DateTimeOffset.UtcNow;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES ($id, $user, $now, $expires);
            DELETE FROM auth_sessions WHERE expires_at < $now;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (now + lifetime).ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return id;
    }

    public bool IsActive(string sessionId, string userId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM auth_sessions WHERE id = $id AND user_id = $user AND expires_at > $now";
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Ends a sign-in; its open sockets are closed on every instance.</summary>
    public void End(string sessionId)
    {
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM auth_sessions WHERE id = $id";
            command.Parameters.AddWithValue("$id", sessionId);
            command.ExecuteNonQuery();
        }
        events.Publish(new AccessChange(SessionId: sessionId));
    }

    /// <summary>A single-use ticket that opens one WebSocket for this user within <see cref="TicketLifetime"/>.</summary>
    public string IssueTicket(string userId)
    {
        var ticket = Ids.New(32);
        var now = DateTimeOffset.UtcNow;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM ws_tickets WHERE expires_at < $now;
            INSERT INTO ws_tickets (token_hash, user_id, expires_at) VALUES ($hash, $user, $expires);
            """;
        command.Parameters.AddWithValue("$hash", HashToken(ticket));
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (now + TicketLifetime).ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return ticket;
    }

    /// <summary>The ticket's user, or null when it is unknown, expired or already used (it is used up either way).</summary>
    public string? RedeemTicket(string ticket)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ws_tickets WHERE token_hash = $hash RETURNING user_id, expires_at";
        command.Parameters.AddWithValue("$hash", HashToken(ticket));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return reader.GetInt64(1) > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() ? reader.GetString(0) : null;
    }

    /// <summary>Tickets and link tokens are 190+ random bits: a plain SHA-256 keeps the stored form useless to a reader of the file.</summary>
    public static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
