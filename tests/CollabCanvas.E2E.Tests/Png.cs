using System.Buffers.Binary;
using System.IO.Compression;

namespace CollabCanvas.E2E.Tests;

/// <summary>One pixel's colour, 0 to 255 per channel.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A)
{
    public static Rgba Parse(string hex) => new(
        Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16), 255);

    /// <summary>Relative luminance as WCAG 2 defines it (sRGB, alpha ignored).</summary>
    public double Luminance
    {
        get
        {
            static double Linear(byte c) => c / 255.0 <= 0.04045 ? c / 255.0 / 12.92 : Math.Pow((c / 255.0 + 0.055) / 1.055, 2.4);
            return 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);
        }
    }

    /// <summary>The WCAG contrast ratio of two colours, 1 to 21.</summary>
    public static double Contrast(Rgba a, Rgba b) =>
        (Math.Max(a.Luminance, b.Luminance) + 0.05) / (Math.Min(a.Luminance, b.Luminance) + 0.05);

    /// <summary>The largest difference of one colour channel.</summary>
    public int DistanceTo(Rgba other) => Math.Max(Math.Abs(R - other.R), Math.Max(Math.Abs(G - other.G), Math.Abs(B - other.B)));

    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}{(A == 255 ? "" : $"{A:x2}")}";
}

/// <summary>
/// A PNG decoder for what browsers write (8-bit RGB or RGBA, not interlaced): enough to read the pixels of an
/// exported image or a screenshot without an imaging package.
/// </summary>
public sealed class Png
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _pixels; // RGBA, rows top to bottom

    private Png(int width, int height, byte[] pixels) => (Width, Height, _pixels) = (width, height, pixels);

    public Rgba this[int x, int y]
    {
        get
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height) throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside {Width} × {Height}");
            var i = (y * Width + x) * 4;
            return new Rgba(_pixels[i], _pixels[i + 1], _pixels[i + 2], _pixels[i + 3]);
        }
    }

    /// <summary>The pixels of a rectangle (clipped to the image).</summary>
    public IEnumerable<Rgba> Region(int x, int y, int width, int height)
    {
        for (var row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
            for (var column = Math.Max(0, x); column < Math.Min(Width, x + width); column++)
                yield return this[column, row];
    }

    public static Png Decode(byte[] file)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, colorType, interlace) = (data[8], data[9], data[12]);
                if (depth != 8 || colorType is not (2 or 6) || interlace != 0)
                    throw new NotSupportedException($"PNG of bit depth {depth}, colour type {colorType}, interlace {interlace}");
                channels = colorType == 6 ? 4 : 3;
            }
            else if (type == "IDAT") compressed.Write(data);
            at += 12 + length;
        }
        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        zlib.ReadExactly(raw);
        var pixels = new byte[width * height * 4];
        var previous = new byte[stride];
        var row = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(row);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                row[i] += filter switch
                {
                    0 => 0,
                    1 => (byte)left,
                    2 => (byte)up,
                    3 => (byte)((left + up) / 2),
                    4 => (byte)Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
            }
            for (var x = 0; x < width; x++)
            {
                var o = (y * width + x) * 4;
                pixels[o] = row[x * channels];
                pixels[o + 1] = row[x * channels + 1];
                pixels[o + 2] = row[x * channels + 2];
                pixels[o + 3] = channels == 4 ? row[x * channels + 3] : (byte)255;
            }
            (previous, row) = (row, previous);
        }
        return new Png(width, height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
