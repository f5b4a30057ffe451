using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Xcat.Imaging.Bundles.Tests.Bundles;

/// <summary>Emits a raw newc cpio archive (a statelite <c>rootimgtree.gz</c>) field by field, as <see cref="TarBuilder"/> does tar.</summary>
internal sealed class NewcBuilder
{
    private readonly MemoryStream _archive = new();
    private int _inode = 1;

    public NewcBuilder Directory(string name) => Entry(name, 0x41ED, []);

    public NewcBuilder File(string name, string content) => Entry(name, 0x81A4, Encoding.UTF8.GetBytes(content));

    public NewcBuilder Symlink(string name, string target) => Entry(name, 0xA1FF, Encoding.UTF8.GetBytes(target));

    public byte[] ToArchive()
    {
        Entry("TRAILER!!!", 0, [], inode: 0);
        return _archive.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private NewcBuilder Entry(string name, int mode, byte[] data, int? inode = null)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var fields = new long[] { inode ?? _inode++, mode, 0, 0, 1, 1_704_164_645, data.Length, 0, 0, 0, 0, nameBytes.Length + 1, 0 };
        var header = "070701" + string.Concat(fields.Select(static f => f.ToString("X8", CultureInfo.InvariantCulture)));
        _archive.Write(Encoding.ASCII.GetBytes(header));
        _archive.Write(nameBytes);
        _archive.WriteByte(0);
        Pad();
        _archive.Write(data);
        Pad();
        return this;
    }

    private void Pad()
    {
        while (_archive.Length % 4 != 0)
        {
            _archive.WriteByte(0);
        }
    }
}
