using System.Net.Http.Json;
using System.Text.Json;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>WebSocket tickets (<c>POST /api/ws-tickets</c>) as a test mints and spends them.</summary>
public static class Tickets
{
    /// <summary>A ticket minted by whoever <paramref name="http"/> is signed in as (a cookie or a bearer token).</summary>
    public static async Task<string> MintAsync(HttpClient http)
    {
        var response = await http.PostAsync("/api/ws-tickets", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;
    }

    /// <summary>Opens a socket with no cookie and says hello with the ticket; the close code it got (it must get one).</summary>
    public static async Task<int?> CloseCodeOfAsync(Uri baseUri, string canvasId, string ticket)
    {
        await using var client = await CanvasClient.ConnectAsync(baseUri, canvasId, hello: false);
        await client.SendJsonAsync(new { type = "hello", ticket });
        await client.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        return (int?)client.CloseStatus;
    }
}
