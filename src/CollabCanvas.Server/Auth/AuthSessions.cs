using System.Security.Cryptography;
using System.Text;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Browser sign-ins (<c>auth_sessions</c>) and WebSocket tickets (<c>ws_tickets</c>). The cookie carries a session
/// id that every request checks here, so signing out ends the session on every instance at once.
/// </summary>
public sealed class AuthSessions(SqliteDatabase database, AccessEvents events)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(30);
    private const int ForeignKeyViolation = 787; // SQLITE_CONSTRAINT_FOREIGNKEY

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

    /// <summary>When the sign-in ends, or null when it has ended already (signed out, expired, or not this user's).</summary>
    public DateTimeOffset? ActiveUntil(string sessionId, string userId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT expires_at FROM auth_sessions WHERE id = $id AND user_id = $user AND expires_at > $now";
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return command.ExecuteScalar() is long expires ? DateTimeOffset.FromUnixTimeMilliseconds(expires) : null;
    }

    /// <summary>Ends a sign-in: its unused tickets go with its row (a foreign key), its open sockets are closed on every instance.</summary>
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

    /// <summary>
    /// A single-use ticket that opens one WebSocket within <see cref="TicketLifetime"/>, on these credentials: the
    /// socket belongs to the same sign-in (or rests on the same token) and ends when it does. Null when the sign-in
    /// (or the account) ended a moment ago.
    /// </summary>
    public Ticket? IssueTicket(Credentials credentials)
    {
        var ticket = Ids.New(32);
        var now = DateTimeOffset.UtcNow;
        var expires = now + TicketLifetime < credentials.Until ? now + TicketLifetime : credentials.Until;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM ws_tickets WHERE expires_at < $now;
            INSERT INTO ws_tickets (token_hash, user_id, session_id, credentials_until, expires_at) VALUES ($hash, $user, $session, $until, $expires);
            """;
        command.Parameters.AddWithValue("$hash", HashToken(ticket));
        command.Parameters.AddWithValue("$user", credentials.UserId);
        command.Parameters.AddWithValue("$session", (object?)credentials.AuthSessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$until", credentials.Until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ForeignKeyViolation)
        {
            return null;
        }
        return new Ticket(ticket, (int)Math.Floor((expires - now).TotalSeconds));
    }

    /// <summary>
    /// The credentials a ticket was minted with, or null when it is unknown, expired, already used, or its sign-in
    /// ended (which deleted it). It is used up either way.
    /// </summary>
    public Credentials? RedeemTicket(string ticket)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ws_tickets WHERE token_hash = $hash RETURNING user_id, session_id, credentials_until, expires_at";
        command.Parameters.AddWithValue("$hash", HashToken(ticket));
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.GetInt64(3) <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) return null;
        return new Credentials(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }

    /// <summary>Tickets and link tokens are 190+ random bits: a plain SHA-256 keeps the stored form useless to a reader of the file.</summary>
    public static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
