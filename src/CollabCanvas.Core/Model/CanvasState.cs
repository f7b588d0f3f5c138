using System.Runtime.InteropServices;
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
                case PutOp put: ApplyPut(put.Id, put.Props); break;
                case DeleteOp delete: Delete(delete.Id); break;
            }
        }
    }

    /// <summary>
    /// How many objects the canvas would hold after these ops, at most; used to enforce the per-canvas object limit. A
    /// batch that deletes as it creates (a restore of a version, a replacement) counts its deletions: the limit is on
    /// the canvas after the batch, which applies as one. Children that a frame's deletion takes along are not counted
    /// (the figure is then too high, never too low, unless the batch brings such a child back).
    /// </summary>
    public int CountAfter(IReadOnlyList<Op> ops)
    {
        var count = _objects.Count;
        Dictionary<string, bool>? present = null; // objects the batch created or deleted so far (none kept for the last op)
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            var exists = present is not null && present.TryGetValue(op.Id, out var known) ? known : _objects.ContainsKey(op.Id);
            var change = op switch
            {
                DeleteOp when exists => -1,
                PutOp put when !exists && put.Props.Any(p => p.Name == "type") => 1,
                _ => 0,
            };
            if (change == 0) continue;
            count += change;
            if (i < ops.Count - 1) (present ??= new Dictionary<string, bool>(StringComparer.Ordinal))[op.Id] = change > 0;
        }
        return count;
    }

    /// <summary>
    /// Applies one put. <paramref name="parentsLater"/> is for reading a snapshot, where an object may come before its
    /// frame: a <c>parentId</c> is noted there, to be linked once every object exists, instead of being set now.
    /// </summary>
    private void ApplyPut(string id, IReadOnlyList<PropChange> props, List<(string Id, string Parent)>? parentsLater = null)
    {
        if (!_objects.TryGetValue(id, out var obj))
        {
            PropValue? type = null;
            foreach (var change in props)
                if (change.Name == "type") type = change.Value;
            if (type is not { } t) return;
            obj = new CanvasObject(t.AsString, props.Count);
            _objects.Add(id, obj);
        }
        foreach (var change in props)
        {
            switch (change.Name)
            {
                case "type":
                    break; // a type is fixed at creation
                case "parentId" when parentsLater is not null:
                    if (change.Value is { } later) parentsLater.Add((id, later.AsString));
                    break;
                case "parentId":
                    SetParent(id, obj, change.Value is { } p ? p.AsString : null);
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

    /// <summary>
    /// An independent copy, equal to this state: objects and child sets are copied, prop values shared (a
    /// <see cref="PropValue"/> is never changed in place). A restore diffs against a copy of a room's state of 10,000
    /// objects; writing it out and reading it back cost several times as much.
    /// </summary>
    public CanvasState Clone()
    {
        var copy = new CanvasState();
        copy._objects.EnsureCapacity(_objects.Count);
        foreach (var (id, obj) in _objects)
        {
            var clone = new CanvasObject(obj.Type, obj.Props.Count) { ParentId = obj.ParentId };
            foreach (var (name, value) in obj.Props) clone.Props.Add(name, value);
            copy._objects.Add(id, clone);
        }
        foreach (var (parent, children) in _children) copy._children.Add(parent, new HashSet<string>(children, StringComparer.Ordinal));
        return copy;
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

    /// <summary>
    /// Reads what <see cref="WriteObjects"/> wrote (a snapshot), validating every prop as the log's replay does. One pass of
    /// a <see cref="Utf8JsonReader"/> straight into the objects, with no document tree and nothing per object but the
    /// object itself: a room loading a canvas of 10,000 objects does this on a join's path (docs/benchmarks.md, "join").
    /// Parents are linked after every object exists.
    /// </summary>
    public static CanvasState Read(JsonElement objects) => Read(JsonMarshal.GetRawUtf8Value(objects));

    /// <inheritdoc cref="Read(JsonElement)"/>
    public static CanvasState Read(ReadOnlySpan<byte> utf8)
    {
        var state = new CanvasState();
        var parents = new List<(string Id, string Parent)>();
        var props = new List<PropChange>(8);
        var json = new Utf8JsonReader(utf8);
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject) throw new InvalidDataException("snapshot: must be an object");
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var id = json.GetString()!;
            json.Read();
            props.Clear();
            if (!OpJson.TryReadProps(ref json, Limits.Replay, props, out var error))
                throw new InvalidDataException($"snapshot object {id}{error}");
            state.ApplyPut(id, props, parents);
        }
        foreach (var (id, parent) in parents) state.SetParent(id, state._objects[id], parent);
        return state;
    }
}

public sealed class CanvasObject(string type, int capacity = 0)
{
    public string Type { get; } = type;
    public string? ParentId { get; internal set; }
    /// <summary>Every prop but <c>type</c> and <c>parentId</c>.</summary>
    internal Dictionary<string, PropValue> Props { get; } = new(capacity, StringComparer.Ordinal);

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
