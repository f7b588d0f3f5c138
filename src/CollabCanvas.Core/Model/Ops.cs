using System.Runtime.InteropServices;
using System.Text.Json;

namespace CollabCanvas.Core.Model;

/// <summary>One change to one object. Ops are validated before they exist; applying them never fails.</summary>
public abstract record Op(string Id);

/// <summary>Create (when <c>type</c> is given and the object is missing) or merge. A null value removes the prop.</summary>
public sealed record PutOp(string Id, IReadOnlyList<PropChange> Props) : Op(Id);

/// <summary>Removes the object and everything inside it.</summary>
public sealed record DeleteOp(string Id) : Op(Id);

public readonly record struct PropChange(string Name, PropValue? Value);

public static class OpJson
{
    /// <summary>Writes ops in their canonical form: what is stored in the log and sent to peers.</summary>
    public static void WriteOps(Utf8JsonWriter writer, IReadOnlyList<Op> ops)
    {
        writer.WriteStartArray();
        foreach (var op in ops)
        {
            writer.WriteStartObject();
            switch (op)
            {
                case PutOp put:
                    writer.WriteString("op"u8, "put"u8);
                    writer.WriteString("id"u8, put.Id);
                    writer.WriteStartObject("props"u8);
                    foreach (var change in put.Props)
                    {
                        writer.WritePropertyName(change.Name);
                        if (change.Value is { } value) value.WriteTo(writer);
                        else writer.WriteNullValue();
                    }
                    writer.WriteEndObject();
                    break;
                case DeleteOp delete:
                    writer.WriteString("op"u8, "delete"u8);
                    writer.WriteString("id"u8, delete.Id);
                    break;
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static byte[] ToUtf8(IReadOnlyList<Op> ops)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) WriteOps(writer, ops);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads and validates an <c>ops</c> array. On failure <paramref name="error"/> names the op and the prop,
    /// e.g. <c>ops[2].props.fill: must be a color</c>.
    /// </summary>
    public static bool TryRead(JsonElement json, Limits limits, out Op[] ops, out string error)
    {
        ops = [];
        if (json.ValueKind != JsonValueKind.Array)
        {
            error = "ops: must be an array";
            return false;
        }
        var count = json.GetArrayLength();
        if (count == 0 || count > limits.MaxOpsPerBatch)
        {
            error = $"ops: must hold 1 to {limits.MaxOpsPerBatch} ops";
            return false;
        }
        var result = new Op[count];
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (!TryReadOp(item, limits, out var op, out var opError))
            {
                error = $"ops[{i}]{opError}";
                return false;
            }
            result[i++] = op;
        }
        ops = result;
        error = "";
        return true;
    }

    /// <summary>Reads ops from the log. They were validated when appended, so limits that shrank since do not apply.</summary>
    public static Op[] ReadLogged(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        if (!TryRead(document.RootElement, Limits.Replay, out var ops, out var error))
            throw new InvalidDataException($"logged batch is not valid: {error}");
        return ops;
    }

    private static bool TryReadOp(JsonElement json, Limits limits, out Op op, out string error)
    {
        op = null!;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = ": must be an object";
            return false;
        }
        string? kind = null, id = null;
        JsonElement? props = null;
        foreach (var member in json.EnumerateObject())
        {
            switch (member.Name)
            {
                case "op":
                    kind = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    break;
                case "id":
                    id = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    if (!ObjectSchema.IsValidId(id))
                    {
                        error = ".id: must be 1 to 64 characters of A-Z a-z 0-9 _ -";
                        return false;
                    }
                    break;
                case "props":
                    props = member.Value;
                    break;
                default:
                    error = $".{member.Name}: unknown field";
                    return false;
            }
        }
        if (id is null)
        {
            error = ".id: required";
            return false;
        }
        switch (kind)
        {
            case "delete" when props is null:
                op = new DeleteOp(id);
                error = "";
                return true;
            case "delete":
                error = ".props: not allowed on delete";
                return false;
            case "put" when props is { } p:
                if (!TryReadProps(p, limits, out var changes, out error)) return false;
                op = new PutOp(id, changes);
                return true;
            case "put":
                error = ".props: required";
                return false;
            default:
                error = ".op: must be \"put\" or \"delete\"";
                return false;
        }
    }

    /// <summary>Reads and validates one object's props; <paramref name="error"/> starts <c>.props</c> (<c>.props.fill: must be a color</c>).</summary>
    public static bool TryReadProps(JsonElement json, Limits limits, out PropChange[] changes, out string error)
    {
        changes = [];
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = ".props: must be an object";
            return false;
        }
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(json));
        reader.Read();
        var list = new List<PropChange>();
        if (!TryReadProps(ref reader, limits, list, out error)) return false;
        changes = [.. list];
        return true;
    }

    /// <summary>
    /// Reads and validates the props object <paramref name="json"/> is on into <paramref name="changes"/>, leaving
    /// <paramref name="json"/> on its closing brace; <paramref name="error"/> as the other overload's.
    /// </summary>
    public static bool TryReadProps(ref Utf8JsonReader json, Limits limits, List<PropChange> changes, out string error)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            error = ".props: must be an object";
            return false;
        }
        var first = changes.Count;
        Span<char> nameChars = stackalloc char[32];
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<char> spelled = json.ValueSpan.Length <= nameChars.Length && !json.ValueIsEscaped
                ? nameChars[..json.CopyString(nameChars)]
                : json.GetString();
            if (!ObjectSchema.PropsByName.TryGetValue(spelled, out var prop))
            {
                error = $".props.{spelled}: unknown prop";
                return false;
            }
            var (name, reader) = prop;
            for (var i = first; i < changes.Count; i++)
            {
                if (changes[i].Name == name)
                {
                    error = $".props.{name}: given twice";
                    return false;
                }
            }
            json.Read();
            if (json.TokenType == JsonTokenType.Null)
            {
                if (name == "type")
                {
                    error = ".props.type: cannot be removed";
                    return false;
                }
                changes.Add(new PropChange(name, null));
                continue;
            }
            if (!reader(ref json, limits, out var value, out var valueError))
            {
                error = $".props.{name}: {valueError}";
                return false;
            }
            changes.Add(new PropChange(name, value));
        }
        if (changes.Count == first)
        {
            error = ".props: must not be empty";
            return false;
        }
        error = "";
        return true;
    }
}
