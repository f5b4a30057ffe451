using System.Buffers.Binary;
using System.Globalization;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>A SHA-256 digest as four words, so that a per-member table holds no array or string per member.</summary>
internal readonly record struct Sha256Value(ulong A, ulong B, ulong C, ulong D)
{
    public static Sha256Value From(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64BigEndian(digest),
        BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[24..]));

    /// <summary>Parses 64 hexadecimal digits of either case; false otherwise.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, out Sha256Value value)
    {
        value = default;
        if (hex.Length != 64)
        {
            return false;
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var i = 0; i < 4; i++)
        {
            if (!ulong.TryParse(hex.Slice(i * 16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i]))
            {
                return false;
            }
        }

        value = new Sha256Value(words[0], words[1], words[2], words[3]);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{A:x16}{B:x16}{C:x16}{D:x16}");
}
