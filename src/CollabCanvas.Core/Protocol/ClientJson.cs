using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace CollabCanvas.Core.Protocol;

/// <summary>
/// Opens JSON that a client sent. <see cref="JsonDocument"/> accepts strings that it cannot turn into .NET strings
/// afterwards (an escaped lone surrogate such as <c>"\ud800"</c>, or bytes that are not UTF-8), and then every
/// <c>GetString</c>, every property name and even <c>TryGetProperty</c> on the object that holds one throws. So a
/// client's document is only handed out once each of its strings and property names has been proven readable.
/// </summary>
public static class ClientJson
{
    public const int MaxDepth = 16;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>The document, or null and why it is refused (the text of a <c>bad_json</c> error).</summary>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8, out string error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            error = $"not valid JSON: {e.Message}";
            return null;
        }
        if (UnreadableString(utf8.Span) is { } at)
        {
            document.Dispose();
            error = $"not valid JSON: the string at byte {at} is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8)";
            return null;
        }
        error = "";
        return document;
    }

    /// <summary>Where the first string that cannot be read starts, or null when every string can be. The JSON is well-formed.</summary>
    private static long? UnreadableString(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        char[]? scratch = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                if (!reader.ValueIsEscaped)
                {
                    if (!Utf8.IsValid(reader.ValueSpan)) return reader.TokenStartIndex;
                    continue;
                }
                // Escapes: let the reader itself decide, so that exactly what it cannot read later is refused here.
                if (scratch is null || scratch.Length < reader.ValueSpan.Length)
                {
                    if (scratch is not null) ArrayPool<char>.Shared.Return(scratch);
                    scratch = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
                }
                try
                {
                    reader.CopyString(scratch);
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
            return null;
        }
        finally
        {
            if (scratch is not null) ArrayPool<char>.Shared.Return(scratch);
        }
    }
}
