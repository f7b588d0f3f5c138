using System.Text.Json;

namespace CollabCanvas.Core.Model;

public enum PropKind : byte { Number, String, Bool, Points }

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

    public double AsNumber => _number;
    public string AsString => (string)_ref!;
    public bool AsBool => _number != 0;
    public ReadOnlySpan<double> AsPoints => (double[])_ref!;

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
        }
    }

    public bool Equals(PropValue other) => Kind == other.Kind && Kind switch
    {
        PropKind.String => (string)_ref! == (string)other._ref!,
        PropKind.Points => AsPoints.SequenceEqual(other.AsPoints),
        _ => _number.Equals(other._number),
    };

    public override bool Equals(object? obj) => obj is PropValue other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, _number, _ref is string s ? s.GetHashCode() : 0);
    public override string ToString() => Kind switch
    {
        PropKind.String => AsString,
        PropKind.Points => $"[{string.Join(',', ((double[])_ref!))}]",
        PropKind.Bool => AsBool ? "true" : "false",
        _ => _number.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
