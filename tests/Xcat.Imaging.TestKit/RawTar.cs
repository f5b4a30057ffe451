using System.Globalization;
using System.Text;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Emits tar archives byte by byte, PAX extended headers included, so that hostile archives (numbers that overflow,
/// records whose lengths lie, names with control characters) need no tool or library code that might refuse them.
/// </summary>
public sealed class RawTar
{
    public const int BlockSize = 512;
    public static readonly long Time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds();
    private readonly MemoryStream _tar = new();

    /// <summary>One PAX record, <c>"%d %s=%s\n"</c>, with its correct length.</summary>
    public static byte[] Record(string keyword, string value) => Record(keyword, Encoding.UTF8.GetBytes(value));

    /// <summary>One PAX record with a binary value.</summary>
    public static byte[] Record(string keyword, byte[] value)
    {
        var body = (byte[])[.. Encoding.UTF8.GetBytes(" " + keyword + "="), .. value, (byte)'\n'];
        var length = body.Length + 1;
        while ((length.ToString(CultureInfo.InvariantCulture).Length + body.Length) != length)
        {
            length++;
        }

        return [.. Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)), .. body];
    }

    /// <summary>A PAX extended header (type x) with the given records, as raw bytes, for the member that follows.</summary>
    public RawTar Pax(params byte[][] records) => Entry("./PaxHeaders/x", 'x', [.. records.SelectMany(static r => r)]);

    /// <summary>A member; <paramref name="patch"/> may change the header block before its checksum is computed.</summary>
    public RawTar Entry(string name, char type, byte[]? data = null, int mode = 420, long uid = 0, long gid = 0, string linkName = "",
        int deviceMajor = 0, int deviceMinor = 0, long? size = null, Action<byte[]>? patch = null, bool fixChecksum = true)
    {
        data ??= [];
        var header = new byte[BlockSize];
        var nameBytes = Encoding.UTF8.GetBytes(name);
        nameBytes.AsSpan(0, Math.Min(100, nameBytes.Length)).CopyTo(header);
        Octal(header, 100, 8, mode);
        Octal(header, 108, 8, uid);
        Octal(header, 116, 8, gid);
        Octal(header, 124, 12, size ?? data.Length);
        Octal(header, 136, 12, Time);
        header[156] = (byte)type;
        var link = Encoding.UTF8.GetBytes(linkName);
        link.AsSpan(0, Math.Min(100, link.Length)).CopyTo(header.AsSpan(157));
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        "root"u8.CopyTo(header.AsSpan(265));
        "root"u8.CopyTo(header.AsSpan(297));
        Octal(header, 329, 8, deviceMajor);
        Octal(header, 337, 8, deviceMinor);
        patch?.Invoke(header);
        if (fixChecksum)
        {
            SetChecksum(header);
        }

        _tar.Write(header);
        _tar.Write(data);
        _tar.Write(new byte[(BlockSize - (data.Length % BlockSize)) % BlockSize]);
        return this;
    }

    public RawTar Directory(string name, int mode = 493) => Entry(name.EndsWith('/') ? name : name + "/", '5', mode: mode);

    public RawTar File(string name, string content, int mode = 420) => Entry(name, '0', Encoding.UTF8.GetBytes(content), mode);

    public RawTar Symlink(string name, string target) => Entry(name, '2', mode: 511, linkName: target);

    public RawTar HardLink(string name, string target) => Entry(name, '1', linkName: target);

    /// <summary>The archive: members and two zero blocks.</summary>
    public byte[] ToArray() => [.. _tar.ToArray(), .. new byte[2 * BlockSize]];

    /// <summary>Writes the checksum of a 512-byte tar header as GNU tar does: six octal digits, NUL, space.</summary>
    public static void SetChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var b in header[..BlockSize])
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }

    /// <summary>Writes <paramref name="value"/> into a numeric field as octal digits and a NUL.</summary>
    public static void Octal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }

    /// <summary>Writes raw text (junk, overflowing digits) into a field, padded with NULs.</summary>
    public static void Field(byte[] header, int offset, int length, string text)
    {
        header.AsSpan(offset, length).Clear();
        Encoding.Latin1.GetBytes(text.Length > length ? text[..length] : text).CopyTo(header, offset);
    }
}
