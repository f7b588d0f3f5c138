using CollabCanvas.Server.Backend.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>Accounts for the access contract tests to refer to (the SQLite schema's foreign keys want them to exist).</summary>
public static class BackendUsers
{
    public static async Task AddAsync(BackendUnderTest backend, params string[] userIds)
    {
        if (backend.Services.GetService<SqliteDatabase>() is not { } database) return; // the in-memory stores keep no accounts of their own
        await using var connection = new SqliteConnection($"Data Source={database.DatabasePath}");
        await connection.OpenAsync();
        foreach (var id in userIds)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO users (id, display_name, created_at, updated_at) VALUES ($id, $id, 0, 0)";
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync();
        }
    }
}
