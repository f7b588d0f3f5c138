using System.Text;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CsCheck;

namespace CollabCanvas.Core.Tests;

/// <summary>
/// Whatever a client sends, the parser answers with messages or errors and never throws: strings that JSON allows
/// but .NET cannot hold (an escaped lone surrogate, bytes that are not UTF-8) are refused as <c>bad_json</c>, and
/// every error it makes can be written back to the client.
/// </summary>
public class HostileInputTests
{
    private static List<ClientMessage> Parse(byte[] utf8) => ClientMessages.Parse(utf8, Limits.Default);
    private static List<ClientMessage> Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Each frame holds <c>@</c> where a string goes; the tests put an unreadable string there.</summary>
    public static TheoryData<string> StringPositions() => new()
    {
        """{"type":@}""",
        """{"type":"hello","name":@}""",
        """{"type":"hello","client":@}""",
        """{"type":"hello","link":@}""",
        """{"type":"hello","ticket":@}""",
        """{"type":"auth","token":@}""",
        """{"type":"auth","ticket":@}""",
        """{"type":"ops","ref":@,"ops":[{"op":"put","id":"a","props":{"type":"rect"}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":@,"id":"a"}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":@,"props":{"type":"rect"}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":@}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"text","text":@}}]}""",
        """{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"fill":@,"name":@,"fontFamily":@,"z":@,"parentId":@}}]}""",
        """{"type":"presence","selection":[@]}""",
        """{"type":"ping","extra":{"deep":[@]}}""",
        """[{"type":"ping"},{"type":@}]""",
        """@""",
    };

    [Theory]
    [MemberData(nameof(StringPositions))]
    public void A_lone_surrogate_in_any_string_is_bad_json(string frame)
    {
        foreach (var lone in new[] { "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\uDBFF\\uDBFF\"" })
        {
            var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse(frame.Replace("@", lone))));
            Assert.Equal(ErrorCodes.BadJson, message.Code);
            Assert.Contains("lone surrogate", message.Message);
        }
    }

    [Theory]
    [MemberData(nameof(StringPositions))]
    public void A_lone_surrogate_in_a_property_name_is_bad_json(string frame)
    {
        var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse(frame.Replace("@", "{\"\\ud800\":1}"))));
        Assert.Equal(ErrorCodes.BadJson, message.Code);
    }

    [Theory]
    [MemberData(nameof(StringPositions))]
    public void Bytes_that_are_not_UTF8_in_any_string_are_bad_json(string frame)
    {
        foreach (var bad in new byte[][] { [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF] })
        {
            foreach (var escaped in new[] { false, true })
            {
                var parts = frame.Split('@');
                var bytes = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
                for (var i = 1; i < parts.Length; i++)
                {
                    bytes.Add((byte)'"');
                    if (escaped) bytes.AddRange("\\n"u8.ToArray()); // an escaped string takes the reader's other path
                    bytes.AddRange(bad);
                    bytes.Add((byte)'"');
                    bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
                }
                var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse([.. bytes])));
                Assert.Equal(ErrorCodes.BadJson, message.Code);
            }
        }
    }

    [Fact]
    public void Surrogate_pairs_written_as_escapes_or_as_UTF8_are_text_like_any_other()
    {
        var ops = Assert.IsType<OpsMessage>(Assert.Single(Parse(
            """{"type":"ops","ref":"r","ops":[{"op":"put","id":"a","props":{"type":"text","text":"\ud83d\ude00 😀","name":"\uD83C\uDFA8"}}]}""")));
        var props = ((PutOp)ops.Ops[0]).Props;
        Assert.Equal("😀 😀", props.Single(p => p.Name == "text").Value!.Value.AsString);
        Assert.Equal("🎨", props.Single(p => p.Name == "name").Value!.Value.AsString);
    }

    [Fact]
    public void An_unknown_type_quoted_in_the_error_is_never_cut_inside_a_surrogate_pair()
    {
        var type = new string('a', 31) + "😀😀";
        var message = Assert.IsType<InvalidMessage>(Assert.Single(Parse($$"""{"type":"{{type}}"}""")));
        Assert.Equal(ErrorCodes.UnknownType, message.Code);
        Assert.DoesNotContain('\ud83d', message.Message.Replace("😀", ""));
        ServerMessages.Error(message.Code, message.Message); // writable: the client gets its error
    }

    /// <summary>Valid frames, for the fuzzer to break.</summary>
    private static readonly string[] Seeds =
    [
        """{"type":"hello","since":3,"client":"c1","name":"Ann","link":"abc","ticket":"t"}""",
        """{"type":"ops","ref":"r1","ops":[{"op":"put","id":"a","props":{"type":"text","text":"hi 😀","x":1.5,"y":-2,"fill":"#fff","points":[0,0,1,1],"locked":true,"z":"V0","fontWeight":700}},{"op":"delete","id":"b"}]}""",
        """{"type":"presence","cursor":{"x":1,"y":2},"selection":["a","b"]}""",
        """[{"type":"ping"},{"type":"presence","cursor":null}]""",
    ];

    private static readonly byte[][] Splices =
    [
        "\\ud800"u8.ToArray(), "\\udfff"u8.ToArray(), [0xFF], [0xED, 0xA0, 0x80], [0xC3], "\""u8.ToArray(), "\\"u8.ToArray(),
        "1e999"u8.ToArray(), "-0"u8.ToArray(), "123456789012345678901234567890"u8.ToArray(), "null"u8.ToArray(),
        "[[[[[[[[[[[[[[[[[["u8.ToArray(), "{}"u8.ToArray(), "[]"u8.ToArray(), "true"u8.ToArray(), "\\u0000"u8.ToArray(),
        "😀"u8.ToArray(), [0], "NaN"u8.ToArray(),
    ];

    /// <summary>A seed with bytes replaced, inserted or removed, or with a hostile splice at a random place.</summary>
    private static readonly Gen<byte[]> GenFrame =
        Gen.Select(Gen.OneOfConst(Seeds), Gen.Int[0, 4].Array[1, 6], Gen.Int[0, 1000].Array[6], Gen.Byte.Array[6],
            Gen.OneOfConst(Splices).Array[6], (seed, kinds, places, bytes, splices) =>
        {
            var frame = new List<byte>(Encoding.UTF8.GetBytes(seed));
            for (var i = 0; i < kinds.Length; i++)
            {
                var at = places[i] % (frame.Count + 1);
                switch (kinds[i])
                {
                    case 0 when at < frame.Count: frame[at] = bytes[i]; break;
                    case 1: frame.Insert(at, bytes[i]); break;
                    case 2 when at < frame.Count: frame.RemoveAt(at); break;
                    default: frame.InsertRange(at, splices[i]); break;
                }
            }
            return frame.ToArray();
        });

    [Fact]
    public void Mangled_frames_never_throw_and_every_error_can_be_written_back()
    {
        GenFrame.Sample(frame =>
        {
            foreach (var message in Parse(frame))
                if (message is InvalidMessage invalid)
                    ServerMessages.Error(invalid.Code, invalid.Message, invalid.Ref);
        }, iter: 20_000);
    }
}
