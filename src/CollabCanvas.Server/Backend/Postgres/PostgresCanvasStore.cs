using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>The <c>canvases</c> table (a canvas's owner goes into <c>canvas_members</c> in the same transaction).</summary>
public sealed class PostgresCanvasStore(PostgresDatabase database) : ICanvasStore
{
    private const string Columns = "id, name, created_at, updated_at";

    public async Task CreateAsync(Canvas canvas, string ownerId, CancellationToken cancellationToken = default)
    {
        await using var batch = database.DataSource.Batch(
            PostgresCommands.Statement("INSERT INTO canvases (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)",
                canvas.Id, canvas.Name, canvas.CreatedAt, canvas.UpdatedAt),
            PostgresCommands.Statement("INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)",
                canvas.Id, ownerId, canvas.CreatedAt));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Canvas>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT c.id, c.name, c.created_at, c.updated_at, COALESCE(m.role, 'editor')
            FROM canvases c LEFT JOIN canvas_members m ON m.canvas_id = c.id AND m.user_id = $1
            WHERE m.role IS NOT NULL OR c.open_to_signed_in
            ORDER BY c.updated_at DESC, c.id COLLATE "C"
            """, userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var canvases = new List<Canvas>();
        while (await reader.ReadAsync(cancellationToken)) canvases.Add(Read(reader) with { Role = reader.GetString(4) });
        return canvases;
    }

    public async Task<Canvas?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command($"SELECT {Columns} FROM canvases WHERE id = $1", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<Canvas?> RenameAsync(string id, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command($"UPDATE canvases SET name = $2, updated_at = $3 WHERE id = $1 RETURNING {Columns}", id, name, at);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<string?> ThemeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT theme FROM canvases WHERE id = $1", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SetThemeAsync(string id, string theme, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("UPDATE canvases SET theme = $2 WHERE id = $1", id, theme);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        // Members, invitations and links go with it (ON DELETE CASCADE).
        await using var command = database.DataSource.Command("DELETE FROM canvases WHERE id = $1", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static Canvas Read(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.Time(2), reader.Time(3));
}
