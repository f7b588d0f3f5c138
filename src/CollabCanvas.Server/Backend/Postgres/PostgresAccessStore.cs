using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// The tables <c>canvas_members</c>, <c>canvas_invitations</c> and <c>share_links</c>. A change of membership locks its
/// canvas's row first, so that two instances cannot both let one of two owners step down.
/// </summary>
public sealed class PostgresAccessStore(PostgresDatabase database) : IAccessStore
{
    public async Task<AccessFacts> FactsAsync(string canvasId, string? userId, string? linkId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT c.open_to_signed_in,
                (SELECT role FROM canvas_members WHERE canvas_id = $1 AND user_id = $2),
                (SELECT role FROM share_links WHERE id = $3 AND canvas_id = $1 AND revoked_at IS NULL)
            FROM canvases c WHERE c.id = $1
            """, canvasId, userId, linkId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return new AccessFacts(false, Role.None, Role.None, false);
        return new AccessFacts(true, Roles.Parse(reader.StringOrNull(1)), Roles.Parse(reader.StringOrNull(2)), reader.GetBoolean(0));
    }

    public async Task<string?> FindLinkAsync(string canvasId, string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "SELECT id FROM share_links WHERE token_hash = $1 AND canvas_id = $2 AND revoked_at IS NULL", tokenHash, canvasId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<Member>> MembersAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT u.id, u.display_name, u.email, u.avatar_url, m.role
            FROM canvas_members m JOIN users u ON u.id = m.user_id
            WHERE m.canvas_id = $1
            ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, u.display_name COLLATE "C"
            """, canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<Member>();
        while (await reader.ReadAsync(cancellationToken))
            members.Add(new Member(reader.GetString(0), reader.GetString(1), reader.StringOrNull(2), reader.StringOrNull(3), reader.GetString(4)));
        return members;
    }

    public async Task<MemberChange> SetRoleAsync(string canvasId, string userId, Role role, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await IsLastOwnerAsync(connection, canvasId, userId, cancellationToken) && role != Role.Owner) return MemberChange.WouldLeaveNoOwner;
        await using (var command = connection.Command("""
            INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (canvas_id, user_id) DO UPDATE SET role = excluded.role
            """, canvasId, userId, role.ToWire(), at))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return MemberChange.Done;
    }

    public async Task<MemberChange> RemoveAsync(string canvasId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await IsLastOwnerAsync(connection, canvasId, userId, cancellationToken)) return MemberChange.WouldLeaveNoOwner;
        bool removed;
        await using (var command = connection.Command("DELETE FROM canvas_members WHERE canvas_id = $1 AND user_id = $2", canvasId, userId))
            removed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed ? MemberChange.Done : MemberChange.NotMember;
    }

    public async Task<Invitation> InviteAsync(string canvasId, Invitation invitation, string invitedBy, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            INSERT INTO canvas_invitations (id, canvas_id, email, role, invited_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (canvas_id, email) DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by, created_at = excluded.created_at
            RETURNING id, email, role, created_at
            """, invitation.Id, canvasId, invitation.Email, invitation.Role, invitedBy, invitation.CreatedAt);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadInvitation(reader);
    }

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "SELECT id, email, role, created_at FROM canvas_invitations WHERE canvas_id = $1 ORDER BY created_at, email COLLATE \"C\"", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var invitations = new List<Invitation>();
        while (await reader.ReadAsync(cancellationToken)) invitations.Add(ReadInvitation(reader));
        return invitations;
    }

    public async Task<bool> RevokeInvitationAsync(string canvasId, string invitationId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("DELETE FROM canvas_invitations WHERE id = $1 AND canvas_id = $2", invitationId, canvasId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> AcceptInvitationsAsync(string userId, IReadOnlyCollection<string> emails, string? canvasId,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (emails.Count == 0) return [];
        // One statement: the invitations are taken (each once, whoever else accepts them meanwhile), and each canvas's
        // highest invited role becomes a membership unless the user is a member already.
        await using var command = database.DataSource.Command("""
            WITH taken AS (
                DELETE FROM canvas_invitations WHERE email = ANY($2) AND ($3::text IS NULL OR canvas_id = $3)
                RETURNING canvas_id, role),
            best AS (
                SELECT DISTINCT ON (canvas_id) canvas_id, role FROM taken ORDER BY canvas_id, CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END)
            INSERT INTO canvas_members (canvas_id, user_id, role, created_at)
            SELECT canvas_id, $1, role, $4 FROM best
            ON CONFLICT (canvas_id, user_id) DO NOTHING
            RETURNING canvas_id
            """, userId, emails.ToList(), canvasId, at);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var joined = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) joined.Add(reader.GetString(0));
        return joined;
    }

    public async Task<IReadOnlyList<ShareLink>> LinksAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "SELECT id, role, created_at FROM share_links WHERE canvas_id = $1 AND revoked_at IS NULL ORDER BY created_at, id COLLATE \"C\"", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new List<ShareLink>();
        while (await reader.ReadAsync(cancellationToken)) links.Add(new ShareLink(reader.GetString(0), reader.GetString(1), reader.Time(2)));
        return links;
    }

    public async Task CreateLinkAsync(string canvasId, ShareLink link, string tokenHash, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            INSERT INTO share_links (id, canvas_id, token_hash, role, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            """, link.Id, canvasId, tokenHash, link.Role, createdBy, link.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeLinkAsync(string canvasId, string linkId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "UPDATE share_links SET revoked_at = $3 WHERE id = $1 AND canvas_id = $2 AND revoked_at IS NULL", linkId, canvasId, at);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Locks the canvas's row until the transaction ends (membership changes of one canvas take turns; the foreign keys'
    /// checks of other writers are not held up) and says whether the user is its only owner.
    /// </summary>
    private static async Task<bool> IsLastOwnerAsync(NpgsqlConnection connection, string canvasId, string userId, CancellationToken cancellationToken)
    {
        await using (var take = connection.Command("SELECT 1 FROM canvases WHERE id = $1 FOR NO KEY UPDATE", canvasId))
            await take.ExecuteNonQueryAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT COALESCE((SELECT role FROM canvas_members WHERE canvas_id = $1 AND user_id = $2) = 'owner', false)
               AND (SELECT count(*) FROM canvas_members WHERE canvas_id = $1 AND role = 'owner') = 1
            """, canvasId, userId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static Invitation ReadInvitation(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.Time(3));
}
