using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The <c>users</c> and <c>user_identities</c> tables. The identity's primary key decides races between instances: of
/// two transactions inserting one identity, the second waits for the first and then inserts nothing.
/// </summary>
public sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    private const string UserColumns = "u.id, u.display_name, u.email, u.email_verified, u.avatar_url";

    public async Task<User?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, userId, cancellationToken);
    }

    public async Task<User?> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command($"""
            SELECT {UserColumns}
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = $1 AND i.subject = $2
            """, issuer, subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task<IReadOnlyList<UserIdentity>> IdentitiesAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT issuer, subject, email, email_verified FROM user_identities WHERE user_id = $1", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var identities = new List<UserIdentity>();
        while (await reader.ReadAsync(cancellationToken))
            identities.Add(new UserIdentity(reader.GetString(0), reader.GetString(1), reader.StringOrNull(2), reader.GetBoolean(3)));
        return identities;
    }

    public async Task<LocalCredentials?> FindCredentialsAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT u.id, u.password_hash, u.legacy_password_sha256
            FROM user_identities i JOIN users u ON u.id = i.user_id
            WHERE i.issuer = $1 AND i.subject = $2
            """, issuer, subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LocalCredentials(reader.GetString(0), reader.StringOrNull(1), reader.StringOrNull(2)) : null;
    }

    public async Task<bool> TryCreateAsync(User account, UserIdentity identity, string? passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertUserAsync(connection, account, passwordHash, cancellationToken);
        if (!await TryInsertIdentityAsync(connection, account.Id, identity, cancellationToken)) return false; // rolled back with the account
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "UPDATE users SET password_hash = $2, legacy_password_sha256 = NULL, updated_at = now() WHERE id = $1", userId, passwordHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<User> SignInExternalAsync(ExternalIdentity identity, User newAccount, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // At most twice: a first sign-in that loses the race to create the identity finds it made on the second pass.
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var refresh = connection.Command("""
                WITH identity AS (
                    UPDATE user_identities SET email = COALESCE($3, email), email_verified = CASE WHEN $3 IS NULL THEN email_verified ELSE $4 END
                    WHERE issuer = $1 AND subject = $2
                    RETURNING user_id)
                UPDATE users SET display_name = COALESCE($5, display_name), avatar_url = COALESCE($6, avatar_url), updated_at = now()
                WHERE id = (SELECT user_id FROM identity)
                RETURNING id
                """, identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified, identity.Name, identity.AvatarUrl))
            {
                if (await refresh.ExecuteScalarAsync(cancellationToken) is string userId)
                {
                    var user = (await FindAsync(connection, userId, cancellationToken))!;
                    await transaction.CommitAsync(cancellationToken);
                    return user;
                }
            }
            await InsertUserAsync(connection, newAccount, passwordHash: null, cancellationToken);
            if (await TryInsertIdentityAsync(connection, newAccount.Id,
                    new UserIdentity(identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified), cancellationToken))
            {
                await transaction.CommitAsync(cancellationToken);
                return newAccount;
            }
            await transaction.RollbackAsync(cancellationToken);
        }
    }

    public async Task<bool> LinkAsync(string userId, UserIdentity identity, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return await TryInsertIdentityAsync(connection, userId, identity, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return false; // no such account
        }
    }

    public async Task<AccountRemoval?> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locking the account first: of two deletions, the second finds no account.
        await using (var account = connection.Command("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", userId))
            if (await account.ExecuteScalarAsync(cancellationToken) is null) return null;
        var canvases = new List<string>();
        await using (var owned = connection.Command("""
            SELECT m.canvas_id FROM canvas_members m
            WHERE m.user_id = $1 AND m.role = 'owner'
              AND (SELECT count(*) FROM canvas_members o WHERE o.canvas_id = m.canvas_id AND o.role = 'owner') = 1
            ORDER BY m.canvas_id COLLATE "C"
            """, userId))
        await using (var reader = await owned.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) canvases.Add(reader.GetString(0));
        var links = new List<(string, string)>();
        await using (var made = connection.Command(
            "SELECT canvas_id, id FROM share_links WHERE created_by = $1 AND revoked_at IS NULL ORDER BY created_at, id COLLATE \"C\"", userId))
        await using (var reader = await made.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) links.Add((reader.GetString(0), reader.GetString(1)));
        // Identities, sign-ins, tickets, memberships, invitations sent and links made go with the row (ON DELETE CASCADE).
        await using (var delete = connection.Command("DELETE FROM users WHERE id = $1", userId))
            await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AccountRemoval(canvases, links);
    }

    private static async Task<User?> FindAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {UserColumns} FROM users u WHERE u.id = $1", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    private static async Task InsertUserAsync(NpgsqlConnection connection, User account, string? passwordHash, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("""
            INSERT INTO users (id, display_name, email, email_verified, avatar_url, password_hash, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, now(), now())
            """, account.Id, account.DisplayName, account.Email, account.EmailVerified, account.AvatarUrl, passwordHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>False, inserting nothing, when the identity is taken (also by a transaction that commits meanwhile).</summary>
    private static async Task<bool> TryInsertIdentityAsync(NpgsqlConnection connection, string userId, UserIdentity identity, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("""
            INSERT INTO user_identities (issuer, subject, user_id, email, email_verified, created_at) VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (issuer, subject) DO NOTHING
            """, identity.Issuer, identity.Subject, userId, identity.Email, identity.EmailVerified);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static User ReadUser(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.StringOrNull(2), reader.GetBoolean(3), reader.StringOrNull(4));
}
