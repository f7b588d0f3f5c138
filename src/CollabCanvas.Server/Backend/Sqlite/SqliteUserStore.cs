using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The <c>users</c> and <c>user_identities</c> tables; deleting an account reads <c>canvas_members</c> and <c>share_links</c> in the same transaction.</summary>
public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string UserColumns = "u.id, u.display_name, u.email, u.email_verified, u.avatar_url";

    public async Task<User?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return await FindAsync(connection, userId, cancellationToken);
    }

    public async Task<User?> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {UserColumns}
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = $issuer AND i.subject = $subject
            """;
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task<IReadOnlyList<UserIdentity>> IdentitiesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT issuer, subject, email, email_verified FROM user_identities WHERE user_id = $user";
        command.Parameters.AddWithValue("$user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var identities = new List<UserIdentity>();
        while (await reader.ReadAsync(cancellationToken))
            identities.Add(new UserIdentity(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3) != 0));
        return identities;
    }

    public async Task<LocalCredentials?> FindCredentialsAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.password_hash, u.legacy_password_sha256
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = $issuer AND i.subject = $subject
            """;
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LocalCredentials(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    public async Task<bool> TryCreateAsync(User account, UserIdentity identity, string? passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        // BEGIN IMMEDIATE: the check and the inserts hold the write lock, so two instances cannot both find the identity free.
        await using var transaction = connection.BeginTransaction();
        if (await IdentityOwnerAsync(connection, identity.Issuer, identity.Subject, cancellationToken) is not null) return false;
        await InsertUserAsync(connection, account, passwordHash, cancellationToken);
        await InsertIdentityAsync(connection, account.Id, identity, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET password_hash = $hash, legacy_password_sha256 = NULL, updated_at = $now WHERE id = $id";
        command.Parameters.AddWithValue("$id", userId);
        command.Parameters.AddWithValue("$hash", passwordHash);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<User> SignInExternalAsync(ExternalIdentity identity, User newAccount, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        var userId = await IdentityOwnerAsync(connection, identity.Issuer, identity.Subject, cancellationToken);
        if (userId is null)
        {
            userId = newAccount.Id;
            await InsertUserAsync(connection, newAccount, passwordHash: null, cancellationToken);
            await InsertIdentityAsync(connection, userId, new UserIdentity(identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified), cancellationToken);
        }
        else
        {
            await using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE user_identities SET email = COALESCE($email, email),
                    email_verified = CASE WHEN $email IS NULL THEN email_verified ELSE $verified END WHERE issuer = $issuer AND subject = $subject;
                UPDATE users SET display_name = COALESCE($name, display_name), avatar_url = COALESCE($avatar, avatar_url), updated_at = $now WHERE id = $id;
                """;
            update.Parameters.AddWithValue("$issuer", identity.Issuer);
            update.Parameters.AddWithValue("$subject", identity.Subject);
            update.Parameters.AddWithValue("$email", (object?)identity.Email ?? DBNull.Value);
            update.Parameters.AddWithValue("$verified", identity.EmailVerified ? 1 : 0);
            update.Parameters.AddWithValue("$name", (object?)identity.Name ?? DBNull.Value);
            update.Parameters.AddWithValue("$avatar", (object?)identity.AvatarUrl ?? DBNull.Value);
            update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", userId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        var user = (await FindAsync(connection, userId, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    public async Task<bool> LinkAsync(string userId, UserIdentity identity, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO user_identities (issuer, subject, user_id, email, email_verified, created_at)
            SELECT $issuer, $subject, $user, $email, $verified, $now WHERE EXISTS (SELECT 1 FROM users WHERE id = $user)
            ON CONFLICT (issuer, subject) DO NOTHING
            """;
        AddIdentityParameters(command, userId, identity);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<AccountRemoval?> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        var canvases = new List<string>();
        var links = new List<(string, string)>();
        await using (var owned = connection.CreateCommand())
        {
            owned.CommandText = """
                SELECT m.canvas_id FROM canvas_members m
                WHERE m.user_id = $user AND m.role = 'owner'
                  AND (SELECT COUNT(*) FROM canvas_members o WHERE o.canvas_id = m.canvas_id AND o.role = 'owner') = 1;
                """;
            owned.Parameters.AddWithValue("$user", userId);
            await using var reader = await owned.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) canvases.Add(reader.GetString(0));
        }
        await using (var made = connection.CreateCommand())
        {
            made.CommandText = "SELECT canvas_id, id FROM share_links WHERE created_by = $user AND revoked_at IS NULL";
            made.Parameters.AddWithValue("$user", userId);
            await using var reader = await made.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) links.Add((reader.GetString(0), reader.GetString(1)));
        }
        // Identities, sign-ins, tickets, memberships, invitations sent and links made go with the row (ON DELETE CASCADE).
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM users WHERE id = $user";
        delete.Parameters.AddWithValue("$user", userId);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0) return null;
        await transaction.CommitAsync(cancellationToken);
        return new AccountRemoval(canvases, links);
    }

    private static async Task<User?> FindAsync(SqliteConnection connection, string userId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {UserColumns} FROM users u WHERE u.id = $id";
        command.Parameters.AddWithValue("$id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    private static async Task<string?> IdentityOwnerAsync(SqliteConnection connection, string issuer, string subject, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id FROM user_identities WHERE issuer = $issuer AND subject = $subject";
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task InsertUserAsync(SqliteConnection connection, User account, string? passwordHash, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO users (id, display_name, email, email_verified, avatar_url, password_hash, created_at, updated_at)
            VALUES ($id, $name, $email, $verified, $avatar, $hash, $now, $now)
            """;
        command.Parameters.AddWithValue("$id", account.Id);
        command.Parameters.AddWithValue("$name", account.DisplayName);
        command.Parameters.AddWithValue("$email", (object?)account.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("$verified", account.EmailVerified ? 1 : 0);
        command.Parameters.AddWithValue("$avatar", (object?)account.AvatarUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", (object?)passwordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertIdentityAsync(SqliteConnection connection, string userId, UserIdentity identity, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO user_identities (issuer, subject, user_id, email, email_verified, created_at)
            VALUES ($issuer, $subject, $user, $email, $verified, $now)
            """;
        AddIdentityParameters(command, userId, identity);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddIdentityParameters(SqliteCommand command, string userId, UserIdentity identity)
    {
        command.Parameters.AddWithValue("$issuer", identity.Issuer);
        command.Parameters.AddWithValue("$subject", identity.Subject);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$email", (object?)identity.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("$verified", identity.EmailVerified ? 1 : 0);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    private static User ReadUser(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetInt64(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4));
}
