using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

public sealed class UnixNameEncodingTests
{
    public static TheoryData<byte[]> Names => new()
    {
        Encoding.UTF8.GetBytes("plain"),
        Encoding.UTF8.GetBytes("ünïcødé-文件-🚀"),
        new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xe9 },
        new byte[] { 0xff, 0xfe, 0x80 },
        new byte[] { 0xed, 0xb2, 0x80 },          // the UTF-8 form of U+DC80 is itself invalid and stays three bytes
        new byte[] { 0xc0, 0xaf },
        new byte[] { 0xe2, 0x82 },
        new byte[] { 0xf0, 0x9f, 0x9a },          // a four-byte sequence cut short
        new byte[] { 0xf4, 0x90, 0x80, 0x80 },    // above U+10FFFF
        new byte[] { 0x61, 0xe9, 0xe2, 0x82, 0xac, 0xe9 }, // valid € between invalid bytes
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Bytes_RoundTripExactly(byte[] bytes)
    {
        var name = UnixNameEncoding.GetString(bytes);

        UnixNameEncoding.GetBytes(name).Should().Equal(bytes);
        UnixNameEncoding.GetByteCount(name).Should().Be(bytes.Length);
        var buffer = new byte[bytes.Length + 3];
        UnixNameEncoding.GetBytes(name, buffer).Should().Be(bytes.Length);
        buffer[..bytes.Length].Should().Equal(bytes);
        UnixNameEncoding.HasEscapes(name).Should().Be(!System.Text.Unicode.Utf8.IsValid(bytes));
    }

    [Fact]
    public void EveryTwoByteSequence_RoundTrips_AndDistinctBytesGiveDistinctNames()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var a = 0; a < 256; a++)
        {
            for (var b = 0; b < 256; b++)
            {
                byte[] bytes = [(byte)a, (byte)b];
                var name = UnixNameEncoding.GetString(bytes);
                UnixNameEncoding.GetBytes(name).Should().Equal(bytes);
                seen.Add(name).Should().BeTrue();
            }
        }
    }

    [Fact]
    public void ValidUtf8_DecodesAsUtf8Does()
    {
        var bytes = Encoding.UTF8.GetBytes("usr/share/ünïcødé-文件-🚀.txt");

        UnixNameEncoding.GetString(bytes).Should().Be(Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void InvalidBytes_BecomeLoneSurrogates()
    {
        UnixNameEncoding.GetString([(byte)'c', (byte)'a', (byte)'f', 0xe9]).Should().Be("caf\uDCE9");
        UnixNameEncoding.GetString([0xe2, 0x82]).Should().Be("\uDCE2\uDC82");
    }

    [Fact]
    public void LoneSurrogateThatIsNoEscapedByte_IsRefused()
    {
        // Built in code: test-case serialization would turn a lone surrogate into U+FFFD.
        foreach (var name in new[] { "bad" + (char)0xD800, "bad" + (char)0xDC10, (char)0xDBFF + "end" })
        {
            var act = () => UnixNameEncoding.GetBytes(name);

            act.Should().Throw<ArgumentException>().WithMessage("*lone UTF-16 surrogate*");
            ((Action)(() => UnixNameEncoding.GetByteCount(name))).Should().Throw<ArgumentException>();
        }
    }

    [Fact]
    public void SurrogatePairWhoseLowHalfLooksLikeAnEscape_IsACharacter()
    {
        const string name = "\U0001F0A1"; // D83C DCA1: the low half is in U+DC80..U+DCFF

        UnixNameEncoding.HasEscapes(name).Should().BeFalse();
        UnixNameEncoding.GetBytes(name).Should().Equal(Encoding.UTF8.GetBytes(name));
        DisplayText.Escape(name).Should().Be(name);
        DisplayText.HasNoControlCharacters(name).Should().BeTrue();
    }

    [Fact]
    public void DisplayText_ShowsAnEscapedByteAsGnuTarDoes()
    {
        var name = UnixNameEncoding.GetString([(byte)'c', (byte)'a', (byte)'f', 0xe9, (byte)'\n']);

        DisplayText.Escape(name).Should().Be(@"caf\351\n");
        DisplayText.HasNoControlCharacters(name).Should().BeFalse();
    }
}
