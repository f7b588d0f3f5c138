using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// Commands with positional parameters (<c>$1</c>, <c>$2</c>, ...) in the order given, and the reads the stores share.
/// A null goes as an untyped NULL whose type PostgreSQL infers from where it is used (cast it, <c>$2::text</c>, where
/// nothing says); times go in as UTC, the only offset Npgsql writes to <c>timestamptz</c>. A list goes as an array
/// (<c>= ANY($1)</c>): a list rather than an array, which C# would spread over the parameters.
/// </summary>
public static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        AddParameters(command.Parameters, values);
        return command;
    }

    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        AddParameters(command.Parameters, values);
        return command;
    }

    /// <summary>
    /// Statements sent together in one round trip. Without an explicit transaction PostgreSQL runs them as one (implicit)
    /// transaction: all or nothing.
    /// </summary>
    public static NpgsqlBatch Batch(this NpgsqlDataSource dataSource, params NpgsqlBatchCommand[] statements)
    {
        var batch = dataSource.CreateBatch();
        foreach (var statement in statements) batch.BatchCommands.Add(statement);
        return batch;
    }

    public static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        AddParameters(statement.Parameters, values);
        return statement;
    }

    public static string? StringOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset Time(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static void AddParameters(NpgsqlParameterCollection parameters, object?[] values)
    {
        foreach (var value in values)
            parameters.Add(new NpgsqlParameter { Value = value switch { null => DBNull.Value, DateTimeOffset at => at.ToUniversalTime(), _ => value } });
    }
}
