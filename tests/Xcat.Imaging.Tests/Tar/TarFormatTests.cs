using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Tar;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Tar;

/// <summary>
/// Header spellings other tars write (checksum terminators, the signed sum, v7 without magic), vendor member types,
/// lenient PAX records, and GNU sparse maps: expansion, old GNU extension headers, and each way a map can be bad.
/// </summary>
public sealed class TarFormatTests
{
    public static TheoryData<string, string> Checksums() => new()
    {
        { "six digits, NUL, space (GNU)", "{0:6}\0 " },
        { "seven digits, NUL (POSIX)", "{0:7}\0" },
        { "six digits, space, NUL", "{0:6} \0" },
        { "seven digits, space", "{0:7} " },
        { "leading spaces, NUL", "  {0}\0" },
    };

    [Theory]
    [MemberData(nameof(Checksums))]
    public async Task Read_ChecksumAsOtherTarsTerminateIt_IsAccepted(string description, string layout)
    {
        var archive = new RawTar().Entry("etc/passwd", '0', "x"u8.ToArray(), patch: h => WriteChecksum(h, layout, signed: false), fixChecksum: false).ToArray();

        var entries = await PaxTreeReaderTests.ReadAllAsync(archive);

        entries.Single().Name.Should().Be("etc/passwd", description);
    }

    [Fact]
    public async Task Read_SignedChecksumOfOldTars_IsAccepted()
    {
        var archive = new RawTar().Entry("caf\u00e9", '0', "x"u8.ToArray(), patch: h => WriteChecksum(h, "{0:6}\0 ", signed: true), fixChecksum: false).ToArray();

        (await PaxTreeReaderTests.ReadAllAsync(archive)).Single().Name.Should().Be("caf\u00e9");
    }

    [Fact]
    public async Task Read_V7Header_WithoutMagic_TrailingSlashIsADirectory()
    {
        var archive = new RawTar()
            .Entry("dir/", '\0', patch: V7, mode: 493)
            .Entry("dir/file", '\0', "v7"u8.ToArray(), patch: V7)
            .Entry("dir/link", '2', linkName: "file", patch: V7)
            .ToArray();

        RamdiskEntries.DetectFormat(archive).Should().Be(ArchiveFormat.Tar);
        var entries = await PaxTreeReaderTests.ReadAllAsync(archive);

        entries.Select(e => (e.Name, e.Type, e.Length, e.LinkTarget)).Should().Equal(
            ("dir", UnixFileType.Directory, 0L, null), ("dir/file", UnixFileType.RegularFile, 2L, null), ("dir/link", UnixFileType.SymbolicLink, 0L, "file"));
    }

    [Fact]
    public void DetectFormat_DataWithoutMagicOrValidChecksum_IsStillRefused()
    {
        var random = new byte[512];
        new Random(10).NextBytes(random);
        var badChecksum = new RawTar().Entry("f", '0', patch: h => { V7(h); h[0] = (byte)'g'; }).ToArray();
        badChecksum[0] = (byte)'h'; // after the checksum was computed

        foreach (var data in new[] { random, badChecksum, new byte[1024], "#!/bin/sh\necho not an archive\n"u8.ToArray().Concat(new byte[600]).ToArray() })
        {
            var act = () => RamdiskEntries.DetectFormat(data);
            act.Should().Throw<InvalidDataException>().WithMessage("*neither cpio*nor tar*");
        }
    }

    [Fact]
    public async Task Read_VendorTypes_AreSkippedWithAWarningAndCounted_DumpdirIsADirectory()
    {
        var archive = new RawTar()
            .Entry("acl-of-file", 'A', new byte[700])
            .Entry("solaris-x", 'X', "30 SUN.devmajor=whatever\n"u8.ToArray())
            .Entry("Volume label", 'V')
            .Entry("continued", 'M', new byte[100])
            .Entry("dumped", 'D', "Yfile\0\0"u8.ToArray())
            .File("file", "kept")
            .ToArray();
        var logger = new FakeLogger();
        var reader = new PaxTreeReader(new MemoryStream(archive), logger: logger);
        var entries = new List<(TreeEntry Entry, string? Data)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } item)
        {
            entries.Add((item.Entry, item.Data is null ? null : await new StreamReader(item.Data).ReadToEndAsync()));
        }

        entries.Select(e => (e.Entry.Name, e.Entry.Type, e.Data)).Should().Equal(("dumped", UnixFileType.Directory, null), ("file", UnixFileType.RegularFile, "kept"));
        reader.SkippedMembers.Should().Be(3, "the volume label is GNU tar's own and skipped quietly");
        logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).Should().Equal(
            "Skipped the tar member acl-of-file of type 'A' (Solaris access control list), which is not supported",
            "Skipped the tar member solaris-x of type 'X' (Solaris extended header), which is not supported",
            "Skipped the tar member continued of type 'M' (GNU multivolume continuation), which is not supported");
    }

    [Fact]
    public async Task Unpack_VendorTypes_AreCountedInTheResult()
    {
        using var temp = new TempDirectory();
        var archive = new RawTar().Entry("acl", 'A', new byte[10]).File("file", "kept").ToArray();

        var result = await new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), temp.Combine("out"));

        (result.SkippedMembers, result.Files).Should().Be((1, 1));
        File.ReadAllText(temp.Combine("out", "file")).Should().Be("kept");
    }

    public static TheoryData<string, byte[], string?, long?> LenientRecords() => new()
    {
        { "last record without newline", Raw("8 uid=12"), null, 12 },
        { "empty value, no newline, last", [.. RawTar.Record("uid", "7"), .. Raw("4 a=")], null, 7 },
        { "NUL padding after the records", [.. RawTar.Record("uid", "9"), 0, 0, 0, 0], null, 9 },
        { "unknown keywords", [.. RawTar.Record("LIBARCHIVE.creationtime", "1"), .. RawTar.Record("SUN.whatever", "x"), .. RawTar.Record("uid", "3")], null, 3 },
        { "more than 9 fraction digits", RawTar.Record("mtime", "1000000000.123456789987654321"), "2001-09-09T01:46:40.1234567+00:00", null },
        { "negative fraction", RawTar.Record("mtime", "-1.5"), "1969-12-31T23:59:58.5000000+00:00", null },
    };

    [Theory]
    [MemberData(nameof(LenientRecords))]
    public async Task Read_PaxRecordsLibarchiveAccepts_AreRead(string description, byte[] records, string? mtime, long? uid)
    {
        var entry = (await PaxTreeReaderTests.ReadAllAsync(new RawTar().Pax(records).File("f", "x").ToArray())).Single();

        if (mtime is not null)
        {
            entry.ModificationTime.ToString("O").Should().Be(mtime, description);
        }

        if (uid is not null)
        {
            entry.Uid.Should().Be((uint)uid, description);
        }
    }

    [Fact]
    public async Task Read_PaxSparse01_ExpandsHolesAsZerosAndSkipsThemForTheExtractor()
    {
        var archive = Sparse01("2,2,6,1", realSize: 10, stored: "abc");
        var reader = new PaxTreeReader(new MemoryStream(archive));

        var (entry, data) = (await reader.ReadAsync(CancellationToken.None))!.Value;

        (entry.Name, entry.Length).Should().Be(("real/name", 10));
        var bytes = new MemoryStream();
        await data!.CopyToAsync(bytes);
        bytes.ToArray().Should().Equal("\0\0ab\0\0c\0\0\0"u8.ToArray());
    }

    [Fact]
    public async Task Read_OldGnuSparse_WithExtensionHeaders_ReadsTheWholeMap()
    {
        // Six segments of one byte at 0, 10, ..., 50: four in the header, two in one extension block.
        var header = new RawTar().Entry("old", 'S', size: 6, patch: h =>
        {
            h.AsSpan(257, 8).Clear();
            "ustar  \0"u8.CopyTo(h.AsSpan(257));
            for (var i = 0; i < 4; i++)
            {
                RawTar.Octal(h, 386 + (24 * i), 12, 10 * i);
                RawTar.Octal(h, 398 + (24 * i), 12, 1);
            }

            h[482] = 1;
            RawTar.Octal(h, 483, 12, 64);
        }).ToArray()[..512];
        var extension = new byte[512];
        for (var i = 0; i < 2; i++)
        {
            RawTar.Octal(extension, 24 * i, 12, 40 + (10 * i));
            RawTar.Octal(extension, 12 + (24 * i), 12, 1);
        }

        byte[] archive = [.. header, .. extension, .. "abcdef"u8, .. new byte[506], .. new byte[1024]];
        var reader = new PaxTreeReader(new MemoryStream(archive));

        var (entry, data) = (await reader.ReadAsync(CancellationToken.None))!.Value;
        var bytes = new MemoryStream();
        await data!.CopyToAsync(bytes);

        (entry.Name, entry.Length).Should().Be(("old", 64));
        var expected = new byte[64];
        "abcdef"u8.ToArray().Select((b, i) => (b, i)).ToList().ForEach(p => expected[p.i * 10] = p.b);
        bytes.ToArray().Should().Equal(expected);
        (await reader.ReadAsync(CancellationToken.None)).Should().BeNull();
    }

    public static TheoryData<string, Func<byte[]>, string> BadSparseMaps() => new()
    {
        { "out of order", () => Sparse01("5,1,0,1", 10, "ab"), "*segment 1 at offset 0 starts before the end of segment 0*" },
        { "overlapping", () => Sparse01("0,4,2,1", 10, "abcde"), "*segment 1 at offset 2 starts before the end of segment 0 (4)*" },
        { "past the real size", () => Sparse01("8,5", 10, "abcde"), "*segment 0 (offset 8, 5 bytes) ends past the real size 10*" },
        { "overflow", () => Sparse01("9223372036854775807,1", 10, "a"), "*overflows 64 bits*" },
        { "number overflow", () => Sparse01("99999999999999999999,1", 10, "a"), "*overflows 64 bits*" },
        { "not a number", () => Sparse01("0,x", 10, "a"), "*'x' is not a decimal number*" },
        { "odd count", () => Sparse01("0,1,5", 10, "a"), "*3 numbers, not pairs*" },
        { "less data than the map", () => Sparse01("0,3", 10, "ab"), "*segments hold 3 bytes but the member stores 2*" },
        { "numblocks lies", () => Sparse01("0,1", 10, "a", numblocks: 2), "*numblocks says 2 segments but the map has 1*" },
        { "1.0 count too large", () => Sparse10("2000000\n", 10, ""), "*2000000 segments, more than the 1048576 allowed*" },
        { "1.0 map junk", () => Sparse10("1\n0\nz\n", 10, ""), "*holds the byte 122 where a number should be*" },
        { "1.0 map past the data", () => Sparse10("1\n0\n", 10, "", storedSize: 100), "*runs past its 100 bytes*" },
        { "0.0 numbytes first", () => new RawTar().Pax(RawTar.Record("GNU.sparse.size", "10"), RawTar.Record("GNU.sparse.numbytes", "1")).File("real/name", "a").ToArray(), "*numbytes record without its GNU.sparse.offset*" },
        { "sparse directory", () => new RawTar().Pax(RawTar.Record("GNU.sparse.size", "0"), RawTar.Record("GNU.sparse.name", "real/name")).Directory("d").ToArray(), "*GNU sparse records but is a Directory*" },
    };

    [Theory]
    [MemberData(nameof(BadSparseMaps))]
    public async Task Read_BadSparseMap_IsOneInvalidDataExceptionNamingTheMember(string description, Func<byte[]> archive, string message)
    {
        var act = () => PaxTreeReaderTests.ReadAllAsync(archive());

        (await act.Should().ThrowAsync<InvalidDataException>(description)).WithMessage("The tar member 'real/name' (header at offset *) has *" + message.TrimStart('*'));
    }

    private static byte[] Sparse01(string map, long realSize, string stored, int? numblocks = null)
    {
        List<byte[]> records = [RawTar.Record("GNU.sparse.size", realSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), RawTar.Record("GNU.sparse.map", map), RawTar.Record("GNU.sparse.name", "real/name")];
        if (numblocks is { } n)
        {
            records.Add(RawTar.Record("GNU.sparse.numblocks", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new RawTar().Pax([.. records]).File("GNUSparseFile.0/name", stored).ToArray();
    }

    private static byte[] Sparse10(string map, long realSize, string data, long? storedSize = null)
    {
        var block = new byte[512];
        Encoding.ASCII.GetBytes(map).CopyTo(block, 0);
        byte[] stored = [.. block, .. Encoding.ASCII.GetBytes(data)];
        return new RawTar()
            .Pax(RawTar.Record("GNU.sparse.major", "1"), RawTar.Record("GNU.sparse.minor", "0"), RawTar.Record("GNU.sparse.name", "real/name"),
                RawTar.Record("GNU.sparse.realsize", realSize.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Entry("GNUSparseFile.0/name", '0', storedSize is null ? stored : [], size: storedSize)
            .ToArray();
    }

    private static byte[] Raw(string record) => Encoding.UTF8.GetBytes(record);

    /// <summary>A v7 header: no magic, version, owner names, device numbers or prefix.</summary>
    private static void V7(byte[] header) => header.AsSpan(257).Clear();

    private static void WriteChecksum(byte[] header, string layout, bool signed)
    {
        header.AsSpan(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var b in header)
        {
            sum += signed ? (sbyte)b : b;
        }

        var octal = Convert.ToString(sum, 8);
        var text = layout.Replace("{0:6}", octal.PadLeft(6, '0'), StringComparison.Ordinal)
            .Replace("{0:7}", octal.PadLeft(7, '0'), StringComparison.Ordinal)
            .Replace("{0}", octal, StringComparison.Ordinal);
        header.AsSpan(148, 8).Clear();
        Encoding.ASCII.GetBytes(text).CopyTo(header, 148);
    }
}
