using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>The flags file a running server watches (docs/configuration.md, "Feature flags").</summary>
public static class FlagsFile
{
    /// <summary>
    /// Writes the flags file of a running server (it reads it again within a second) and waits until the flags it sets
    /// to true or false took effect for <paramref name="caller"/> (the test user by default).
    /// </summary>
    /// <param name="groups">Targeting groups: name to account ids.</param>
    public static async Task SetFlagsAsync(this ServerProcess server, object flags, HttpClient? caller = null, object? groups = null)
    {
        var json = JsonSerializer.Serialize(new { CollabCanvas = new { Features = new { Groups = groups ?? new { } } }, FeatureManagement = flags });
        await File.WriteAllTextAsync(Path.Combine(server.DataDirectory, "features.json"), json);
        // Every flag the file sets to true or false, as the caller must now see it.
        var expected = JsonNode.Parse(json)!["FeatureManagement"]!.AsObject()
            .Where(f => f.Value!.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            .ToDictionary(f => f.Key, f => f.Value!.GetValue<bool>());
        await Eventually.Until(async () =>
        {
            var seen = await (caller ?? server.Http).GetFromJsonAsync<Dictionary<string, bool>>("/api/features");
            return expected.All(f => seen![f.Key] == f.Value);
        }, "the server reads the flags file again");
    }
}
