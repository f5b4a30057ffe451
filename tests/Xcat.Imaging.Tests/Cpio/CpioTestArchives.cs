using System.Text;
using Xcat.Imaging.Cpio;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>Named test values, entry builders and sync/async helpers shared by the cpio tests.</summary>
internal static class CpioTestArchives
{
    internal const uint TestUid = 5678;
    internal const uint TestGid = 4321;
    internal const uint TestFileSystemMajor = 253;
    internal const uint TestFileSystemMinor = 2;
    internal const uint TestCharMajor = 5;
    internal const uint TestCharMinor = 1;
    internal const uint TestBlockMajor = 8;
    internal const uint TestBlockMinor = 17;
    internal const long TestTime = 1_700_000_000;

    internal static readonly UnixFileMode AllPermissionBits = (UnixFileMode)0b111_111_111_111;

    /// <summary>Deterministic bytes, different for each <paramref name="seed"/>.</summary>
    internal static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    internal static CpioEntry FileEntry(string name, byte[] data, uint inode, UnixFileMode? mode = null, uint linkCount = 1)
    {
        var entry = new CpioEntry(CpioEntryType.RegularFile, name)
        {
            Inode = inode,
            LinkCount = linkCount,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TestTime),
        };
        if (mode is { } m)
        {
            entry.Mode = m;
        }

        entry.DataStream = new MemoryStream(data);
        return entry;
    }

    internal static CpioEntry Entry(CpioEntryType type, string name, uint inode)
    {
        var entry = new CpioEntry(type, name)
        {
            Inode = inode,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TestTime),
        };
        return entry;
    }

    /// <summary>
    /// One entry of every type with every metadata field set to a value of its own, including the extremes of the
    /// 32-bit fields, names of every length mod 4, and a hard-link pair with the data on the last member.
    /// </summary>
    internal static List<CpioEntry> EveryEntryType()
    {
        var entries = new List<CpioEntry>();
        var root = Entry(CpioEntryType.Directory, ".", 1);
        root.Mode = (UnixFileMode)0b111_101_101;
        entries.Add(root);

        var dir = Entry(CpioEntryType.Directory, "usr", 2);
        dir.Mode = (UnixFileMode)0b1_111_111_111; // sticky 01777
        dir.Uid = TestUid;
        dir.Gid = TestGid;
        dir.LinkCount = 3;
        entries.Add(dir);

        entries.Add(FileEntry("usr/a", Bytes(1, 2), 3, (UnixFileMode)0b100_111_101_101)); // setuid 04755
        entries.Add(FileEntry("usr/ab", Bytes(2, 3), 4, (UnixFileMode)0b010_111_101_101)); // setgid 02755
        entries.Add(FileEntry("usr/abc", Bytes(3, 4), 5, AllPermissionBits));
        entries.Add(FileEntry("usr/abcd", Bytes(70_000, 5), 6, (UnixFileMode)0));
        entries.Add(FileEntry("usr/empty", [], 7));

        var extremes = FileEntry("./usr/extremes", Bytes(5, 6), uint.MaxValue);
        extremes.Uid = uint.MaxValue;
        extremes.Gid = uint.MaxValue;
        extremes.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue);
        extremes.FileSystemMajor = uint.MaxValue;
        extremes.FileSystemMinor = uint.MaxValue;
        entries.Add(extremes);

        var epoch = FileEntry("usr/epoch", Bytes(4, 7), 0);
        epoch.ModificationTime = DateTimeOffset.UnixEpoch;
        entries.Add(epoch);

        // GNU cpio style hard-link pair: the first member has no data, the last carries it.
        var shared = Bytes(9, 8);
        var first = FileEntry("usr/link-1", [], 10, linkCount: 2);
        var last = FileEntry("usr/link-2", shared, 10, linkCount: 2);
        first.FileSystemMajor = last.FileSystemMajor = TestFileSystemMajor;
        first.FileSystemMinor = last.FileSystemMinor = TestFileSystemMinor;
        entries.Add(first);
        entries.Add(last);

        var symlink = Entry(CpioEntryType.SymbolicLink, "usr/sym", 11);
        symlink.LinkTarget = "abcd";
        entries.Add(symlink);

        var longLink = Entry(CpioEntryType.SymbolicLink, "usr/long-link", 12);
        longLink.LinkTarget = string.Concat(Enumerable.Repeat("../ünïcödé/", 40)) + "x";
        entries.Add(longLink);

        var chr = Entry(CpioEntryType.CharacterDevice, "usr/console", 13);
        chr.Mode = (UnixFileMode)0b110_000_000;
        chr.DeviceMajor = TestCharMajor;
        chr.DeviceMinor = TestCharMinor;
        entries.Add(chr);

        var blk = Entry(CpioEntryType.BlockDevice, "usr/sdb1", 14);
        blk.Mode = (UnixFileMode)0b110_110_000;
        blk.DeviceMajor = TestBlockMajor;
        blk.DeviceMinor = TestBlockMinor;
        entries.Add(blk);

        var bigDevice = Entry(CpioEntryType.BlockDevice, "usr/big-device", 15);
        bigDevice.DeviceMajor = uint.MaxValue;
        bigDevice.DeviceMinor = 0xABCDEF;
        entries.Add(bigDevice);

        entries.Add(Entry(CpioEntryType.Fifo, "usr/fifo", 16));
        entries.Add(Entry(CpioEntryType.Socket, "usr/socket", 17));
        entries.Add(FileEntry("usr/" + new string('n', 200) + "/ü", Bytes(6, 9), 18));
        return entries;
    }

    internal static byte[] Write(IEnumerable<CpioEntry> entries, CpioFormat format = CpioFormat.Newc, bool trailerPadding = true)
    {
        using var output = new MemoryStream();
        using (var writer = new CpioWriter(output, new CpioWriterOptions { Format = format, TrailerPadding = trailerPadding }, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    internal static async Task WriteEntryAsync(CpioWriter writer, CpioEntry entry, bool async)
    {
        if (async)
        {
            await writer.WriteEntryAsync(entry);
        }
        else
        {
            writer.WriteEntry(entry);
        }
    }

    internal static async Task DisposeAsync(CpioWriter writer, bool async)
    {
        if (async)
        {
            await writer.DisposeAsync();
        }
        else
        {
            writer.Dispose();
        }
    }

    internal static async Task<CpioEntry?> NextAsync(CpioReader reader, bool async, bool copyData = false) =>
        async ? await reader.GetNextEntryAsync(copyData) : reader.GetNextEntry(copyData);

    internal static async Task<byte[]> ReadToEndAsync(Stream stream, bool async)
    {
        using var copy = new MemoryStream();
        if (async)
        {
            await stream.CopyToAsync(copy);
        }
        else
        {
            stream.CopyTo(copy);
        }

        return copy.ToArray();
    }

    /// <summary>Reads every entry and its data.</summary>
    internal static async Task<List<EntrySnapshot>> ReadAllAsync(Stream archive, bool async, bool copyData = false, CpioReaderOptions? options = null)
    {
        var result = new List<EntrySnapshot>();
        using var reader = new CpioReader(archive, options, leaveOpen: true);
        while (await NextAsync(reader, async, copyData) is { } entry)
        {
            var data = entry.DataStream is { } stream ? await ReadToEndAsync(stream, async) : null;
            result.Add(EntrySnapshot.Of(entry, data, reader.ArchiveIndex));
        }

        return result;
    }

    internal static List<EntrySnapshot> ReadAll(byte[] archive, CpioReaderOptions? options = null) =>
        ReadAllAsync(new MemoryStream(archive), async: false, options: options).GetAwaiter().GetResult();

    /// <summary>What an entry is expected to read back as: its data from the stream it was built with.</summary>
    internal static EntrySnapshot Expected(CpioEntry entry, int archiveIndex = 0)
    {
        byte[]? data = null;
        if (entry.DataStream is MemoryStream memory)
        {
            data = memory.ToArray();
        }
        else if (entry.EntryType == CpioEntryType.RegularFile)
        {
            data = [];
        }

        return EntrySnapshot.Of(entry, data, archiveIndex);
    }

    internal static string Ascii(byte[] bytes, int offset, int count) => Encoding.ASCII.GetString(bytes, offset, count);
}

/// <summary>Every field of an entry as values, so lists of entries compare with <c>Equal</c>.</summary>
internal sealed record EntrySnapshot(
    CpioEntryType Type, string Name, UnixFileMode Mode, uint Uid, uint Gid, long ModificationTime, uint Inode, uint LinkCount,
    uint FileSystemMajor, uint FileSystemMinor, uint DeviceMajor, uint DeviceMinor, string? LinkTarget, long Length, string? Data,
    int ArchiveIndex)
{
    internal static EntrySnapshot Of(CpioEntry entry, byte[]? data, int archiveIndex) => new(
        entry.EntryType, entry.Name, entry.Mode, entry.Uid, entry.Gid, entry.ModificationTime.ToUnixTimeSeconds(), entry.Inode,
        entry.LinkCount, entry.FileSystemMajor, entry.FileSystemMinor, entry.DeviceMajor, entry.DeviceMinor, entry.LinkTarget,
        entry.Length, data is null ? null : Convert.ToHexString(data), archiveIndex);
}
