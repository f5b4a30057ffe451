using System.Buffers;
using System.Globalization;
using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tar;

/// <summary>
/// Writes POSIX ustar headers with PAX extended headers, byte for byte as GNU tar lays them out. It exists because
/// System.Formats.Tar stores PAX values as UTF-8 strings, which cannot carry binary xattrs such as
/// <c>security.capability</c>; GNU tar writes <c>SCHILY.xattr.*</c> values as raw bytes, and so do we.
/// </summary>
internal static class PaxHeaderWriter
{
    public const int BlockSize = 512;
    public const int RecordSize = 20 * BlockSize;

    private const long MaxOctal7 = 2097151;            // 8 bytes: 7 octal digits + NUL
    private const long MaxOctal11 = 8589934591;        // 12 bytes: 11 octal digits + NUL

    /// <summary>Builds the header blocks (an optional 'x' block with its records, then the ustar block).</summary>
    public static byte[] Build(TarHeaderFields fields)
    {
        var pax = new List<(string Key, byte[] Value)>();
        var nameBytes = UnixNameEncoding.GetBytes(fields.Name);
        var (prefix, name) = SplitName(nameBytes);
        if (name is null)
        {
            pax.Add(("path", nameBytes));
            name = nameBytes[..Math.Min(nameBytes.Length, 100)];
            prefix = [];
        }

        var linkBytes = UnixNameEncoding.GetBytes(fields.LinkName ?? string.Empty);
        if (linkBytes.Length > 100)
        {
            pax.Add(("linkpath", linkBytes));
            linkBytes = linkBytes[..100];
        }

        // A path record that is not UTF-8 says so, as libarchive writes it (POSIX.1-2008 pax, hdrcharset).
        if (pax.Any(static record => record.Key is "path" or "linkpath" && !System.Text.Unicode.Utf8.IsValid(record.Value)))
        {
            pax.Insert(0, ("hdrcharset", "BINARY"u8.ToArray()));
        }

        if (fields.Size > MaxOctal11)
        {
            pax.Add(("size", Ascii(fields.Size)));
        }

        if (fields.Uid > MaxOctal7)
        {
            pax.Add(("uid", Ascii(fields.Uid)));
        }

        if (fields.Gid > MaxOctal7)
        {
            pax.Add(("gid", Ascii(fields.Gid)));
        }

        var mtime = fields.ModificationTime.ToUnixTimeSeconds();
        if (mtime is < 0 or > MaxOctal11)
        {
            pax.Add(("mtime", Ascii(mtime)));
        }

        foreach (var (attribute, value) in fields.ExtendedAttributes.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            pax.Add(("SCHILY.xattr." + attribute, value));
        }

        var output = new List<byte>(BlockSize * 3);
        if (pax.Count > 0)
        {
            var records = Records(pax);
            var paxName = PaxHeaderName(fields.Name);
            var paxHeader = Ustar(paxName.Length > 100 ? paxName[..100] : paxName, [], (byte)'x', [], records.Length,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, 0, 0, Math.Clamp(mtime, 0, MaxOctal11), 0, 0, string.Empty, string.Empty);
            output.AddRange(paxHeader);
            output.AddRange(records);
            output.AddRange(new byte[Padding(records.Length)]);
        }

        output.AddRange(Ustar(name, prefix, fields.TypeFlag, linkBytes, Math.Min(fields.Size, MaxOctal11), fields.Mode,
            Math.Min(fields.Uid, MaxOctal7), Math.Min(fields.Gid, MaxOctal7), Math.Clamp(mtime, 0, MaxOctal11),
            fields.DeviceMajor, fields.DeviceMinor, fields.UserName, fields.GroupName));
        return [.. output];
    }

    public static int Padding(long length) => (int)((BlockSize - (length % BlockSize)) % BlockSize);

    // "%d %s=%s\n" where %d counts the whole record, itself included.
    private static byte[] Records(List<(string Key, byte[] Value)> pax)
    {
        var buffer = new List<byte>();
        foreach (var (key, value) in pax)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var body = keyBytes.Length + value.Length + 3; // ' ', '=', '\n'
            var length = body + 1;
            while (length != body + length.ToString(CultureInfo.InvariantCulture).Length)
            {
                length = body + length.ToString(CultureInfo.InvariantCulture).Length;
            }

            buffer.AddRange(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " "));
            buffer.AddRange(keyBytes);
            buffer.Add((byte)'=');
            buffer.AddRange(value);
            buffer.Add((byte)'\n');
        }

        return [.. buffer];
    }

    // GNU tar's default: <dir>/PaxHeaders/<base>.
    private static byte[] PaxHeaderName(string name)
    {
        var trimmed = name.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var dir = slash < 0 ? "." : trimmed[..slash];
        var baseName = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        return UnixNameEncoding.GetBytes($"{dir}/PaxHeaders/{baseName}");
    }

    private static (byte[] Prefix, byte[]? Name) SplitName(byte[] name)
    {
        if (name.Length <= 100)
        {
            return ([], name);
        }

        // ustar: prefix (up to 155 bytes) '/' name (up to 100 bytes), split at a slash.
        for (var i = Math.Min(name.Length - 1, 155); i > 0; i--)
        {
            if (name[i] == '/' && name.Length - i - 1 <= 100 && name.Length - i - 1 > 0)
            {
                return (name[..i], name[(i + 1)..]);
            }
        }

        return ([], null);
    }

    private static byte[] Ustar(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, byte typeFlag, ReadOnlySpan<byte> linkName, long size,
        UnixFileMode mode, long uid, long gid, long mtime, uint devMajor, uint devMinor, string userName, string groupName)
    {
        var block = new byte[BlockSize];
        name.CopyTo(block);
        Octal(block.AsSpan(100, 8), (long)mode & 0xFFF);
        Octal(block.AsSpan(108, 8), uid);
        Octal(block.AsSpan(116, 8), gid);
        Octal(block.AsSpan(124, 12), size);
        Octal(block.AsSpan(136, 12), mtime);
        block[156] = typeFlag;
        linkName.CopyTo(block.AsSpan(157, 100));
        TarMagic.Posix.CopyTo(block.AsSpan(TarMagic.Offset));
        "00"u8.CopyTo(block.AsSpan(263));
        Encoding.UTF8.GetBytes(Truncate(userName, 31)).CopyTo(block.AsSpan(265, 32));
        Encoding.UTF8.GetBytes(Truncate(groupName, 31)).CopyTo(block.AsSpan(297, 32));
        if (typeFlag is (byte)'3' or (byte)'4')
        {
            Octal(block.AsSpan(329, 8), devMajor);
            Octal(block.AsSpan(337, 8), devMinor);
        }

        prefix.CopyTo(block.AsSpan(345, 155));

        // The checksum is computed with its own field as spaces, then written as 6 digits, NUL, space.
        "        "u8.CopyTo(block.AsSpan(148, 8));
        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0')).CopyTo(block.AsSpan(148, 6));
        block[154] = 0;
        block[155] = (byte)' ';
        return block;
    }

    private static void Octal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(field);
        field[^1] = 0;
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>The fields of one tar member header.</summary>
internal sealed record TarHeaderFields(string Name, byte TypeFlag)
{
    public string? LinkName { get; init; }

    public long Size { get; init; }

    public UnixFileMode Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    public DateTimeOffset ModificationTime { get; init; } = DateTimeOffset.UnixEpoch;

    public uint DeviceMajor { get; init; }

    public uint DeviceMinor { get; init; }

    public string UserName { get; init; } = string.Empty;

    public string GroupName { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, byte[]> ExtendedAttributes { get; init; } = new Dictionary<string, byte[]>();
}
