using System.Text.Json;

namespace CollabCanvas.Core.Model;

/// <summary>
/// A canvas replica: <c>objectId -> props</c>. <see cref="Apply"/> is total and deterministic, so every replica
/// that applies the same log in the same order reaches the same state. Invariants kept after every op:
/// every object has a type, every <c>parentId</c> names an existing frame, and parent links form no cycle.
/// </summary>
public sealed class CanvasState
{
    private readonly Dictionary<string, CanvasObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _children = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    public IReadOnlyDictionary<string, CanvasObject> Objects => _objects;

    public void Apply(IReadOnlyList<Op> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case PutOp put: ApplyPut(put); break;
                case DeleteOp delete: Delete(delete.Id); break;
            }
        }
    }

    /// <summary>How many objects these ops would create at most; used to enforce the per-canvas object limit.</summary>
    public int CountCreates(IReadOnlyList<Op> ops)
    {
        var creates = 0;
        foreach (var op in ops)
            if (op is PutOp put && !_objects.ContainsKey(put.Id) && put.Props.Any(p => p.Name == "type"))
                creates++;
        return creates;
    }

    private void ApplyPut(PutOp put)
    {
        if (!_objects.TryGetValue(put.Id, out var obj))
        {
            PropValue? type = null;
            foreach (var change in put.Props)
                if (change.Name == "type") type = change.Value;
            if (type is not { } t) return;
            obj = new CanvasObject(t.AsString);
            _objects.Add(put.Id, obj);
        }
        foreach (var change in put.Props)
        {
            switch (change.Name)
            {
                case "type":
                    break; // a type is fixed at creation
                case "parentId":
                    SetParent(put.Id, obj, change.Value is { } p ? p.AsString : null);
                    break;
                default:
                    if (change.Value is { } value) obj.Props[change.Name] = value;
                    else obj.Props.Remove(change.Name);
                    break;
            }
        }
    }

    private void SetParent(string id, CanvasObject obj, string? parentId)
    {
        if (parentId == obj.ParentId) return;
        if (parentId is not null)
        {
            if (!_objects.TryGetValue(parentId, out var parent) || parent.Type != ObjectSchema.ContainerType) return;
            for (var ancestor = parentId; ancestor is not null; ancestor = _objects[ancestor].ParentId)
                if (ancestor == id) return; // would make a cycle
        }
        if (obj.ParentId is { } old) _children[old].Remove(id);
        obj.ParentId = parentId;
        if (parentId is not null)
        {
            if (!_children.TryGetValue(parentId, out var siblings)) _children[parentId] = siblings = new(StringComparer.Ordinal);
            siblings.Add(id);
        }
    }

    private void Delete(string id)
    {
        if (!_objects.Remove(id, out var obj)) return;
        if (obj.ParentId is { } parent) _children[parent].Remove(id);
        if (!_children.Remove(id, out var children)) return;
        foreach (var child in children)
        {
            // Detach first so the recursive call does not touch the set being enumerated.
            _objects[child].ParentId = null;
            Delete(child);
        }
    }

    /// <summary>Writes <c>{ id: { type, ...props } }</c>, ids and props in ordinal order, so equal states write equal bytes.</summary>
    public void WriteObjects(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (id, obj) in _objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(id);
            obj.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    public byte[] ObjectsToUtf8()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) WriteObjects(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads what <see cref="WriteObjects"/> wrote (a snapshot). Parents are linked after every object exists.</summary>
    public static CanvasState Read(JsonElement objects)
    {
        var state = new CanvasState();
        var parents = new List<(string Id, string Parent)>();
        foreach (var entry in objects.EnumerateObject())
        {
            if (!OpJson.TryReadProps(entry.Value, Limits.Replay, out var props, out var error))
                throw new InvalidDataException($"snapshot object {entry.Name}{error}");
            var put = new PutOp(entry.Name, props);
            state.ApplyPut(put with { Props = put.Props.Where(p => p.Name != "parentId").ToArray() });
            if (put.Props.FirstOrDefault(p => p.Name == "parentId").Value is { } parent) parents.Add((put.Id, parent.AsString));
        }
        foreach (var (id, parent) in parents) state.SetParent(id, state._objects[id], parent);
        return state;
    }
}

public sealed class CanvasObject(string type)
{
    public string Type { get; } = type;
    public string? ParentId { get; internal set; }
    /// <summary>Every prop but <c>type</c> and <c>parentId</c>.</summary>
    internal Dictionary<string, PropValue> Props { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, PropValue> Properties => Props;

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        var names = Props.Keys.Append("type");
        if (ParentId is not null) names = names.Append("parentId");
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            switch (name)
            {
                case "type": writer.WriteStringValue(Type); break;
                case "parentId": writer.WriteStringValue(ParentId); break;
                default: Props[name].WriteTo(writer); break;
            }
        }
        writer.WriteEndObject();
    }
}
