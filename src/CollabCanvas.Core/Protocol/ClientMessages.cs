using System.Text.Json;
using CollabCanvas.Core.Model;

namespace CollabCanvas.Core.Protocol;

/// <summary>What a client may send (protocol v1, docs/protocol.md).</summary>
public abstract record ClientMessage;

/// <param name="Since">The last seq the client applied, or null for a full state.</param>
/// <param name="Client">A stable id the client keeps across reconnects; batches are identified by (client, ref).</param>
/// <param name="Link">A share link's token, for guests and for users who are not members.</param>
/// <param name="Ticket">A single-use ticket from <c>POST /api/ws-tickets</c>, for clients that can send neither a cookie nor a header.</param>
/// <param name="Name">The display name a link guest chose.</param>
public sealed record HelloMessage(long? Since, string? Client, string? Link = null, string? Ticket = null, string? Name = null) : ClientMessage;

/// <param name="OpsJson">The ops in canonical form: what is logged and sent to peers.</param>
public sealed record OpsMessage(string Ref, Op[] Ops, byte[] OpsJson) : ClientMessage;

/// <param name="Viewport">What the sender's view shows, so that others can follow it; null when it does not say.</param>
public sealed record PresenceMessage(Cursor? Cursor, string[] Selection, Viewport? Viewport = null) : ClientMessage;

/// <summary>
/// Re-authentication on an open session, before its credentials expire: exactly one of a fresh bearer access token
/// or a fresh ticket, for the same account. The session then rests on these credentials.
/// </summary>
public sealed record AuthMessage(string? Token, string? Ticket) : ClientMessage;

public sealed record PingMessage : ClientMessage
{
    public static PingMessage Instance { get; } = new();
}

/// <summary>A message that could not be read: answered with an <c>error</c>, harming nobody.</summary>
/// <param name="Type">The message type it claimed, when it named a known one.</param>
public sealed record InvalidMessage(string Code, string Message, string? Ref = null, string? Type = null) : ClientMessage;

public static class ClientMessages
{
    public const int MaxRefLength = 64;
    public const int MaxSelection = 1000;
    /// <summary>How far from the origin a cursor or a viewport's corner may be, and how wide or tall a viewport, in canvas units.</summary>
    public const double MaxCoordinate = 1e7;
    public const int MaxSecretLength = 128;
    public const int MaxNameLength = 40;
    /// <summary>Access tokens are JWTs of one to two kilobytes; this leaves room for many claims.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>Parses one frame: a message object or an array of them.</summary>
    public static List<ClientMessage> Parse(ReadOnlyMemory<byte> utf8, Limits limits)
    {
        var result = new List<ClientMessage>(1);
        if (ClientJson.TryParse(utf8, out var error) is not { } document)
        {
            result.Add(new InvalidMessage(ErrorCodes.BadJson, error));
            return result;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray()) result.Add(ParseOne(item, limits));
                if (result.Count == 0) result.Add(new InvalidMessage(ErrorCodes.BadMessage, "an empty array holds no message"));
            }
            else
            {
                result.Add(ParseOne(root, limits));
            }
        }
        return result;
    }

    private static ClientMessage ParseOne(JsonElement json, Limits limits)
    {
        if (json.ValueKind != JsonValueKind.Object)
            return new InvalidMessage(ErrorCodes.BadMessage, "a message must be a JSON object");
        if (!json.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            return new InvalidMessage(ErrorCodes.BadMessage, "type: required string");
        return type.GetString() switch
        {
            "ops" => ParseOps(json, limits),
            "presence" => ParsePresence(json),
            "hello" => ParseHello(json),
            "auth" => ParseAuth(json),
            "ping" => PingMessage.Instance,
            var other => new InvalidMessage(ErrorCodes.UnknownType, $"unknown message type \"{Truncate(other!)}\""),
        };
    }

    private static ClientMessage ParseHello(JsonElement json)
    {
        long? since = null;
        string? client = null;
        if (json.TryGetProperty("since"u8, out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var value) || value < 0)
                return new InvalidMessage(ErrorCodes.BadMessage, "since: must be a non-negative integer", Type: "hello");
            since = value;
        }
        if (json.TryGetProperty("client"u8, out var c) && c.ValueKind != JsonValueKind.Null)
        {
            client = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (!ObjectSchema.IsValidId(client))
                return new InvalidMessage(ErrorCodes.BadMessage, "client: must be 1 to 64 characters of A-Z a-z 0-9 _ -", Type: "hello");
        }
        if (!TryOptionalString(json, "link"u8, MaxSecretLength, out var link) ||
            !TryOptionalString(json, "ticket"u8, MaxSecretLength, out var ticket))
            return new InvalidMessage(ErrorCodes.BadMessage, $"link, ticket: must be strings of at most {MaxSecretLength} characters", Type: "hello");
        if (!TryOptionalString(json, "name"u8, MaxNameLength, out var name))
            return new InvalidMessage(ErrorCodes.BadMessage, $"name: must be a string of at most {MaxNameLength} characters", Type: "hello");
        return new HelloMessage(since, client, link, ticket, name);
    }

    private static ClientMessage ParseAuth(JsonElement json)
    {
        if (!TryOptionalString(json, "token"u8, MaxTokenLength, out var token) ||
            !TryOptionalString(json, "ticket"u8, MaxSecretLength, out var ticket) || (token is null) == (ticket is null))
            return new InvalidMessage(ErrorCodes.BadMessage,
                $"auth: needs exactly one of token (a string of at most {MaxTokenLength} characters) or ticket (at most {MaxSecretLength})");
        return new AuthMessage(token, ticket);
    }

    private static bool TryOptionalString(JsonElement json, ReadOnlySpan<byte> property, int maxLength, out string? value)
    {
        value = null;
        if (!json.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString();
        return value!.Length <= maxLength;
    }

    private static ClientMessage ParseOps(JsonElement json, Limits limits)
    {
        if (!json.TryGetProperty("ref"u8, out var r) || r.ValueKind != JsonValueKind.String ||
            r.GetString() is not { Length: > 0 and <= MaxRefLength } reference)
            return new InvalidMessage(ErrorCodes.BadMessage, $"ref: required string of 1 to {MaxRefLength} characters");
        if (!json.TryGetProperty("ops"u8, out var opsJson))
            return new InvalidMessage(ErrorCodes.BadMessage, "ops: required", reference);
        if (!OpJson.TryRead(opsJson, limits, out var ops, out var error))
            return new InvalidMessage(ErrorCodes.InvalidOp, error, reference);
        return new OpsMessage(reference, ops, OpJson.ToUtf8(ops));
    }

    private static ClientMessage ParsePresence(JsonElement json)
    {
        Cursor? cursor = null;
        if (json.TryGetProperty("cursor"u8, out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.Object ||
                !TryCoordinate(c, "x"u8, out var x) || !TryCoordinate(c, "y"u8, out var y))
                return new InvalidMessage(ErrorCodes.BadMessage, "cursor: must be {x, y} with finite numbers or null");
            cursor = new Cursor(x, y);
        }
        var selection = Array.Empty<string>();
        if (json.TryGetProperty("selection"u8, out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Array || s.GetArrayLength() > MaxSelection)
                return new InvalidMessage(ErrorCodes.BadMessage, $"selection: must be an array of at most {MaxSelection} ids");
            selection = new string[s.GetArrayLength()];
            var i = 0;
            foreach (var id in s.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || !ObjectSchema.IsValidId(id.GetString()))
                    return new InvalidMessage(ErrorCodes.BadMessage, "selection: must hold object ids");
                selection[i++] = id.GetString()!;
            }
        }
        Viewport? viewport = null;
        if (json.TryGetProperty("viewport"u8, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind != JsonValueKind.Object ||
                !TryCoordinate(v, "x"u8, out var x) || !TryCoordinate(v, "y"u8, out var y) ||
                !TryCoordinate(v, "width"u8, out var width) || !TryCoordinate(v, "height"u8, out var height) || width < 1 || height < 1)
                return new InvalidMessage(ErrorCodes.BadMessage,
                    $"viewport: must be {{x, y, width, height}} with finite numbers (width and height 1 to {MaxCoordinate:0}) or null");
            viewport = new Viewport(x, y, width, height);
        }
        return new PresenceMessage(cursor, selection, viewport);
    }

    private static bool TryCoordinate(JsonElement json, ReadOnlySpan<byte> name, out double value)
    {
        value = 0;
        return json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number &&
               v.TryGetDouble(out value) && double.IsFinite(value) && Math.Abs(value) <= MaxCoordinate;
    }

    /// <summary>Short enough to quote in an error, and never a surrogate pair cut in half (it could not be written).</summary>
    private static string Truncate(string s)
    {
        if (s.Length <= 32) return s;
        var end = char.IsHighSurrogate(s[31]) ? 31 : 32;
        return s[..end] + "…";
    }
}
