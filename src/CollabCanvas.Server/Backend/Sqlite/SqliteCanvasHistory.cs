using CollabCanvas.Server.Log;
using Microsoft.Data.Sqlite;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// History on the SQLite file: <c>canvas_checkpoints</c> (the log adds one with a snapshot now and then; versions add
/// theirs here), <c>canvas_versions</c>, <c>canvas_history_settings</c>; the batches are the log's
/// <c>message_queue</c> rows.
/// </summary>
public sealed class SqliteCanvasHistory(SqliteDatabase database) : ICanvasHistory
{
    public async Task<Snapshot?> CheckpointAtOrBeforeAsync(string canvasId, long seq, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection,
            "SELECT seq, objects FROM canvas_checkpoints WHERE canvas_id = $canvas AND seq <= $seq ORDER BY seq DESC LIMIT 1",
            ("$canvas", canvasId), ("$seq", seq));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Snapshot(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<CanvasVersion?> AddVersionAsync(CanvasVersion version, Snapshot state, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        // An automatic version only when none is at or after its seq; the unique index settles two instances racing.
        await using var insert = Command(connection, $"""
            INSERT INTO canvas_versions (id, canvas_id, seq, kind, name, author, created_at)
            SELECT $id, $canvas, $seq, $kind, $name, $author, $at
            WHERE $kind = 'named' OR NOT EXISTS (SELECT 1 FROM canvas_versions WHERE canvas_id = $canvas AND seq >= $seq)
            ON CONFLICT DO NOTHING
            """,
            ("$id", version.Id), ("$canvas", version.CanvasId), ("$seq", version.Seq), ("$kind", KindToText(version.Kind)),
            ("$name", version.Name), ("$author", version.Author), ("$at", version.CreatedAt.ToUnixTimeMilliseconds()));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return null;
        await using var checkpoint = Command(connection, """
            INSERT INTO canvas_checkpoints (canvas_id, seq, objects, created_at) VALUES ($canvas, $seq, $objects, $at)
            ON CONFLICT DO NOTHING
            """, ("$canvas", version.CanvasId), ("$seq", state.Seq), ("$objects", state.ObjectsJson), ("$at", version.CreatedAt.ToUnixTimeMilliseconds()));
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<IReadOnlyList<CanvasVersion>> VersionsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, """
            SELECT id, canvas_id, seq, kind, name, author, created_at FROM canvas_versions
            WHERE canvas_id = $canvas ORDER BY seq DESC, created_at DESC
            """, ("$canvas", canvasId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<CanvasVersion>();
        while (await reader.ReadAsync(cancellationToken)) versions.Add(ReadVersion(reader));
        return versions;
    }

    public async Task<(CanvasVersion Version, Snapshot State)?> FindVersionAsync(string canvasId, string versionId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, """
            SELECT v.id, v.canvas_id, v.seq, v.kind, v.name, v.author, v.created_at, c.objects FROM canvas_versions v
            JOIN canvas_checkpoints c ON c.canvas_id = v.canvas_id AND c.seq = v.seq
            WHERE v.canvas_id = $canvas AND v.id = $id
            """, ("$canvas", canvasId), ("$id", versionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var version = ReadVersion(reader);
        return (version, new Snapshot(version.Seq, (byte[])reader.GetValue(7)));
    }

    public async Task<IReadOnlyList<LogRecord>> BatchesTouchingAsync(string canvasId, string objectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, """
            SELECT seq, actor, client_id, ref, ops, created_at FROM message_queue
            WHERE canvas_id = $canvas AND instr(ops, $needle) > 0 ORDER BY seq
            """, ("$canvas", canvasId), ("$needle", HistoryFilter.Needle(objectId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<LogRecord>();
        while (await reader.ReadAsync(cancellationToken)) records.Add(SqliteCanvasLog.ReadRecord(canvasId, reader));
        return records;
    }

    public async Task<long> ThinnedSeqAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, "SELECT pruned_seq FROM canvas_states WHERE canvas_id = $canvas", ("$canvas", canvasId));
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }

    public async Task<HistorySettings> SettingsAsync(string canvasId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection,
            "SELECT retention_days, viewers_see_history, links_see_history FROM canvas_history_settings WHERE canvas_id = $canvas",
            ("$canvas", canvasId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return HistorySettings.Default;
        return new HistorySettings(reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.GetBoolean(1), reader.GetBoolean(2));
    }

    public async Task SetSettingsAsync(string canvasId, HistorySettings settings, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, """
            INSERT INTO canvas_history_settings (canvas_id, retention_days, viewers_see_history, links_see_history)
            VALUES ($canvas, $days, $viewers, $links)
            ON CONFLICT (canvas_id) DO UPDATE SET retention_days = excluded.retention_days,
                viewers_see_history = excluded.viewers_see_history, links_see_history = excluded.links_see_history
            """, ("$canvas", canvasId), ("$days", settings.RetentionDays), ("$viewers", settings.ViewersSeeHistory), ("$links", settings.LinksSeeHistory));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string KindToText(VersionKind kind) => kind == VersionKind.Named ? "named" : "auto";

    private static CanvasVersion ReadVersion(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3) == "named" ? VersionKind.Named : VersionKind.Auto,
        reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
