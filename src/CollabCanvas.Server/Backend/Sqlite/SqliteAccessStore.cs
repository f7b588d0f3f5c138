using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>The tables <c>canvas_members</c>, <c>canvas_invitations</c> and <c>share_links</c>.</summary>
public sealed class SqliteAccessStore(SqliteDatabase database) : IAccessStore
{
    public async Task<AccessFacts> FactsAsync(string canvasId, string? userId, string? linkId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT
                EXISTS (SELECT 1 FROM canvases WHERE id = $canvas),
                (SELECT role FROM canvas_members WHERE canvas_id = $canvas AND user_id = $user),
                (SELECT role FROM share_links WHERE id = $link AND canvas_id = $canvas AND revoked_at IS NULL),
                (SELECT open_to_signed_in FROM canvases WHERE id = $canvas)
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("$link", (object?)linkId ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) == 0) return new AccessFacts(false, Role.None, Role.None, false);
        return new AccessFacts(true,
            reader.IsDBNull(1) ? Role.None : Roles.Parse(reader.GetString(1)),
            reader.IsDBNull(2) ? Role.None : Roles.Parse(reader.GetString(2)),
            reader.GetInt64(3) != 0);
    }

    public async Task<string?> FindLinkAsync(string canvasId, string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM share_links WHERE token_hash = $hash AND canvas_id = $canvas AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$hash", tokenHash);
        command.Parameters.AddWithValue("$canvas", canvasId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<Member>> MembersAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.display_name, u.email, u.avatar_url, m.role
            FROM canvas_members m JOIN users u ON u.id = m.user_id
            WHERE m.canvas_id = $canvas
            ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, u.display_name
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<Member>();
        while (await reader.ReadAsync(cancellationToken))
            members.Add(new Member(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
        return members;
    }

    public async Task<MemberChange> SetRoleAsync(string canvasId, string userId, Role role, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        if (role != Role.Owner && await IsLastOwnerAsync(connection, canvasId, userId, cancellationToken)) return MemberChange.WouldLeaveNoOwner;
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($canvas, $user, $role, $at)
            ON CONFLICT (canvas_id, user_id) DO UPDATE SET role = excluded.role
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$role", role.ToWire());
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return MemberChange.Done;
    }

    public async Task<MemberChange> RemoveAsync(string canvasId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        if (await IsLastOwnerAsync(connection, canvasId, userId, cancellationToken)) return MemberChange.WouldLeaveNoOwner;
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM canvas_members WHERE canvas_id = $canvas AND user_id = $user";
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        var removed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed ? MemberChange.Done : MemberChange.NotMember;
    }

    public async Task<Invitation> InviteAsync(string canvasId, Invitation invitation, string invitedBy, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvas_invitations (id, canvas_id, email, role, invited_by, created_at) VALUES ($id, $canvas, $email, $role, $by, $at)
            ON CONFLICT (canvas_id, email) DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by, created_at = excluded.created_at
            RETURNING id, email, role, created_at
            """;
        command.Parameters.AddWithValue("$id", invitation.Id);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$email", invitation.Email);
        command.Parameters.AddWithValue("$role", invitation.Role);
        command.Parameters.AddWithValue("$by", invitedBy);
        command.Parameters.AddWithValue("$at", invitation.CreatedAt.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadInvitation(reader);
    }

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, email, role, created_at FROM canvas_invitations WHERE canvas_id = $canvas ORDER BY created_at, email";
        command.Parameters.AddWithValue("$canvas", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var invitations = new List<Invitation>();
        while (await reader.ReadAsync(cancellationToken)) invitations.Add(ReadInvitation(reader));
        return invitations;
    }

    public async Task<bool> RevokeInvitationAsync(string canvasId, string invitationId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM canvas_invitations WHERE id = $id AND canvas_id = $canvas";
        command.Parameters.AddWithValue("$id", invitationId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> AcceptInvitationsAsync(string userId, IReadOnlyCollection<string> emails, string? canvasId,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var joined = new List<string>();
        if (emails.Count == 0) return joined;
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        var invitations = new List<(string Id, string Canvas, string Role)>();
        await using (var find = connection.CreateCommand())
        {
            // The highest role first: two invited addresses of one person make them a member once, with the most it offers.
            find.CommandText = """
                SELECT id, canvas_id, role FROM canvas_invitations
                WHERE email IN (SELECT value FROM json_each($emails)) AND ($canvas IS NULL OR canvas_id = $canvas)
                ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END
                """;
            find.Parameters.AddWithValue("$emails", JsonSerializer.Serialize(emails));
            find.Parameters.AddWithValue("$canvas", (object?)canvasId ?? DBNull.Value);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) invitations.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        if (invitations.Count == 0) return joined;
        foreach (var (id, canvas, role) in invitations)
        {
            await using var accept = connection.CreateCommand();
            accept.CommandText = """
                INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($canvas, $user, $role, $at) ON CONFLICT DO NOTHING;
                """;
            accept.Parameters.AddWithValue("$canvas", canvas);
            accept.Parameters.AddWithValue("$user", userId);
            accept.Parameters.AddWithValue("$role", role);
            accept.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            if (await accept.ExecuteNonQueryAsync(cancellationToken) > 0) joined.Add(canvas);
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM canvas_invitations WHERE id = $id";
            delete.Parameters.AddWithValue("$id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return joined;
    }

    public async Task<IReadOnlyList<ShareLink>> LinksAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, role, created_at FROM share_links WHERE canvas_id = $canvas AND revoked_at IS NULL ORDER BY created_at";
        command.Parameters.AddWithValue("$canvas", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new List<ShareLink>();
        while (await reader.ReadAsync(cancellationToken))
            links.Add(new ShareLink(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        return links;
    }

    public async Task CreateLinkAsync(string canvasId, ShareLink link, string tokenHash, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO share_links (id, canvas_id, token_hash, role, created_by, created_at)
            VALUES ($id, $canvas, $hash, $role, $by, $at)
            """;
        command.Parameters.AddWithValue("$id", link.Id);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$hash", tokenHash);
        command.Parameters.AddWithValue("$role", link.Role);
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$at", link.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeLinkAsync(string canvasId, string linkId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE share_links SET revoked_at = $at WHERE id = $id AND canvas_id = $canvas AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$id", linkId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<bool> IsLastOwnerAsync(SqliteConnection connection, string canvasId, string userId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT role FROM canvas_members WHERE canvas_id = $canvas AND user_id = $user) = 'owner'
               AND (SELECT COUNT(*) FROM canvas_members WHERE canvas_id = $canvas AND role = 'owner') = 1
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        return await command.ExecuteScalarAsync(cancellationToken) is long and 1;
    }

    private static Invitation ReadInvitation(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
}
