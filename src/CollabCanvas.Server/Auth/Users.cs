using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Auth;

/// <summary>The <c>users</c> and <c>user_identities</c> tables.</summary>
public sealed class Users(SqliteDatabase database)
{
    public const string LocalIssuer = "local";
    public const int MaxNameLength = 80;
    public const int MaxEmailLength = 254;

    public User? Find(string id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, display_name, email, email_verified, avatar_url FROM users WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public User? FindByIdentity(string issuer, string subject)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.display_name, u.email, u.email_verified, u.avatar_url
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = $issuer AND i.subject = $subject
            """;
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>
    /// The addresses this account has shown to be its own, normalized: each provider identity's email that its provider
    /// calls verified, and, when <paramref name="localCounts"/>, the local sign-in name (docs/auth.md, Invitations).
    /// </summary>
    public IReadOnlyList<string> VerifiedEmails(string userId, bool localCounts)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT CASE WHEN issuer = 'local' THEN subject ELSE email END FROM user_identities
            WHERE user_id = $user AND ((issuer = 'local' AND $local) OR (issuer <> 'local' AND email_verified = 1 AND email IS NOT NULL))
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$local", localCounts);
        using var reader = command.ExecuteReader();
        var emails = new List<string>();
        while (reader.Read()) emails.Add(NormalizeEmail(reader.GetString(0)));
        return emails;
    }

    public LocalCredentials? FindLocal(string email)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.password_hash, u.legacy_password_sha256
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = 'local' AND i.subject = $subject
            """;
        command.Parameters.AddWithValue("$subject", NormalizeEmail(email));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new LocalCredentials(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    /// <summary>Creates a local account; false when the email is taken (nothing changes then).</summary>
    public bool TryCreateLocal(string email, string displayName, string passwordHash, out string userId)
    {
        userId = Ids.New(16);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        if (Exists(connection, LocalIssuer, NormalizeEmail(email))) return false;
        InsertUser(connection, userId, displayName, email, emailVerified: false, avatarUrl: null, passwordHash);
        InsertIdentity(connection, LocalIssuer, NormalizeEmail(email), userId, email, emailVerified: false);
        transaction.Commit();
        return true;
    }

    /// <summary>Replaces the password hash and clears the legacy one: an imported account is upgraded on its first sign-in.</summary>
    public void SetPasswordHash(string userId, string passwordHash)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE users SET password_hash = $hash, legacy_password_sha256 = NULL, updated_at = $now WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", userId);
        command.Parameters.AddWithValue("$hash", passwordHash);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The account of a provider identity, created on its first sign-in. Never joined to another account by email:
    /// that takes <see cref="Link"/>, which the user starts and proves.
    /// </summary>
    public User SignInExternal(ExternalIdentity identity)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        string userId;
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT user_id FROM user_identities WHERE issuer = $issuer AND subject = $subject";
            find.Parameters.AddWithValue("$issuer", identity.Issuer);
            find.Parameters.AddWithValue("$subject", identity.Subject);
            userId = find.ExecuteScalar() as string ?? "";
        }
        var name = CleanName(identity.Name);
        if (userId.Length == 0)
        {
            userId = Ids.New(16);
            InsertUser(connection, userId, name ?? CleanName(identity.Email?.Split('@')[0]) ?? "User", identity.Email, identity.EmailVerified, identity.AvatarUrl, passwordHash: null);
            InsertIdentity(connection, identity.Issuer, identity.Subject, userId, identity.Email, identity.EmailVerified);
        }
        else
        {
            // The provider is the source of truth for the profile it gives.
            using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE user_identities SET email = COALESCE($email, email),
                    email_verified = CASE WHEN $email IS NULL THEN email_verified ELSE $verified END WHERE issuer = $issuer AND subject = $subject;
                UPDATE users SET display_name = COALESCE($name, display_name), avatar_url = COALESCE($avatar, avatar_url), updated_at = $now WHERE id = $id;
                """;
            update.Parameters.AddWithValue("$issuer", identity.Issuer);
            update.Parameters.AddWithValue("$subject", identity.Subject);
            update.Parameters.AddWithValue("$email", (object?)identity.Email ?? DBNull.Value);
            update.Parameters.AddWithValue("$verified", identity.EmailVerified ? 1 : 0);
            update.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
            update.Parameters.AddWithValue("$avatar", (object?)identity.AvatarUrl ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", userId);
            update.ExecuteNonQuery();
        }
        transaction.Commit();
        return Find(userId)!;
    }

    /// <summary>Adds a provider identity to an existing account (the caller has checked the proof).</summary>
    public void Link(string userId, ExternalIdentity identity)
    {
        using var connection = database.Open();
        InsertIdentity(connection, identity.Issuer, identity.Subject, userId, identity.Email, identity.EmailVerified);
    }

    /// <summary>What removing an account takes with it: the canvases only it owned, and the share links it made.</summary>
    public sealed record Removal(IReadOnlyList<string> SolelyOwnedCanvases, IReadOnlyList<(string CanvasId, string LinkId)> Links);

    /// <summary>
    /// Removes an account: its identities, sign-ins and memberships go with it (foreign keys). Returns what the caller
    /// must still clean up or announce; null when there was no such account.
    /// </summary>
    public Removal? Delete(string userId)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var canvases = new List<string>();
        var links = new List<(string, string)>();
        using (var owned = connection.CreateCommand())
        {
            owned.CommandText = """
                SELECT m.canvas_id FROM canvas_members m
                WHERE m.user_id = $user AND m.role = 'owner'
                  AND (SELECT COUNT(*) FROM canvas_members o WHERE o.canvas_id = m.canvas_id AND o.role = 'owner') = 1;
                """;
            owned.Parameters.AddWithValue("$user", userId);
            using var reader = owned.ExecuteReader();
            while (reader.Read()) canvases.Add(reader.GetString(0));
        }
        using (var made = connection.CreateCommand())
        {
            made.CommandText = "SELECT canvas_id, id FROM share_links WHERE created_by = $user AND revoked_at IS NULL";
            made.Parameters.AddWithValue("$user", userId);
            using var reader = made.ExecuteReader();
            while (reader.Read()) links.Add((reader.GetString(0), reader.GetString(1)));
        }
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM users WHERE id = $user";
        delete.Parameters.AddWithValue("$user", userId);
        if (delete.ExecuteNonQuery() == 0) return null;
        transaction.Commit();
        return new Removal(canvases, links);
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Something like an address (one @ with text on both sides, no spaces or control characters); no mail is sent to check it.</summary>
    public static bool IsEmail(string? email) =>
        email?.Trim() is { Length: > 2 and <= MaxEmailLength } e && e.IndexOf('@') is > 0 and var at && at < e.Length - 1 &&
        !e.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static string? CleanName(string? raw)
    {
        if (raw is null) return null;
        var cleaned = new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (cleaned.Length > MaxNameLength) cleaned = cleaned[..MaxNameLength].TrimEnd();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static bool Exists(SqliteConnection connection, string issuer, string subject)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM user_identities WHERE issuer = $issuer AND subject = $subject";
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        return command.ExecuteScalar() is not null;
    }

    private static void InsertUser(SqliteConnection connection, string id, string displayName, string? email, bool emailVerified,
        string? avatarUrl, string? passwordHash)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO users (id, display_name, email, email_verified, avatar_url, password_hash, created_at, updated_at)
            VALUES ($id, $name, $email, $verified, $avatar, $hash, $now, $now)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", displayName);
        command.Parameters.AddWithValue("$email", (object?)email ?? DBNull.Value);
        command.Parameters.AddWithValue("$verified", emailVerified ? 1 : 0);
        command.Parameters.AddWithValue("$avatar", (object?)avatarUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", (object?)passwordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static void InsertIdentity(SqliteConnection connection, string issuer, string subject, string userId, string? email, bool emailVerified)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO user_identities (issuer, subject, user_id, email, email_verified, created_at)
            VALUES ($issuer, $subject, $user, $email, $verified, $now)
            """;
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$email", (object?)email ?? DBNull.Value);
        command.Parameters.AddWithValue("$verified", emailVerified ? 1 : 0);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static User Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetInt64(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4));
}
