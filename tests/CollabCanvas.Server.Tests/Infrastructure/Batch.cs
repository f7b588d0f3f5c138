using System.Text.Json;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>Builds <c>ops</c> arrays as JSON text.</summary>
public static class Batch
{
    public static object Put(string id, object props) => new { op = "put", id, props };

    public static object Delete(string id) => new { op = "delete", id };

    public static string Of(params object[] ops) => JsonSerializer.Serialize(ops);

    public static string Rect(string id, int x, string fill = "#000000") => Of(Put(id, new { type = "rect", x, fill }));
}
