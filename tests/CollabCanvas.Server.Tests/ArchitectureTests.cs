using System.Text.RegularExpressions;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests;

/// <summary>
/// The server's folders depend in one direction (docs/architecture.md, "Dependency direction"), and only the backend
/// implementations know where data lives. Read from the sources, so a new <c>using</c> that breaks either rule fails here.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Each folder may use only the folders listed before it.</summary>
    private static readonly string[] Order = ["Log", "Observability", "Web", "Backend", "Auth", "Features", "Access", "Realtime", "Canvases", "Ai", "History"];

    private static readonly string Server = Path.Combine(ServerProcess.RepositoryRoot, "src", "CollabCanvas.Server");

    private static readonly string SqliteToPostgres = Path.Combine("Backend", "Postgres", "SqliteToPostgres.cs");

    [GeneratedRegex(@"CollabCanvas\.Server\.(\w+)")]
    private static partial Regex FolderReference();

    private static IEnumerable<(string Folder, string File, string Text)> Sources() =>
        Order.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Server, folder), "*.cs", SearchOption.AllDirectories)
            .Select(file => (folder, Path.GetRelativePath(Server, file), File.ReadAllText(file))));

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var wrong = Sources()
            .SelectMany(source => FolderReference().Matches(source.Text)
                .Select(m => m.Groups[1].Value)
                .Where(used => Array.IndexOf(Order, used) > Array.IndexOf(Order, source.Folder))
                .Select(used => $"{source.File} uses {used}"))
            .Distinct()
            .ToList();
        Assert.Empty(wrong);
    }

    /// <summary>
    /// A client library is named only in the folder of its implementation, and that folder only inside <c>Backend/</c>.
    /// The one exception: the move from SQLite to PostgreSQL, the only code that knows both schemas.
    /// </summary>
    [Theory]
    [InlineData("Sqlite", "Microsoft.Data.Sqlite")]
    [InlineData("Postgres", "Npgsql")]
    [InlineData("Redis", "StackExchange.Redis")]
    public void Only_its_backend_implementation_names_a_client_library(string implementation, string library)
    {
        var wrong = Sources()
            .Where(source => !source.File.StartsWith(Path.Combine("Backend", implementation), StringComparison.Ordinal))
            .Where(source => !(implementation == "Sqlite" && source.File == SqliteToPostgres))
            .Where(source => source.Text.Contains(library, StringComparison.Ordinal)
                || source.Text.Contains("Backend." + implementation, StringComparison.Ordinal) && !source.File.StartsWith("Backend", StringComparison.Ordinal))
            .Select(source => source.File)
            .ToList();
        Assert.Empty(wrong);
    }
}
