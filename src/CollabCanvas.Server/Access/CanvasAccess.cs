using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Access;

public sealed record Member(string UserId, string DisplayName, string? Email, string? AvatarUrl, string Role);

public sealed record ShareLink(string Id, string Role, DateTimeOffset CreatedAt);

/// <summary>A link as its owner sees it right after creating it: the only time the token is shown.</summary>
public sealed record CreatedShareLink(string Id, string Role, DateTimeOffset CreatedAt, string Token);

/// <summary>A pending invitation: the address the owner typed (normalized), never who, if anyone, has it.</summary>
public sealed record Invitation(string Id, string Email, string Role, DateTimeOffset CreatedAt);

/// <summary>
/// Who may do what on a canvas: its members (owner, editor, viewer), the invitations that will make members, and its
/// share links. A canvas made before sign-in existed is open: every signed-in user may edit it (migration 006 marks them).
/// </summary>
public sealed class CanvasAccess(SqliteDatabase database, AccessEvents events, Users users, IOptions<AuthOptions> options)
{
    /// <summary>The role of a user (or a link guest, <paramref name="userId"/> null) on a canvas; None for a missing canvas.</summary>
    public Role RoleOf(string canvasId, string? userId, string? linkId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
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
        using var reader = command.ExecuteReader();
        reader.Read();
        if (reader.GetInt64(0) == 0) return Role.None;
        var member = reader.IsDBNull(1) ? Role.None : Roles.Parse(reader.GetString(1));
        var link = reader.IsDBNull(2) ? Role.None : Roles.Parse(reader.GetString(2));
        var open = userId is not null && reader.GetInt64(3) != 0 ? Role.Editor : Role.None;
        return (Role)Math.Max((int)member, Math.Max((int)link, (int)open));
    }

    /// <summary>The id of the live link with this token on this canvas, or null.</summary>
    public string? FindLink(string canvasId, string token)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM share_links WHERE token_hash = $hash AND canvas_id = $canvas AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$hash", AuthSessions.HashToken(token));
        command.Parameters.AddWithValue("$canvas", canvasId);
        return command.ExecuteScalar() as string;
    }

    public void AddOwner(SqliteConnection connection, string canvasId, string userId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($canvas, $user, 'owner', $now)";
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<Member> Members(string canvasId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT u.id, u.display_name, u.email, u.avatar_url, m.role
            FROM canvas_members m JOIN users u ON u.id = m.user_id
            WHERE m.canvas_id = $canvas
            ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, u.display_name
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        using var reader = command.ExecuteReader();
        var members = new List<Member>();
        while (reader.Read())
            members.Add(new Member(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
        return members;
    }

    public enum MemberChange { Done, WouldLeaveNoOwner }

    /// <summary>Gives a user a role (adding them when they are not a member). The last owner cannot step down.</summary>
    public MemberChange SetRole(string canvasId, string userId, Role role)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        if (role != Role.Owner && IsLastOwner(connection, canvasId, userId)) return MemberChange.WouldLeaveNoOwner;
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($canvas, $user, $role, $now)
            ON CONFLICT (canvas_id, user_id) DO UPDATE SET role = excluded.role
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$role", role.ToWire());
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        transaction.Commit();
        events.Publish(new AccessChange(CanvasId: canvasId, UserId: userId));
        return MemberChange.Done;
    }

    /// <summary>Removes a member; false when they were not one. The last owner cannot be removed.</summary>
    public MemberChange? Remove(string canvasId, string userId)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        if (IsLastOwner(connection, canvasId, userId)) return MemberChange.WouldLeaveNoOwner;
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM canvas_members WHERE canvas_id = $canvas AND user_id = $user";
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        var removed = command.ExecuteNonQuery() > 0;
        transaction.Commit();
        if (!removed) return null;
        events.Publish(new AccessChange(CanvasId: canvasId, UserId: userId));
        return MemberChange.Done;
    }

    /// <summary>
    /// Invites an address (again: the role and time are renewed). Nothing here looks at accounts, so the answer and
    /// the time it takes are the same whether someone has this address or not.
    /// </summary>
    public Invitation Invite(string canvasId, string email, Role role, string invitedBy)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO canvas_invitations (id, canvas_id, email, role, invited_by, created_at) VALUES ($id, $canvas, $email, $role, $by, $now)
            ON CONFLICT (canvas_id, email) DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by, created_at = excluded.created_at
            RETURNING id, email, role, created_at
            """;
        command.Parameters.AddWithValue("$id", Ids.New(12));
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$email", Users.NormalizeEmail(email));
        command.Parameters.AddWithValue("$role", role.ToWire());
        command.Parameters.AddWithValue("$by", invitedBy);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        reader.Read();
        return ReadInvitation(reader);
    }

    public IReadOnlyList<Invitation> Invitations(string canvasId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, email, role, created_at FROM canvas_invitations WHERE canvas_id = $canvas ORDER BY created_at, email";
        command.Parameters.AddWithValue("$canvas", canvasId);
        using var reader = command.ExecuteReader();
        var invitations = new List<Invitation>();
        while (reader.Read()) invitations.Add(ReadInvitation(reader));
        return invitations;
    }

    /// <summary>Withdraws a pending invitation; false when there was none (it may have been accepted meanwhile).</summary>
    public bool RevokeInvitation(string canvasId, string invitationId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM canvas_invitations WHERE id = $id AND canvas_id = $canvas";
        command.Parameters.AddWithValue("$id", invitationId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// Turns the invitations to the user's verified addresses (on one canvas, or all) into memberships; true when any
    /// did. Someone who is already a member keeps their role (the owner changes roles in the members list). Open
    /// sockets of the user on those canvases (say, through a share link) learn their new role from the access events.
    /// </summary>
    public bool AcceptInvitations(string userId, string? canvasId = null)
    {
        // Without a provider the local sign-in name is the only identity there is; beside one, only a provider's
        // verified email counts, or anyone could register an invited address locally before its owner (docs/auth.md).
        var emails = users.VerifiedEmails(userId, localCounts: options.Value.Providers.Count == 0);
        if (emails.Count == 0) return false;
        var joined = new List<string>();
        using (var connection = database.Open())
        using (var transaction = connection.BeginTransaction())
        {
            var invitations = new List<(string Id, string Canvas, string Role)>();
            using (var find = connection.CreateCommand())
            {
                // The highest role first: two invited addresses of one person make them a member once, with the most it offers.
                find.CommandText = """
                    SELECT id, canvas_id, role FROM canvas_invitations
                    WHERE email IN (SELECT value FROM json_each($emails)) AND ($canvas IS NULL OR canvas_id = $canvas)
                    ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END
                    """;
                find.Parameters.AddWithValue("$emails", System.Text.Json.JsonSerializer.Serialize(emails));
                find.Parameters.AddWithValue("$canvas", (object?)canvasId ?? DBNull.Value);
                using var reader = find.ExecuteReader();
                while (reader.Read()) invitations.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
            if (invitations.Count == 0) return false;
            foreach (var (id, canvas, role) in invitations)
            {
                using var accept = connection.CreateCommand();
                accept.CommandText = """
                    INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($canvas, $user, $role, $now) ON CONFLICT DO NOTHING
                    """;
                accept.Parameters.AddWithValue("$canvas", canvas);
                accept.Parameters.AddWithValue("$user", userId);
                accept.Parameters.AddWithValue("$role", role);
                accept.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (accept.ExecuteNonQuery() > 0) joined.Add(canvas);
                using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM canvas_invitations WHERE id = $id";
                delete.Parameters.AddWithValue("$id", id);
                delete.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        foreach (var canvas in joined) events.Publish(new AccessChange(CanvasId: canvas, UserId: userId));
        return joined.Count > 0;
    }

    private static Invitation ReadInvitation(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    public IReadOnlyList<ShareLink> Links(string canvasId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, role, created_at FROM share_links WHERE canvas_id = $canvas AND revoked_at IS NULL ORDER BY created_at";
        command.Parameters.AddWithValue("$canvas", canvasId);
        using var reader = command.ExecuteReader();
        var links = new List<ShareLink>();
        while (reader.Read())
            links.Add(new ShareLink(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        return links;
    }

    public CreatedShareLink CreateLink(string canvasId, Role role, string createdBy)
    {
        var id = Ids.New(12);
        var token = Ids.New(32);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO share_links (id, canvas_id, token_hash, role, created_by, created_at)
            VALUES ($id, $canvas, $hash, $role, $by, $now)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$hash", AuthSessions.HashToken(token));
        command.Parameters.AddWithValue("$role", role.ToWire());
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return new CreatedShareLink(id, role.ToWire(), now, token);
    }

    /// <summary>Revokes a link; everyone who came in through it loses what it gave them, on every instance.</summary>
    public bool RevokeLink(string canvasId, string linkId)
    {
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE share_links SET revoked_at = $now WHERE id = $id AND canvas_id = $canvas AND revoked_at IS NULL";
            command.Parameters.AddWithValue("$id", linkId);
            command.Parameters.AddWithValue("$canvas", canvasId);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (command.ExecuteNonQuery() == 0) return false;
        }
        events.Publish(new AccessChange(CanvasId: canvasId, LinkId: linkId));
        return true;
    }

    private static bool IsLastOwner(SqliteConnection connection, string canvasId, string userId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT role FROM canvas_members WHERE canvas_id = $canvas AND user_id = $user) = 'owner'
               AND (SELECT COUNT(*) FROM canvas_members WHERE canvas_id = $canvas AND role = 'owner') = 1
            """;
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$user", userId);
        return command.ExecuteScalar() is long and 1;
    }
}
