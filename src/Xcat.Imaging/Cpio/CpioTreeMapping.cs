using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cpio;

/// <summary>Turns tree entries into cpio entries and back; names are written as GNU cpio stores them (<c>.</c>, <c>usr/bin/x</c>).</summary>
internal static class CpioTreeMapping
{
    public static CpioEntry ToCpio(TreeEntry entry)
    {
        var cpio = new CpioEntry(ToCpioType(entry.Type), entry.Name)
        {
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
            Inode = (uint)entry.Inode,
            LinkCount = entry.Type == UnixFileType.Directory ? 2 : Math.Max(1, entry.LinkCount),
        };
        switch (entry.Type)
        {
            case UnixFileType.SymbolicLink:
                cpio.LinkTarget = entry.LinkTarget ?? string.Empty;
                break;
            case UnixFileType.CharacterDevice or UnixFileType.BlockDevice:
                cpio.DeviceMajor = entry.DeviceMajor;
                cpio.DeviceMinor = entry.DeviceMinor;
                break;
        }

        return cpio;
    }

    /// <summary>Writes one tree entry, its data read from <paramref name="data"/> when it carries any.</summary>
    public static Task WriteAsync(CpioWriter writer, TreeEntry entry, Stream? data, CancellationToken cancellationToken)
    {
        var cpio = ToCpio(entry);
        if (data is not null)
        {
            cpio.SetDataStream(data, entry.Length);
        }

        return writer.WriteEntryAsync(cpio, cancellationToken);
    }

    /// <summary>The tree entry of a cpio entry; <paramref name="inode"/> is its number in the tree (see <see cref="CpioTreeReader"/>).</summary>
    public static TreeEntry ToTree(CpioEntry entry, ulong inode) => new()
    {
        Name = entry.Name,
        Type = ToTreeType(entry.EntryType),
        Mode = entry.Mode,
        Uid = entry.Uid,
        Gid = entry.Gid,
        ModificationTime = entry.ModificationTime,
        Length = entry.EntryType == CpioEntryType.RegularFile ? entry.Length : 0,
        LinkTarget = entry.LinkTarget,
        DeviceMajor = entry.EntryType is CpioEntryType.CharacterDevice or CpioEntryType.BlockDevice ? entry.DeviceMajor : 0,
        DeviceMinor = entry.EntryType is CpioEntryType.CharacterDevice or CpioEntryType.BlockDevice ? entry.DeviceMinor : 0,
        Inode = inode,
        LinkCount = entry.LinkCount,
    };

    private static CpioEntryType ToCpioType(UnixFileType type) => type switch
    {
        UnixFileType.RegularFile => CpioEntryType.RegularFile,
        UnixFileType.Directory => CpioEntryType.Directory,
        UnixFileType.SymbolicLink => CpioEntryType.SymbolicLink,
        UnixFileType.CharacterDevice => CpioEntryType.CharacterDevice,
        UnixFileType.BlockDevice => CpioEntryType.BlockDevice,
        UnixFileType.Fifo => CpioEntryType.Fifo,
        UnixFileType.Socket => CpioEntryType.Socket,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown file type."),
    };

    private static UnixFileType ToTreeType(CpioEntryType type) => type switch
    {
        CpioEntryType.RegularFile => UnixFileType.RegularFile,
        CpioEntryType.Directory => UnixFileType.Directory,
        CpioEntryType.SymbolicLink => UnixFileType.SymbolicLink,
        CpioEntryType.CharacterDevice => UnixFileType.CharacterDevice,
        CpioEntryType.BlockDevice => UnixFileType.BlockDevice,
        CpioEntryType.Fifo => UnixFileType.Fifo,
        CpioEntryType.Socket => UnixFileType.Socket,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown entry type."),
    };
}
