using System.Globalization;
using System.IO.Compression;
using Xcat.Imaging.TestKit;
using System.Security.Cryptography;
using System.Text;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>
/// Emits raw ustar archives byte by byte (header fields, checksum, data, padding, two zero blocks), so that hostile
/// or broken bundles need no external tool and no library code that might refuse to write them.
/// </summary>
internal sealed class TarBuilder
{
    public const int DirectoryMode = 493; // 0755
    public const int FileMode = 420; // 0644
    private const int BlockSize = 512;
    private static readonly long s_time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds();
    private readonly MemoryStream _tar = new();

    /// <summary>Appends one member with every ustar field given.</summary>
    public TarBuilder Entry(string name, char type, byte[]? data = null, int mode = FileMode, uint uid = 0, uint gid = 0,
        string linkName = "", int deviceMajor = 0, int deviceMinor = 0, long? size = null)
    {
        data ??= [];
        var header = new byte[BlockSize];
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            throw new ArgumentException("TarBuilder writes names of at most 100 bytes.", nameof(name));
        }

        nameBytes.CopyTo(header, 0);
        Octal(header, 100, 8, mode);
        Octal(header, 108, 8, uid);
        Octal(header, 116, 8, gid);
        Octal(header, 124, 12, size ?? data.Length);
        Octal(header, 136, 12, s_time);
        header[156] = (byte)type;
        Encoding.UTF8.GetBytes(linkName).CopyTo(header, 157);
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        "root"u8.CopyTo(header.AsSpan(265));
        "root"u8.CopyTo(header.AsSpan(297));
        Octal(header, 329, 8, deviceMajor);
        Octal(header, 337, 8, deviceMinor);
        RawTar.SetChecksum(header);
        _tar.Write(header);
        _tar.Write(data);
        _tar.Write(new byte[(BlockSize - (data.Length % BlockSize)) % BlockSize]);
        return this;
    }

    public TarBuilder Directory(string name, int mode = DirectoryMode) => Entry(name.EndsWith('/') ? name : name + "/", '5', mode: mode);

    public TarBuilder File(string name, string content, int mode = FileMode, uint uid = 0, uint gid = 0)
        => Entry(name, '0', Encoding.UTF8.GetBytes(content), mode, uid, gid);

    public TarBuilder File(string name, byte[] content, int mode = FileMode) => Entry(name, '0', content, mode);

    public TarBuilder Symlink(string name, string target) => Entry(name, '2', mode: 511, linkName: target);

    public TarBuilder HardLink(string name, string target) => Entry(name, '1', linkName: target);

    public TarBuilder CharacterDevice(string name, int major, int minor) => Entry(name, '3', mode: 438, deviceMajor: major, deviceMinor: minor);

    public TarBuilder Fifo(string name) => Entry(name, '6', mode: 384);

    /// <summary>Appends a PAX extended header (type <c>x</c>) for the next member: <c>"%d key=value\n"</c> records, values as bytes.</summary>
    public TarBuilder Pax(params (string Key, byte[] Value)[] records)
    {
        var data = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetBytes(" " + key + "=").Concat(value).Append((byte)'\n').ToArray();
            var length = body.Length + 1;
            while (length.ToString(CultureInfo.InvariantCulture).Length + body.Length != length)
            {
                length++;
            }

            data.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
            data.Write(body);
        }

        return Entry("./PaxHeaders/next", 'x', data.ToArray());
    }

    /// <summary>Moves the members appended so far to <paramref name="output"/>, so that huge archives are streamed, not held.</summary>
    public void DrainTo(Stream output)
    {
        output.Write(_tar.GetBuffer(), 0, (int)_tar.Length);
        _tar.SetLength(0);
    }

    /// <summary>Writes the two zero blocks that end an archive.</summary>
    public static void WriteEnd(Stream output) => output.Write(new byte[2 * BlockSize]);

    /// <summary>Appends <c>./</c>, <c>./&lt;dir&gt;/</c> and <c>./&lt;dir&gt;/manifest.xml</c>.</summary>
    public TarBuilder Image(string directory, string manifestXml) =>
        Directory("./").Directory("./" + directory).File("./" + directory + "/manifest.xml", manifestXml);

    /// <summary>The archive: members, two zero blocks, no record padding.</summary>
    public byte[] ToTar()
    {
        var copy = new MemoryStream();
        copy.Write(_tar.GetBuffer(), 0, (int)_tar.Length);
        copy.Write(new byte[2 * BlockSize]);
        return copy.ToArray();
    }

    /// <summary>The archive without its end-of-archive blocks.</summary>
    public byte[] ToTarWithoutEnd() => _tar.ToArray();

    public byte[] ToTgz() => Gzip(ToTar());

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static string Sha256(string content) => Sha256(Encoding.UTF8.GetBytes(content));

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text.ToString(CultureInfo.InvariantCulture)).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }
}
