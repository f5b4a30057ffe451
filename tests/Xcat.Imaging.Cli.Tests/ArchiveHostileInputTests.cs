using System.Text;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// Hostile archives through xcatimg as a child process under a 256 MiB heap and a time limit: a refused archive
/// exits 1 with one line naming the member, and nothing outside the destination is created or changed (a victim
/// directory beside it is compared before and after); benign ones succeed.
/// </summary>
public sealed class ArchiveHostileInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _victim;

    public ArchiveHostileInputTests()
    {
        _victim = _temp.Combine("victim");
        Directory.CreateDirectory(Path.Combine(_victim, "etc"));
        File.WriteAllText(Path.Combine(_victim, "etc", "passwd"), "root:x:0:0\n");
        File.CreateSymbolicLink(Path.Combine(_victim, "link"), "etc");
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> RefusedTarCases() => new()
    {
        { "pax-size-junk", "Error: The tar member 'etc/passwd' (header at offset 1024) has a PAX size of '12abc', which is not a decimal number." },
        { "pax-length-overflow", "Error: The tar member 'etc/passwd' (header at offset 1024) its PAX header at offset 0 has a record at byte 0 whose length 99999999999999999999 goes past the end of the header (27 bytes left)." },
        { "pax-mtime-overflow", "Error: The tar member 'etc/passwd' (header at offset 1024) has a PAX mtime of 100000000000000000 seconds, out of range (years 1 to 9999)." },
        { "pax-uid-overflow", "Error: The tar member 'etc/passwd' (header at offset 1024) has a PAX uid of 4294967296, out of range (0 to 4294967295)." },
        { "base256-gid-overflow", "Error: The tar member 'etc/passwd' (header at offset 0) has a gid field that holds 72057594037927935, out of range (0 to 4294967295)." },
        { "empty-symlink-target", "Error: The tar member 'etc/link' (header at offset 0) is a symbolic link with an empty target." },
        { "empty-xattr-name", "Error: The tar member 'etc/passwd' (header at offset 1024) has an extended attribute record 'SCHILY.xattr.' whose attribute name is empty." },
        { "sparse-map-out-of-order", "Error: The tar member 'real' (header at offset 1024) has a bad GNU sparse map: segment 1 at offset 0 starts before the end of segment 0 (6); segments must be in order and not overlap." },
        { "forged-line", "Error: The tar member 'evil\\nError: all is well\\033[2J' (header at offset 1024) has a PAX gid of 'x', which is not a decimal number." },
        { "huge-pax-header", "Error: The tar PAX header at offset 0 has a size field that holds 1048577, out of range (0 to 1048576)." },
    };

    [Theory]
    [Trait("Category", "Interop")]
    [MemberData(nameof(RefusedTarCases))]
    public async Task Unpack_HostileTar_ExitsOneWithOneLineAndChangesNothingOutside(string name, string expected)
    {
        var archive = _temp.Combine(name + ".tar.gz");
        await File.WriteAllBytesAsync(archive, Gzip(HostileTar(name)));

        await AssertRefusedAsync(["unpack", archive, "-C", _temp.Combine("dest")], expected);
        await AssertRefusedAsync(["inspect", archive], expected);
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Unpack_CpioSymlinkWithEmptyTarget_ExitsOneNamingIt()
    {
        var entry = new CpioEntry(CpioEntryType.SymbolicLink, "bin/sh") { LinkTarget = "busybox" };
        var bytes = Cpio(entry);
        Encoding.ASCII.GetBytes("00000000").CopyTo(bytes, 6 + (8 * 6)); // c_filesize
        var archive = _temp.Combine("empty-target.cpio");
        await File.WriteAllBytesAsync(archive, bytes);

        await AssertRefusedAsync(["unpack", archive, "-C", _temp.Combine("dest")],
            "Error: Malformed cpio archive at byte offset 0: the symbolic link 'bin/sh' has an empty target (c_filesize 0).");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Unpack_EndlessZeroPaddingBomb_ExitsOneWithinTheLimits()
    {
        // 4 GiB and 64 MiB of zeros after the trailer, 4 MiB of zstd frames: the reader gives up at its 4 GiB limit.
        var archive = _temp.Combine("bomb.cpio.zst");
        await WriteZeroBombAsync(archive, Cpio(new CpioEntry(CpioEntryType.RegularFile, "a")), frames: 65, second: null);

        await AssertRefusedAsync(["unpack", archive, "-C", _temp.Combine("dest")],
            "Error: Malformed cpio archive at byte offset 236: more than 4294967296 bytes of zeros follow (CpioReaderOptions.MaximumPaddingLength); refusing to read further.");
    }

    [Fact]
    public async Task Unpack_GibibyteOfPaddingBetweenArchives_ExtractsBoth()
    {
        var archive = _temp.Combine("padded.cpio.zst");
        var first = new CpioEntry(CpioEntryType.RegularFile, "first") { DataStream = new MemoryStream("1"u8.ToArray()) };
        var second = new CpioEntry(CpioEntryType.RegularFile, "second") { DataStream = new MemoryStream("2"u8.ToArray()) };
        await WriteZeroBombAsync(archive, Cpio(first), frames: 16, second: Cpio(second));

        var result = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "unpack", archive, "-C", _temp.Combine("dest"));

        result.ExitCode.Should().Be(0, result.Error);
        File.ReadAllText(_temp.Combine("dest", "first")).Should().Be("1");
        File.ReadAllText(_temp.Combine("dest", "second")).Should().Be("2");
    }

    [Fact]
    public async Task Unpack_SameInodeOnTwoDevices_KeepsBothFiles()
    {
        CpioEntry Linked(string name, string data, uint minor) => new(CpioEntryType.RegularFile, name)
        {
            Inode = 9, LinkCount = 2, FileSystemMajor = 8, FileSystemMinor = minor, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data)),
        };
        var archive = _temp.Combine("links.cpio");
        await File.WriteAllBytesAsync(archive, Cpio(Linked("a", "", 1), Linked("b", "", 2), Linked("a2", "AAA", 1), Linked("b2", "BBB", 2)));

        var result = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "unpack", archive, "-C", _temp.Combine("dest"));

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("4 entries: 2 files").And.Contain("2 hard links");
        File.ReadAllText(_temp.Combine("dest", "a")).Should().Be("AAA");
        File.ReadAllText(_temp.Combine("dest", "b")).Should().Be("BBB");
    }

    [Fact]
    public async Task Inspect_ControlCharactersInNames_AreEscapedOnePerLine()
    {
        var archive = _temp.Combine("names.tar");
        await File.WriteAllBytesAsync(archive, new RawTar()
            .Pax(RawTar.Record("path", "etc/motd\n-rw-r--r--   1 0        0                   0 2024-01-02 03:04 etc/shadow"))
            .File("x", "forged")
            .Pax(RawTar.Record("path", "clear\u001b[2J\u001b[H"), RawTar.Record("linkpath", "to\tab\u009b"))
            .Symlink("y", "z")
            .File("back\\slash", "")
            .ToArray());

        var result = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "inspect", archive);

        result.ExitCode.Should().Be(0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(5, "one header, three entries, one total");
        lines[1].Should().EndWith(@" etc/motd\n-rw-r--r--   1 0        0                   0 2024-01-02 03:04 etc/shadow");
        lines[2].Should().EndWith(@" clear\033[2J\033[H -> to\tab\302\233");
        lines[3].Should().EndWith(@" back\\slash");
        result.Out.Should().NotContainAny("\u001b", "\u009b", "\t");
    }

    [Fact]
    public async Task Unpack_UserAttributeOnASymbolicLink_WarnsAndSucceeds()
    {
        var archive = _temp.Combine("xattr.tar");
        await File.WriteAllBytesAsync(archive, new RawTar()
            .Pax(RawTar.Record("SCHILY.xattr.user.origin", "tar"))
            .Symlink("link", "target")
            .File("after", "still extracted")
            .ToArray());

        var result = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "unpack", archive, "-C", _temp.Combine("dest"));

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Contain("user.origin").And.Contain("link").And.NotContain("Error:");
        File.ReadAllText(_temp.Combine("dest", "after")).Should().Be("still extracted");
    }

    [Theory]
    [InlineData("tree.cpio")]
    [InlineData("sub/tree.tar.gz")]
    public async Task Pack_OutputInsideTheTree_NeverPacksItself(string output)
    {
        var root = _temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllBytes(Path.Combine(root, "sub", "data"), new byte[2 << 20]);
        var method = output.EndsWith(".tar.gz", StringComparison.Ordinal) ? "tar" : "cpio";
        var compress = method == "tar" ? "gzip" : "none";

        foreach (var run in new[] { 1, 2 })
        {
            var packed = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "pack", root, "-o", Path.Combine(root, output), "-m", method, "-c", compress);
            packed.ExitCode.Should().Be(0, $"run {run}: {packed.Error}");
        }

        var listing = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, "inspect", Path.Combine(root, output));
        listing.ExitCode.Should().Be(0, listing.Error);
        var names = listing.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..^1].Select(static line => line[(line.LastIndexOf(' ') + 1)..]);
        names.Should().BeEquivalentTo([".", "sub", "sub/data"]);
    }

    private async Task AssertRefusedAsync(string[] args, string expected)
    {
        var before = TreeSnapshot.Capture(_victim);
        var around = Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        var result = await CliHarness.RunProcessAsync(_temp.Path, ProcessLimits.Hostile, args);

        result.ExitCode.Should().Be(1, result.Error);
        result.Error.Should().Be(expected + "\n");
        new TreeComparer().AssertEqual(before, TreeSnapshot.Capture(_victim));
        Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).Where(static n => n != "dest").Order(StringComparer.Ordinal)
            .Should().Equal(around.Where(static n => n != "dest"));
    }

    private static byte[] HostileTar(string name)
    {
        const string Passwd = "root:x:0:0\n";
        return name switch
        {
            "pax-size-junk" => new RawTar().Pax(RawTar.Record("size", "12abc")).File("etc/passwd", Passwd).ToArray(),
            "pax-length-overflow" => new RawTar().Pax(Encoding.ASCII.GetBytes("99999999999999999999 uid=1\n")).File("etc/passwd", Passwd).ToArray(),
            "pax-mtime-overflow" => new RawTar().Pax(RawTar.Record("mtime", "100000000000000000")).File("etc/passwd", Passwd).ToArray(),
            "pax-uid-overflow" => new RawTar().Pax(RawTar.Record("uid", "4294967296")).File("etc/passwd", Passwd).ToArray(),
            "base256-gid-overflow" => new RawTar().Entry("etc/passwd", '0', Encoding.UTF8.GetBytes(Passwd), patch: h => { h.AsSpan(116, 8).Fill(0xFF); h[116] = 0x80; }).ToArray(),
            "empty-symlink-target" => new RawTar().Symlink("etc/link", "").ToArray(),
            "empty-xattr-name" => new RawTar().Pax(RawTar.Record("SCHILY.xattr.", "v")).File("etc/passwd", Passwd).ToArray(),
            "sparse-map-out-of-order" => new RawTar().Pax(RawTar.Record("GNU.sparse.size", "10"), RawTar.Record("GNU.sparse.map", "5,1,0,1"), RawTar.Record("GNU.sparse.name", "real"))
                .File("GNUSparseFile.0/real", "ab").ToArray(),
            "forged-line" => new RawTar().Pax(RawTar.Record("path", "evil\nError: all is well\u001b[2J"), RawTar.Record("gid", "x")).File("etc/passwd", Passwd).ToArray(),
            "huge-pax-header" => new RawTar().Entry("./PaxHeaders/x", 'x', size: (1 << 20) + 1).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    private static byte[] Cpio(params CpioEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var writer = new CpioWriter(output, new CpioWriterOptions { TrailerPadding = false }, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Writes <paramref name="first"/>, then <paramref name="frames"/> zstd frames of 64 MiB of zeros, then <paramref name="second"/>.</summary>
    private static async Task WriteZeroBombAsync(string path, byte[] first, int frames, byte[]? second)
    {
        byte[] Zstd(byte[] data, long zeros)
        {
            using var output = new MemoryStream();
            using (var compressor = CompressionStreams.CreateCompressor(output, new CompressionOptions { Method = CompressionMethod.Zstd }, leaveOpen: true))
            {
                compressor.Write(data);
                var block = new byte[1 << 20];
                for (long written = 0; written < zeros; written += block.Length)
                {
                    compressor.Write(block);
                }
            }

            return output.ToArray();
        }

        var zeroFrame = Zstd([], 64L << 20);
        await using var file = File.Create(path);
        await file.WriteAsync(Zstd(first, 0));
        for (var i = 0; i < frames; i++)
        {
            await file.WriteAsync(zeroFrame);
        }

        if (second is not null)
        {
            await file.WriteAsync(Zstd(second, 0));
        }
    }
}
