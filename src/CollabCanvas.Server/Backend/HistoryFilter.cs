using System.Text;

namespace CollabCanvas.Server.Backend;

/// <summary>
/// Finds the batches that name an object without parsing them: a logged batch is canonical JSON
/// (<c>OpJson.WriteOps</c>: no spaces, <c>"id":"…"</c> on every op, ids of letters, digits, <c>_</c> and <c>-</c>
/// that need no escaping), so the bytes <c>"id":"{objectId}"</c> appear in exactly the batches with an op on it. Every
/// implementation filters with these bytes where the log is stored.
/// </summary>
public static class HistoryFilter
{
    public static byte[] Needle(string objectId) => Encoding.UTF8.GetBytes($"\"id\":\"{objectId}\"");
}
