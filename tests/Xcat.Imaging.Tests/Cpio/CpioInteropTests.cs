using System.Globalization;
using System.Runtime.Versioning;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.TestKit;
using static Xcat.Imaging.Tests.Cpio.CpioTestArchives;

namespace Xcat.Imaging.Tests.Cpio;

/// <summary>
/// Archive-level interop with GNU cpio 2.13 and bsdtar (libarchive): what they write we read, what we write they list
/// and extract. Expected values come from <c>stat</c> on the real tree, not from our own code.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Interop")]
public sealed class CpioInteropTests : IDisposable
{
    private const long TreeTime = 1_700_000_000;
    private const uint OwnerUid = 1234;
    private const uint OwnerGid = 5678;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("find . | cpio -o --quiet -H newc > {0}", CpioFormat.Newc, false)]
    [InlineData("find . | cpio -o --quiet -H crc > {0}", CpioFormat.Crc, true)]
    [InlineData("bsdtar --format newc -cf {0} .", CpioFormat.Newc, false)]
    [InlineData("find . | cpio -o --quiet -H odc > {0}", CpioFormat.Odc, false)]
    [InlineData("bsdtar --format odc -cf {0} .", CpioFormat.Odc, true)]
    public async Task GetNextEntry_ArchiveOfToolTree_MatchesStatOfTheTree(string command, CpioFormat format, bool async)
    {
        var tree = BuildTree("tree");
        var archive = _temp.Combine("tree.cpio");
        Run(string.Format(CultureInfo.InvariantCulture, command, archive), tree);
        var expected = StatTree(tree);

        var entries = new List<(CpioEntry Entry, byte[]? Data)>();
        await using (var reader = new CpioReader(new NonSeekableStream(File.OpenRead(archive), maxReadSize: 1000)))
        {
            while (await NextAsync(reader, async) is { } entry)
            {
                reader.Format.Should().Be(format);
                entries.Add((entry, entry.DataStream is { } s ? await ReadToEndAsync(s, async) : null));
            }
        }

        entries.Select(e => Normalize(e.Entry.Name)).Should().BeEquivalentTo(expected.Keys);
        foreach (var (entry, data) in entries)
        {
            var name = Normalize(entry.Name);
            var stat = expected[name];
            var path = Path.Combine(tree, name);
            entry.EntryType.Should().Be(stat.Type, name);
            entry.Mode.Should().Be(stat.Mode, name);
            (entry.Uid, entry.Gid).Should().Be((stat.Uid, stat.Gid), name);
            entry.ModificationTime.ToUnixTimeSeconds().Should().Be(stat.ModificationTime, name);
            if (entry.EntryType != CpioEntryType.Directory)
            {
                entry.LinkCount.Should().Be(stat.LinkCount, name);
            }

            switch (entry.EntryType)
            {
                case CpioEntryType.RegularFile when entry.IsHardLinked && entry.Length == 0:
                    break; // a member without the data; the group check below finds the one with it
                case CpioEntryType.RegularFile:
                    entry.Length.Should().Be(stat.Size, name);
                    data.Should().Equal(File.ReadAllBytes(path), name);
                    break;
                case CpioEntryType.SymbolicLink:
                    entry.LinkTarget.Should().Be(new FileInfo(path).LinkTarget, name);
                    break;
                case CpioEntryType.CharacterDevice or CpioEntryType.BlockDevice:
                    (entry.DeviceMajor, entry.DeviceMinor).Should().Be((stat.DeviceMajor, stat.DeviceMinor), name);
                    break;
            }
        }

        var group = entries.Where(e => e.Entry.IsHardLinked && e.Entry.EntryType == CpioEntryType.RegularFile).ToList();
        group.Select(e => Normalize(e.Entry.Name)).Should().BeEquivalentTo("hard-a", "dir/hard-b");
        group.Select(e => e.Entry.Inode).Distinct().Should().ContainSingle();
        if (format == CpioFormat.Odc)
        {
            // odc has no data-less members: GNU cpio and bsdtar write the data on every link.
            group.Should().AllSatisfy(e => e.Data.Should().Equal("shared\n"u8.ToArray()));
        }
        else
        {
            group.Where(e => e.Entry.Length > 0).Should().ContainSingle().Which.Data.Should().Equal("shared\n"u8.ToArray());
        }
    }

    [RootTheory] // mknod and chown need root
    [InlineData("find . | cpio -o --quiet -H newc")]
    [InlineData("find . | cpio -o --quiet -H odc")]
    [InlineData("bsdtar --format odc -cf - .")]
    public async Task GetNextEntry_ToolArchiveWithDeviceAndOwner_ReadsThem(string command)
    {
        var tree = BuildTree("tree");
        var archive = _temp.Combine("tree.cpio");
        Run($"{command} > {archive}", tree);

        var entries = await ReadAllAsync(File.OpenRead(archive), async: false);

        var console = entries.Should().ContainSingle(e => Normalize(e.Name) == "dev/console").Subject;
        (console.Type, console.DeviceMajor, console.DeviceMinor).Should().Be((CpioEntryType.CharacterDevice, TestCharMajor, TestCharMinor));
        var owned = entries.Should().ContainSingle(e => Normalize(e.Name) == "dir/file.txt").Subject;
        (owned.Uid, owned.Gid).Should().Be((OwnerUid, OwnerGid));
    }

    [Fact]
    public void GetNextEntry_TwoConcatenatedGnuArchives_ReadsBoth()
    {
        var first = BuildTree("first");
        Directory.CreateDirectory(_temp.Combine("second"));
        File.WriteAllText(_temp.Combine("second", "only-in-second"), "2");
        Run($"find . | cpio -o --quiet -H newc > {_temp.Combine("1.cpio")}", first);
        Run($"find . | cpio -o --quiet -H crc > {_temp.Combine("2.cpio")}", _temp.Combine("second"));
        Run("cat 1.cpio 2.cpio > both.cpio", _temp.Path);

        var entries = ReadAll(File.ReadAllBytes(_temp.Combine("both.cpio")));

        entries.Where(e => e.ArchiveIndex == 0).Select(e => Normalize(e.Name)).Should().BeEquivalentTo(StatTree(first).Keys);
        entries.Where(e => e.ArchiveIndex == 1).Select(e => Normalize(e.Name)).Should().Equal(".", "only-in-second");
        entries.Last().Data.Should().Be("32");
    }

    [Theory]
    [InlineData(CpioFormat.Newc, false)]
    [InlineData(CpioFormat.Crc, false)]
    [InlineData(CpioFormat.Newc, true)]
    public void WriteEntry_Archive_IsListedAndExtractedByGnuCpioAndBsdtar(CpioFormat format, bool dataOnFirstLink)
    {
        var archive = _temp.Combine("ours.cpio");
        using (var writer = new CpioWriter(File.Create(archive), format))
        {
            foreach (var entry in OurTree(dataOnFirstLink))
            {
                writer.WriteEntry(entry);
            }
        }

        var listing = Run($"cpio -itv < {archive}", _temp.Path);
        var bsdtar = Run($"bsdtar -tvf {archive}", _temp.Path);
        var target = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        Run($"cpio -idm --quiet --no-absolute-filenames < {archive}", target);

        var names = OurTree(dataOnFirstLink).Select(e => e.Name).ToList();
        foreach (var name in names)
        {
            listing.Should().Contain(name);
            bsdtar.Should().Contain(name);
        }

        listing.Should().MatchRegex(@"-rwsr-xr-x .* dir/setuid").And.MatchRegex(@"drwxrwxrwt .* sticky")
            .And.MatchRegex(@"lrwxrwxrwx .* dir/link -> file\.txt").And.MatchRegex(@"prw-r--r-- .* fifo");
        var stats = StatTree(target);
        stats.Keys.Should().BeEquivalentTo(names);
        foreach (var entry in OurTree(dataOnFirstLink).Where(e => e.Name != "."))
        {
            var stat = stats[entry.Name];
            var path = Path.Combine(target, entry.Name);
            stat.Type.Should().Be(entry.EntryType, entry.Name);
            if (entry.EntryType != CpioEntryType.SymbolicLink)
            {
                stat.Mode.Should().Be(entry.Mode, entry.Name);
            }

            if (entry.EntryType is not (CpioEntryType.SymbolicLink or CpioEntryType.Directory))
            {
                // GNU cpio 2.13 sets a directory's mtime before creating its children, which then change it.
                stat.ModificationTime.Should().Be(TreeTime, entry.Name);
            }

            if (entry.EntryType == CpioEntryType.SymbolicLink)
            {
                new FileInfo(path).LinkTarget.Should().Be(entry.LinkTarget, entry.Name);
            }
            else if (entry.EntryType == CpioEntryType.RegularFile && !entry.IsHardLinked)
            {
                File.ReadAllBytes(path).Should().Equal(((MemoryStream)entry.DataStream!).ToArray(), entry.Name);
            }
        }

        stats["hard-a"].Inode.Should().Be(stats["dir/hard-b"].Inode);
        stats["hard-a"].LinkCount.Should().Be(2);
        File.ReadAllText(Path.Combine(target, "hard-a")).Should().Be("shared\n");
    }

    /// <summary>
    /// A tree with every type GNU cpio and bsdtar archive: files (empty, big, set-uid), directories (sticky),
    /// symbolic links (dangling too), a hard-link pair, a FIFO, a non-ASCII name; as root also a character device and
    /// a file owned by someone else. Every mtime is <see cref="TreeTime"/>.
    /// </summary>
    private string BuildTree(string name)
    {
        var root = Directory.CreateDirectory(_temp.Combine(name)).FullName;
        string P(string relative) => Path.Combine(root, relative);
        Directory.CreateDirectory(P("dir"));
        Directory.CreateDirectory(P("sticky"));
        File.WriteAllText(P("dir/file.txt"), "hello\n");
        File.WriteAllBytes(P("dir/empty"), []);
        File.WriteAllBytes(P("dir/big.bin"), Bytes(100_003, 42));
        File.WriteAllText(P("dir/setuid"), "x");
        File.WriteAllText(P("unicode-ü.txt"), "ü\n");
        File.WriteAllText(P("hard-a"), "shared\n");
        File.CreateSymbolicLink(P("dir/link"), "file.txt");
        File.CreateSymbolicLink(P("dir/dangling"), "../nowhere/at/all");
        Run("ln hard-a dir/hard-b && mkfifo fifo", root);
        File.SetUnixFileMode(P("dir"), (UnixFileMode)0b111_101_000);
        File.SetUnixFileMode(P("sticky"), (UnixFileMode)0b1_111_111_111);
        File.SetUnixFileMode(P("dir/file.txt"), (UnixFileMode)0b110_100_000);
        File.SetUnixFileMode(P("dir/empty"), (UnixFileMode)0b110_000_000);
        File.SetUnixFileMode(P("dir/big.bin"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(P("dir/setuid"), (UnixFileMode)0b100_111_101_101);
        File.SetUnixFileMode(P("fifo"), (UnixFileMode)0b110_100_100);
        if (Environment.IsPrivilegedProcess)
        {
            Directory.CreateDirectory(P("dev"));
            Run($"mknod dev/console c {TestCharMajor} {TestCharMinor} && chown {OwnerUid}:{OwnerGid} dir/file.txt", root);
        }

        Run($"find . -exec touch -h -d @{TreeTime} {{}} +", root);
        return root;
    }

    /// <summary>The same kind of tree as entries for our writer, hard links GNU style unless <paramref name="dataOnFirstLink"/>.</summary>
    private static List<CpioEntry> OurTree(bool dataOnFirstLink)
    {
        CpioEntry Dir(string name, int mode, uint inode)
        {
            var entry = Entry(CpioEntryType.Directory, name, inode);
            entry.Mode = (UnixFileMode)mode;
            entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TreeTime);
            return entry;
        }

        CpioEntry Symlink(string name, string target, uint inode)
        {
            var entry = Entry(CpioEntryType.SymbolicLink, name, inode);
            entry.LinkTarget = target;
            entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TreeTime);
            return entry;
        }

        var shared = "shared\n"u8.ToArray();
        var fifo = Entry(CpioEntryType.Fifo, "fifo", 11);
        fifo.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(TreeTime);
        List<CpioEntry> entries =
        [
            Dir(".", 0b111_101_101, 1),
            Dir("dir", 0b111_101_000, 2),
            FileEntry("dir/file.txt", "hello\n"u8.ToArray(), 3, (UnixFileMode)0b110_100_000),
            FileEntry("dir/empty", [], 4, (UnixFileMode)0b110_000_000),
            FileEntry("dir/big.bin", Bytes(100_003, 42), 5, (UnixFileMode)0b111_101_101),
            FileEntry("dir/setuid", "x"u8.ToArray(), 6, (UnixFileMode)0b100_111_101_101),
            Symlink("dir/link", "file.txt", 7),
            Symlink("dir/dangling", "../nowhere/at/all", 8),
            FileEntry("hard-a", dataOnFirstLink ? shared : [], 9, linkCount: 2),
            FileEntry("dir/hard-b", dataOnFirstLink ? [] : shared, 9, linkCount: 2),
            fifo,
            Dir("sticky", 0b1_111_111_111, 12),
            FileEntry("unicode-ü.txt", "ü\n"u8.ToArray(), 13),
        ];
        return entries;
    }

    private static string Normalize(string name) => name == "." ? "." : name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name;

    private static Dictionary<string, StatLine> StatTree(string root)
    {
        var output = Run("find . -exec stat -c '%n|%F|%a|%s|%h|%i|%u|%g|%Y|%t|%T' {} +", root);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(StatLine.Parse).ToDictionary(s => Normalize(s.Name));
    }

    private static string Run(string command, string workingDirectory)
    {
        var result = ExternalTool.RunAsync("/bin/sh", ["-c", command], workingDirectory).GetAwaiter().GetResult();
        result.ExitCode.Should().Be(0, $"'{command}' failed: {result.StandardError}");
        return result.Output;
    }

    private sealed record StatLine(string Name, CpioEntryType Type, UnixFileMode Mode, long Size, uint LinkCount, ulong Inode,
        uint Uid, uint Gid, long ModificationTime, uint DeviceMajor, uint DeviceMinor)
    {
        internal static StatLine Parse(string line)
        {
            var f = line.Split('|');
            var type = f[1] switch
            {
                "regular file" or "regular empty file" => CpioEntryType.RegularFile,
                "directory" => CpioEntryType.Directory,
                "symbolic link" => CpioEntryType.SymbolicLink,
                "fifo" => CpioEntryType.Fifo,
                "character special file" => CpioEntryType.CharacterDevice,
                "block special file" => CpioEntryType.BlockDevice,
                "socket" => CpioEntryType.Socket,
                _ => throw new InvalidDataException(f[1]),
            };
            return new StatLine(f[0], type, (UnixFileMode)Convert.ToInt32(f[2], 8), long.Parse(f[3], CultureInfo.InvariantCulture),
                uint.Parse(f[4], CultureInfo.InvariantCulture), ulong.Parse(f[5], CultureInfo.InvariantCulture),
                uint.Parse(f[6], CultureInfo.InvariantCulture), uint.Parse(f[7], CultureInfo.InvariantCulture),
                long.Parse(f[8], CultureInfo.InvariantCulture), Convert.ToUInt32(f[9], 16), Convert.ToUInt32(f[10], 16));
        }
    }
}
