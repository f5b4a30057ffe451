using System.Text;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// The odc (POSIX.1 portable ASCII, magic 070707) reader on archives built byte by byte: every field, the device
/// split, wide mtime and filesize, names as bytes, no padding, concatenation and malformed headers.
/// </summary>
public sealed class CpioOdcReaderTests
{
    private const long WideTime = 5_000_000_000; // 2128: more than 32 bits, as 11 octal digits allow

    public static TheoryData<bool, bool> ReadModes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(ReadModes))]
    public async Task GetNextEntry_EveryTypeAndField_IsRead(bool async, bool seekable)
    {
        var archive = Concat(
            Odc(".", 0x41ED, nlink: 2, ino: 1),
            Odc("usr/file", 0x8000 | 0b100_111_101_101, "hello\n"u8.ToArray(), dev: 0x0801, ino: 0x3FFFF, uid: 0x3FFFF, gid: 4321, mtime: WideTime),
            Odc("usr/link", 0xA1FF, "file"u8.ToArray(), ino: 3),
            Odc("dev/console", 0x2180, ino: 4, rdev: (5 << 8) | 1),
            Odc("dev/cut", 0x2180, ino: 5, rdev: 0x10301), // GNU cpio's makedev(259, 65537) cut to 18 bits
            Odc("dev/max", 0x61B0, ino: 6, rdev: 0x3FFFF), // what bsdtar writes for a device number that does not fit
            Odc("fifo", 0x11A4, ino: 7),
            Odc("empty", 0x81A4, ino: 8, mtime: 0),
            Trailer(),
            new byte[512 - 7]); // GNU cpio's block padding, ending at no particular alignment

        var entries = await ReadAllAsync(Open(archive, seekable), async);

        entries.Should().Equal(
            Snapshot(CpioEntryType.Directory, ".", 0b111_101_101, ino: 1, nlink: 2),
            Snapshot(CpioEntryType.RegularFile, "usr/file", 0b100_111_101_101, ino: 0x3FFFF, uid: 0x3FFFF, gid: 4321, mtime: WideTime,
                fsMajor: 8, fsMinor: 1, length: 6, data: "hello\n"),
            Snapshot(CpioEntryType.SymbolicLink, "usr/link", 0b111_111_111, ino: 3, length: 4, target: "file"),
            Snapshot(CpioEntryType.CharacterDevice, "dev/console", 0b110_000_000, ino: 4, major: 5, minor: 1),
            Snapshot(CpioEntryType.CharacterDevice, "dev/cut", 0b110_000_000, ino: 5, major: 259, minor: 1),
            Snapshot(CpioEntryType.BlockDevice, "dev/max", 0b110_110_000, ino: 6, major: 1023, minor: 255),
            Snapshot(CpioEntryType.Fifo, "fifo", 0b110_100_100, ino: 7),
            Snapshot(CpioEntryType.RegularFile, "empty", 0b110_100_100, ino: 8, mtime: 0, data: string.Empty));
    }

    [Fact]
    public void GetNextEntry_Odc_ReportsTheFormatAndNoChecksum()
    {
        using var reader = new CpioReader(new MemoryStream(Concat(Odc("f", 0x81A4, "x"u8.ToArray()), Trailer())));
        var entry = reader.GetNextEntry()!;
        reader.Format.Should().Be(CpioFormat.Odc);
        entry.Checksum.Should().Be(0);
        reader.GetNextEntry().Should().BeNull();
    }

    [Fact]
    public void GetNextEntry_NamesAndTargetsNotUtf8_DecodeToEscapedBytes()
    {
        var archive = Concat(
            Odc(Encoding.Latin1.GetBytes("caf\u00e9"), 0x81A4, "1"u8.ToArray()),
            Odc([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], 0x81A4, ino: 2), // "Привет" in KOI8-R
            Odc("link"u8.ToArray(), 0xA1FF, [0xFF, 0xFE, (byte)'/', 0xC3], ino: 3),
            Trailer());

        var entries = ReadAll(archive);

        entries.Select(e => e.Name).Should().Equal("caf\uDCE9", "\uDCF0\uDCD2\uDCC9\uDCD7\uDCC5\uDCD4", "link");
        entries[2].LinkTarget.Should().Be("\uDCFF\uDCFE/\uDCC3");
    }

    [Fact]
    public void GetNextEntry_HardLinkGroup_EveryMemberCarriesItsData()
    {
        var archive = Concat(
            Odc("a", 0x81A4, "shared"u8.ToArray(), ino: 9, nlink: 2),
            Odc("b", 0x81A4, "shared"u8.ToArray(), ino: 9, nlink: 2),
            Trailer());

        var entries = ReadAll(archive);

        entries.Select(e => (e.Name, e.Inode, e.LinkCount, e.Data)).Should().Equal(
            ("a", 9u, 2u, Convert.ToHexString("shared"u8)), ("b", 9u, 2u, Convert.ToHexString("shared"u8)));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task ExtractToDirectory_HardLinkGroup_IsOneFileWithTheFirstMembersData()
    {
        // GNU cpio links later members to the first and skips their copies (copyin.c, link_to_maj_min_ino).
        using var temp = new TempDirectory();
        var archive = Concat(
            Odc("a", 0x81A4, "first"u8.ToArray(), ino: 9, nlink: 3),
            Odc("b", 0x81A4, "later"u8.ToArray(), ino: 9, nlink: 3),
            Odc("c", 0x81A4, "last!"u8.ToArray(), ino: 9, nlink: 3),
            Trailer());
        var ours = temp.Combine("ours");
        var gnu = Directory.CreateDirectory(temp.Combine("gnu")).FullName;
        await File.WriteAllBytesAsync(temp.Combine("a.cpio"), archive);

        await using (var stream = new MemoryStream(archive))
        {
            var result = await CpioArchive.ExtractToDirectoryAsync(stream, ours);
            result.HardLinks.Should().Be(2);
        }

        (await ExternalTool.ShellAsync($"cpio -idm --quiet --no-absolute-filenames < '{temp.Combine("a.cpio")}'", gnu)).EnsureSuccess();
        File.ReadAllText(Path.Combine(ours, "c")).Should().Be("first");
        new TreeComparer(ComparisonPresets.GnuCpio()).AssertEqual(gnu, ours);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GetNextEntry_OdcThenNewcAfterUnalignedPadding_ReadsBoth(bool newcSecond)
    {
        var second = newcSecond
            ? Write([FileEntry("two", "22"u8.ToArray(), 1)])
            : Concat(Odc("two", 0x81A4, "22"u8.ToArray()), Trailer());
        var archive = Concat(Odc("one", 0x81A4, "1"u8.ToArray()), Trailer(), new byte[509], second);

        var entries = ReadAll(archive);

        entries.Select(e => (e.Name, e.ArchiveIndex, e.Data)).Should().Equal(("one", 0, "31"), ("two", 1, "3232"));
    }

    [Fact]
    public void GetNextEntry_WithoutConcatenation_StopsRightAfterTheTrailer()
    {
        var archive = Concat(Odc("one", 0x81A4, "1"u8.ToArray()), Trailer(), new byte[100]);
        var stream = new MemoryStream(archive);
        using (var reader = new CpioReader(stream, new CpioReaderOptions { ReadConcatenatedArchives = false }, leaveOpen: true))
        {
            reader.GetNextEntry().Should().NotBeNull();
            reader.GetNextEntry().Should().BeNull();
        }

        stream.Position.Should().Be(archive.Length - 100);
    }

    [Fact]
    public void Writer_RefusesOdc()
    {
        var withFormat = () => new CpioWriter(new MemoryStream(), CpioFormat.Odc);
        var withOptions = () => new CpioWriterOptions { Format = CpioFormat.Odc };

        withFormat.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*newc and crc formats only*");
        withOptions.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*newc and crc formats only*");
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> MalformedCases() => new()
    {
        // The base is Odc("f", 0100644, "abc") then the trailer: name at 76, data at 78, trailer at 81.
        { "8 in c_mode", a => Patch(a, 18, "100648"), "*offset 18*c_mode field is '100648', not 6 octal digits*" },
        { "hex in c_filesize", a => Patch(a, 65, "0000000000a"), "*offset 65*c_filesize*'0000000000a'*" },
        { "space in c_dev", a => Patch(a, 6, " 00000"), "*offset 6*c_dev*" },
        { "sign in c_mtime", a => Patch(a, 48, "-0000000001"), "*offset 48*c_mtime*" },
        { "name size 0", a => Patch(a, 59, "000000"), "*offset 0*c_namesize is 0*" },
        { "name size 4097", a => Patch(a, 59, "010001"), "*c_namesize is 4097*" },
        { "name without NUL", a => Patch(a, 77, "x"), "*does not end with NUL*" },
        { "mode above 16 bits", a => Patch(a, 18, "700644"), "*c_mode 0700644*" },
        { "unknown file type", a => Patch(a, 18, "170644"), "*c_mode 0170644*" },
        { "directory with data", a => Patch(a, 18, "040755"), "*Directory 'f' has c_filesize 3*" },
        { "huge file size", a => Patch(a, 65, "77777777777"), "*ends * bytes before the end of the data of 'f'*truncated*" },
        { "truncated header", a => a[..50], "*ends inside a cpio header (50 of its 76 bytes)*" },
        { "truncated name", a => a[..77], "*ends inside the name*" },
        { "truncated data", a => a[..80], "*ends 1 bytes before the end of the data of 'f'*" },
        { "no trailer", a => a[..81], "*without a TRAILER!!! record*" },
        { "trailer with data", a => Patch(a, 81 + 65, "00000000001"), "*TRAILER!!! record has c_filesize 1*" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void GetNextEntry_MalformedOdc_IsRefusedWithTheReason(string name, Func<byte[], byte[]> mutate, string expected)
    {
        var archive = mutate(Concat(Odc("f", 0x81A4, "abc"u8.ToArray()), Trailer()));

        var act = () => ReadAll(archive);

        act.Should().Throw<InvalidDataException>(name).WithMessage("Malformed cpio archive at byte offset *").And.Message.Should().Match(expected);
    }

    [Fact]
    public void GetNextEntry_SymlinkTargetOverPathMax_IsRefused()
    {
        var archive = Concat(Odc("l", 0xA1FF, Enumerable.Repeat((byte)'a', 4097).ToArray()), Trailer());
        var act = () => ReadAll(archive);
        act.Should().Throw<InvalidDataException>().WithMessage("*symbolic link 'l' has a target of 4097 bytes*");
    }

    [Fact]
    public void GetNextEntry_OverlongNameOnANonSeekableStream_ReadsNoFurtherThanTheHeader()
    {
        // A c_namesize over PATH_MAX is refused from the header alone: nothing of the name is buffered.
        var archive = Patch(Concat(Odc("f", 0x81A4), Trailer()), 59, "777777");
        var source = new MemoryStream(archive);
        var act = () =>
        {
            var options = new CpioReaderOptions { ReadConcatenatedArchives = false }; // no look-ahead for padding at the start
            using var reader = new CpioReader(new NonSeekableStream(source, leaveOpen: true), options, leaveOpen: true);
            reader.GetNextEntry();
        };

        act.Should().Throw<InvalidDataException>().WithMessage("*c_namesize is 262143*");
        source.Position.Should().Be(76);
    }

    private static Stream Open(byte[] archive, bool seekable) =>
        seekable ? new MemoryStream(archive) : new NonSeekableStream(new MemoryStream(archive), maxReadSize: 7);

    internal static byte[] Odc(string name, int mode, byte[]? data = null, long dev = 0, long ino = 1, long uid = 0, long gid = 0,
        long nlink = 1, long rdev = 0, long mtime = TestTime) =>
        Odc(Encoding.UTF8.GetBytes(name), mode, data, dev, ino, uid, gid, nlink, rdev, mtime);

    /// <summary>One odc record: the 76-byte header of octal fields, the name with its NUL, the data; no padding.</summary>
    internal static byte[] Odc(byte[] name, int mode, byte[]? data = null, long dev = 0, long ino = 1, long uid = 0, long gid = 0,
        long nlink = 1, long rdev = 0, long mtime = TestTime)
    {
        data ??= [];
        static string O(long value, int width) => Convert.ToString(value, 8).PadLeft(width, '0');
        var header = "070707" + O(dev, 6) + O(ino, 6) + O(mode, 6) + O(uid, 6) + O(gid, 6) + O(nlink, 6) + O(rdev, 6)
            + O(mtime, 11) + O(name.Length + 1, 6) + O(data.Length, 11);
        header.Length.Should().Be(76);
        return [.. Encoding.ASCII.GetBytes(header), .. name, 0, .. data];
    }

    internal static byte[] Trailer() => Odc("TRAILER!!!", 0, ino: 0, mtime: 0);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Patch(byte[] archive, int offset, string ascii)
    {
        var copy = archive.ToArray();
        Encoding.ASCII.GetBytes(ascii).CopyTo(copy, offset);
        return copy;
    }

    private static EntrySnapshot Snapshot(CpioEntryType type, string name, int mode, uint ino = 1, uint uid = 0, uint gid = 0,
        long mtime = TestTime, uint nlink = 1, uint fsMajor = 0, uint fsMinor = 0, uint major = 0, uint minor = 0, string? target = null,
        long length = 0, string? data = null) =>
        new(type, name, (UnixFileMode)mode, uid, gid, mtime, ino, nlink, fsMajor, fsMinor, major, minor, target, length,
            data is null ? null : Convert.ToHexString(Encoding.UTF8.GetBytes(data)), 0);
}
