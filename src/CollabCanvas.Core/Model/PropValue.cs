using System.Text.Json;

namespace CollabCanvas.Core.Model;

public enum PropKind : byte { Number, String, Bool, Points, Binding }

/// <summary>An immutable, already validated property value.</summary>
public readonly struct PropValue : IEquatable<PropValue>
{
    private readonly object? _ref;
    private readonly double _number;

    public PropKind Kind { get; }

    private PropValue(PropKind kind, object? reference, double number)
    {
        Kind = kind;
        _ref = reference;
        _number = number;
    }

    public static PropValue Number(double value) => new(PropKind.Number, null, value);
    public static PropValue String(string value) => new(PropKind.String, value, 0);
    public static PropValue Bool(bool value) => new(PropKind.Bool, null, value ? 1 : 0);
    /// <summary>The array is owned by the value from here on and never mutated.</summary>
    public static PropValue Points(double[] value) => new(PropKind.Points, value, 0);
    public static PropValue Binding(Model.Binding value) => new(PropKind.Binding, value, 0);

    public double AsNumber => _number;
    public string AsString => (string)_ref!;
    public bool AsBool => _number != 0;
    public ReadOnlySpan<double> AsPoints => (double[])_ref!;
    public Model.Binding AsBinding => (Model.Binding)_ref!;

    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case PropKind.Number: writer.WriteNumberValue(_number); break;
            case PropKind.String: writer.WriteStringValue((string)_ref!); break;
            case PropKind.Bool: writer.WriteBooleanValue(_number != 0); break;
            case PropKind.Points:
                writer.WriteStartArray();
                foreach (var p in (double[])_ref!) writer.WriteNumberValue(p);
                writer.WriteEndArray();
                break;
            case PropKind.Binding:
                var binding = (Model.Binding)_ref!;
                writer.WriteStartObject();
                writer.WriteString("id"u8, binding.Id);
                writer.WriteNumber("x"u8, binding.X);
                writer.WriteNumber("y"u8, binding.Y);
                writer.WriteEndObject();
                break;
        }
    }

    public bool Equals(PropValue other) => Kind == other.Kind && Kind switch
    {
        PropKind.String => (string)_ref! == (string)other._ref!,
        PropKind.Points => AsPoints.SequenceEqual(other.AsPoints),
        PropKind.Binding => AsBinding == other.AsBinding,
        _ => _number.Equals(other._number),
    };

    public override bool Equals(object? obj) => obj is PropValue other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, _number, _ref is string or Model.Binding ? _ref.GetHashCode() : 0);
    public override string ToString() => Kind switch
    {
        PropKind.String => AsString,
        PropKind.Points => $"[{string.Join(',', ((double[])_ref!))}]",
        PropKind.Bool => AsBool ? "true" : "false",
        PropKind.Binding => AsBinding.ToString(),
        _ => _number.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Where a connector's end is held: the object <paramref name="Id"/> and a point of that object's own box, as fractions
/// of its width (<paramref name="X"/>) and height (<paramref name="Y"/>), so that a move, a resize or a turn of the
/// object carries the end with it (<see cref="Connectors"/>).
/// </summary>
public sealed record Binding(string Id, double X, double Y);
