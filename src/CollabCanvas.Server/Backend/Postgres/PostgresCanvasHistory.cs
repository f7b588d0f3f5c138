using CollabCanvas.Server.Log;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// History in PostgreSQL: <c>canvas_checkpoints</c> (the log adds one with a snapshot now and then; versions add
/// theirs here), <c>canvas_versions</c>, <c>canvas_history_settings</c>; the batches are the log's <c>canvas_log</c> rows.
/// </summary>
public sealed class PostgresCanvasHistory(PostgresDatabase database) : ICanvasHistory
{
    public async Task<Snapshot?> CheckpointAtOrBeforeAsync(string canvasId, long seq, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "SELECT seq, objects FROM canvas_checkpoints WHERE canvas_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1", canvasId, seq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Snapshot(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }

    /// <summary>One statement: the version (an automatic one only when none is at or after its seq; the unique index
    /// settles two instances racing) and, when it was stored, its checkpoint.</summary>
    public async Task<CanvasVersion?> AddVersionAsync(CanvasVersion version, Snapshot state, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            WITH v AS (
                INSERT INTO canvas_versions (id, canvas_id, seq, kind, name, author, created_at)
                SELECT $1, $2, $3, $4::text, $5::text, $6::text, $7
                WHERE $4::text = 'named' OR NOT EXISTS (SELECT 1 FROM canvas_versions WHERE canvas_id = $2 AND seq >= $3)
                ON CONFLICT DO NOTHING
                RETURNING seq),
            c AS (INSERT INTO canvas_checkpoints (canvas_id, seq, objects) SELECT $2, seq, $8 FROM v ON CONFLICT DO NOTHING)
            SELECT count(*) FROM v
            """, version.Id, version.CanvasId, version.Seq, KindToText(version.Kind), version.Name, version.Author, version.CreatedAt, state.ObjectsJson);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0 ? version : null;
    }

    public async Task<IReadOnlyList<CanvasVersion>> VersionsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT id, canvas_id, seq, kind, name, author, created_at FROM canvas_versions
            WHERE canvas_id = $1 ORDER BY seq DESC, created_at DESC
            """, canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<CanvasVersion>();
        while (await reader.ReadAsync(cancellationToken)) versions.Add(ReadVersion(reader));
        return versions;
    }

    public async Task<(CanvasVersion Version, Snapshot State)?> FindVersionAsync(string canvasId, string versionId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT v.id, v.canvas_id, v.seq, v.kind, v.name, v.author, v.created_at, c.objects FROM canvas_versions v
            JOIN canvas_checkpoints c ON c.canvas_id = v.canvas_id AND c.seq = v.seq
            WHERE v.canvas_id = $1 AND v.id = $2
            """, canvasId, versionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var version = ReadVersion(reader);
        return (version, new Snapshot(version.Seq, (byte[])reader.GetValue(7)));
    }

    public async Task<IReadOnlyList<LogRecord>> BatchesTouchingAsync(string canvasId, string objectId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            SELECT seq, actor, client_id, ref, ops, created_at FROM canvas_log
            WHERE canvas_id = $1 AND position($2::bytea in ops) > 0 ORDER BY seq
            """, canvasId, HistoryFilter.Needle(objectId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<LogRecord>();
        while (await reader.ReadAsync(cancellationToken)) records.Add(PostgresCanvasLog.ReadRecord(canvasId, reader));
        return records;
    }

    public async Task<long> ThinnedSeqAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("SELECT pruned_seq FROM canvas_heads WHERE canvas_id = $1", canvasId);
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }

    public async Task<HistorySettings> SettingsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command(
            "SELECT retention_days, viewers_see_history, links_see_history FROM canvas_history_settings WHERE canvas_id = $1", canvasId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return HistorySettings.Default;
        return new HistorySettings(reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.GetBoolean(1), reader.GetBoolean(2));
    }

    public async Task SetSettingsAsync(string canvasId, HistorySettings settings, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.Command("""
            INSERT INTO canvas_history_settings (canvas_id, retention_days, viewers_see_history, links_see_history)
            VALUES ($1, $2::double precision, $3, $4)
            ON CONFLICT (canvas_id) DO UPDATE SET retention_days = excluded.retention_days,
                viewers_see_history = excluded.viewers_see_history, links_see_history = excluded.links_see_history
            """, canvasId, settings.RetentionDays, settings.ViewersSeeHistory, settings.LinksSeeHistory);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string KindToText(VersionKind kind) => kind == VersionKind.Named ? "named" : "auto";

    private static CanvasVersion ReadVersion(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3) == "named" ? VersionKind.Named : VersionKind.Auto,
        reader.StringOrNull(4), reader.StringOrNull(5), reader.Time(6));
}
