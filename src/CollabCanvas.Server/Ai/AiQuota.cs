using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Ai;

/// <summary>
/// The per-user hourly limit, in <c>ai_commands</c>: a command takes a slot with one conditional INSERT (atomic
/// across instances: SQLite runs one writer at a time), and the slot carries the command's cost afterwards.
/// </summary>
public sealed class AiQuota(SqliteDatabase database, IOptions<AiOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private int Limit => options.Value.CommandsPerHour;

    public sealed record Slot(long Id, int Remaining);

    /// <summary>A slot for one command, or null with how long to wait when the hour's commands are used up.</summary>
    public (Slot? Slot, TimeSpan RetryAfter) TryTake(string userId, string canvasId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var since = now - (long)Window.TotalMilliseconds;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO ai_commands (user_id, canvas_id, created_at)
            SELECT $user, $canvas, $now
            WHERE (SELECT COUNT(*) FROM ai_commands WHERE user_id = $user AND created_at > $since) < $limit
            RETURNING id
            """;
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$canvas", canvasId);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$limit", Limit);
        if (command.ExecuteScalar() is long id) return (new Slot(id, Remaining(userId)), TimeSpan.Zero);
        using var oldest = connection.CreateCommand();
        oldest.CommandText = "SELECT MIN(created_at) FROM ai_commands WHERE user_id = $user AND created_at > $since";
        oldest.Parameters.AddWithValue("$user", userId);
        oldest.Parameters.AddWithValue("$since", since);
        var first = oldest.ExecuteScalar() is long at ? at : now;
        return (null, TimeSpan.FromMilliseconds(Math.Max(1000, first + (long)Window.TotalMilliseconds - now)));
    }

    /// <summary>Commands left this hour.</summary>
    public int Remaining(string userId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ai_commands WHERE user_id = $user AND created_at > $since";
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$since", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)Window.TotalMilliseconds);
        return Math.Max(0, Limit - (int)(long)command.ExecuteScalar()!);
    }

    /// <summary>Gives a slot back: the command was refused before it cost anything.</summary>
    public void Return(Slot slot)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ai_commands WHERE id = $id";
        command.Parameters.AddWithValue("$id", slot.Id);
        command.ExecuteNonQuery();
    }

    /// <summary>Records what the command cost on its slot.</summary>
    public void Record(Slot slot, string interpreter, AiUsage? usage)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE ai_commands SET interpreter = $interpreter, model = $model, input_tokens = $in, output_tokens = $out, cost_usd = $cost
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", slot.Id);
        command.Parameters.AddWithValue("$interpreter", interpreter);
        command.Parameters.AddWithValue("$model", (object?)usage?.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$in", usage?.InputTokens ?? 0);
        command.Parameters.AddWithValue("$out", usage?.OutputTokens ?? 0);
        command.Parameters.AddWithValue("$cost", (double)(usage?.CostUsd ?? 0));
        command.ExecuteNonQuery();
    }
}
