using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CollabCanvas.Core.Protocol;

public sealed record Cursor(double X, double Y);

/// <summary>The part of the canvas a session's view shows, in canvas units: what a follower's view fits to.</summary>
public sealed record Viewport(double X, double Y, double Width, double Height);

public sealed record UserInfo(string Id, string Name, string Color);

public sealed record PeerInfo(string Session, UserInfo User, Cursor? Cursor, string[] Selection, Viewport? Viewport = null);

/// <summary>One logged batch as a client sees it in a <c>replay</c>.</summary>
public sealed record ReplayBatch(long Seq, string Actor, string Client, string Ref, ReadOnlyMemory<byte> OpsJson);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(PeerInfo))]
[JsonSerializable(typeof(Cursor))]
[JsonSerializable(typeof(Viewport))]
[JsonSerializable(typeof(string))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;

/// <summary>
/// Writes server messages to UTF-8 once; the same bytes go to every session. Hot messages are written by hand
/// with <see cref="Utf8JsonWriter"/>; their small parts use the source-generated <see cref="ProtocolJsonContext"/>.
/// </summary>
public static class ServerMessages
{
    /// <param name="role"><c>owner</c>, <c>editor</c> or <c>viewer</c>: a viewer's ops are refused.</param>
    public static byte[] Welcome(string session, UserInfo user, string role, long seq, Action<Utf8JsonWriter>? writeObjects,
        IReadOnlyList<ReplayBatch>? replay, IEnumerable<PeerInfo> peers) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("session"u8, session);
        w.WritePropertyName("user"u8);
        JsonSerializer.Serialize(w, user, ProtocolJsonContext.Default.UserInfo);
        w.WriteString("role"u8, role);
        w.WriteNumber("seq"u8, seq);
        if (writeObjects is not null)
        {
            w.WritePropertyName("objects"u8);
            writeObjects(w);
        }
        if (replay is not null)
        {
            w.WriteStartArray("replay"u8);
            foreach (var batch in replay) WriteBatch(w, batch.Seq, batch.Actor, batch.Client, batch.Ref, batch.OpsJson.Span, withType: false);
            w.WriteEndArray();
        }
        w.WriteStartArray("peers"u8);
        foreach (var peer in peers) JsonSerializer.Serialize(w, peer, ProtocolJsonContext.Default.PeerInfo);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The session's role changed while it was open (a viewer's ops are refused from now on).</summary>
    public static byte[] Role(string role) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "role"u8);
        w.WriteString("role"u8, role);
        w.WriteEndObject();
    });

    /// <summary>The canvas was renamed (by anyone, on any instance).</summary>
    public static byte[] Canvas(string name) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "canvas"u8);
        w.WriteString("name"u8, name);
        w.WriteEndObject();
    });

    /// <summary>
    /// How many more seconds the credentials the session rests on are accepted: sent after <c>welcome</c> and in
    /// answer to <c>auth</c>. The session is closed with 4401 then, unless the client re-authenticates before.
    /// </summary>
    public static byte[] Auth(long expiresInSeconds) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "auth"u8);
        w.WriteNumber("expiresInSeconds"u8, expiresInSeconds);
        w.WriteEndObject();
    });

    public static byte[] Ack(string reference, long seq) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "ack"u8);
        w.WriteString("ref"u8, reference);
        w.WriteNumber("seq"u8, seq);
        w.WriteEndObject();
    });

    /// <summary>A batch as delivered live to sessions other than its sender.</summary>
    public static byte[] Ops(long seq, string actor, ReadOnlySpan<byte> opsJson)
    {
        var buffer = new ArrayBufferWriter<byte>(opsJson.Length + 64);
        using (var w = new Utf8JsonWriter(buffer)) WriteBatch(w, seq, actor, null, null, opsJson, withType: true);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBatch(Utf8JsonWriter w, long seq, string actor, string? client, string? reference,
        ReadOnlySpan<byte> opsJson, bool withType)
    {
        w.WriteStartObject();
        if (withType) w.WriteString("type"u8, "ops"u8);
        w.WriteNumber("seq"u8, seq);
        w.WriteString("actor"u8, actor);
        if (client is not null) w.WriteString("client"u8, client);
        if (reference is not null) w.WriteString("ref"u8, reference);
        w.WritePropertyName("ops"u8);
        w.WriteRawValue(opsJson, skipInputValidation: true);
        w.WriteEndObject();
    }

    public static byte[] Presence(PeerInfo peer) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "presence"u8);
        w.WriteString("session"u8, peer.Session);
        w.WritePropertyName("cursor"u8);
        JsonSerializer.Serialize(w, peer.Cursor, ProtocolJsonContext.Default.Cursor);
        w.WriteStartArray("selection"u8);
        foreach (var id in peer.Selection) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WritePropertyName("viewport"u8);
        JsonSerializer.Serialize(w, peer.Viewport, ProtocolJsonContext.Default.Viewport);
        w.WriteEndObject();
    });

    public static byte[] Join(PeerInfo peer) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "join"u8);
        w.WritePropertyName("peer"u8);
        JsonSerializer.Serialize(w, peer, ProtocolJsonContext.Default.PeerInfo);
        w.WriteEndObject();
    });

    public static byte[] Leave(string session) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "leave"u8);
        w.WriteString("session"u8, session);
        w.WriteEndObject();
    });

    public static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    public static byte[] Error(string code, string message, string? reference = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        if (reference is not null) w.WriteString("ref"u8, reference);
        w.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }
}
