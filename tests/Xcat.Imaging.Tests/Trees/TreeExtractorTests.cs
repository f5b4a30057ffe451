using System.IO.Abstractions.TestingHelpers;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Trees;

[SupportedOSPlatform("linux")]
public sealed class TreeExtractorTests : IDisposable
{
    private static readonly DateTimeOffset s_time = new(2020, 2, 2, 2, 2, 2, TimeSpan.Zero);
    private static readonly UnixFileMode s_mode0644 = (UnixFileMode)Convert.ToInt32("644", 8);
    private readonly TempDirectory _temp = new();
    private readonly TreeWalker _walker = new();
    private readonly string _source;
    private readonly string _destination;
    private readonly string _outside;

    public TreeExtractorTests()
    {
        _source = _temp.Combine("source");
        _destination = _temp.Combine("destination");
        _outside = _temp.Combine("outside");
        Directory.CreateDirectory(_source);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "victim"), "untouched");
    }

    public void Dispose() => _temp.Dispose();

    private static TreeEntry File_(string name, string content = "", UnixFileMode? mode = null) => new()
    {
        Name = name,
        Type = UnixFileType.RegularFile,
        Mode = mode ?? s_mode0644,
        Length = System.Text.Encoding.UTF8.GetByteCount(content),
        ModificationTime = s_time,
    };

    private static TreeEntry Directory_(string name, UnixFileMode? mode = null) => new()
    {
        Name = name,
        Type = UnixFileType.Directory,
        Mode = mode ?? (UnixFileMode)Convert.ToInt32("755", 8),
        ModificationTime = s_time,
    };

    private static TreeEntry Symlink(string name, string target) => new()
    {
        Name = name,
        Type = UnixFileType.SymbolicLink,
        Mode = (UnixFileMode)Convert.ToInt32("777", 8),
        LinkTarget = target,
        ModificationTime = s_time,
    };

    private static MemoryStream Data(string content) => new(System.Text.Encoding.UTF8.GetBytes(content));

    private static async Task Extract(TreeExtractor extractor, TreeEntry entry, Stream? data, bool async)
    {
        if (async)
        {
            await extractor.ExtractAsync(entry, data);
        }
        else
        {
            extractor.Extract(entry, data);
        }
    }

    private static Task Extract(TreeExtractor extractor, TreeEntry entry, string content, bool async)
        => Extract(extractor, entry, Data(content), async);

    private async Task<(TreeExtractionResult Result, List<TreeEntry> Entries)> CopyTree(bool async, TreeWalkOptions? walk = null)
    {
        var extractor = new TreeExtractor(_destination);
        var entries = new List<TreeEntry>();
        foreach (var entry in _walker.Walk(_source, walk))
        {
            entries.Add(entry);
            using var data = entry.Length > 0 ? _walker.OpenRead(entry) : null;
            await Extract(extractor, entry, data, async);
        }

        return (extractor.Complete(), entries);
    }

    /// <summary>Nothing may appear next to the destination but the untouched outside directory.</summary>
    private void AssertNothingOutside()
    {
        Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Where(n => n != "destination").Should().BeEquivalentTo("source", "outside");
        Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName).Should().Equal("victim");
        File.ReadAllText(Path.Combine(_outside, "victim")).Should().Be("untouched");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false, HardLinkDataPlacement.Last)]
    [InlineData(true, HardLinkDataPlacement.Last)]
    [InlineData(false, HardLinkDataPlacement.First)]
    [InlineData(true, HardLinkDataPlacement.First)]
    public async Task Extract_WalkedSampleTree_RecreatesItCompletely(bool async, HardLinkDataPlacement placement)
    {
        var privileged = SampleTree.Create(_source);

        var (result, entries) = await CopyTree(async, new TreeWalkOptions { ReadExtendedAttributes = true, HardLinkData = placement });

        new TreeComparer(new TreeComparisonOptions { CompareExtendedAttributes = true }).AssertEqual(_source, _destination);
        result.Should().BeEquivalentTo(new TreeExtractionResult
        {
            Entries = entries.Count,
            Files = entries.Count(e => e.Type == UnixFileType.RegularFile) - 4,
            Directories = entries.Count(e => e.Type == UnixFileType.Directory),
            SymbolicLinks = 4,
            HardLinks = 4, // (3 - 1) + (2 - 1) + (2 - 1)
            Devices = privileged ? 3 : 0,
            SpecialFiles = 2,
            SkippedDevices = 0,
            Bytes = entries.Sum(e => e.Length),
        });
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_GroupWithDataOnFirstMember_LinksLaterMembers(bool async)
    {
        // bsdtar and the kernel's gen_init_cpio: data on the first member of the group.
        var extractor = new TreeExtractor(_destination);
        var first = File_("bin/busybox", "payload") with { Inode = 9, LinkCount = 3 };

        await Extract(extractor, first, "payload", async);
        await Extract(extractor, first with { Name = "sbin/init", Length = 0 }, (Stream?)null, async);
        await Extract(extractor, first with { Name = "usr/bin/sh", Length = 0 }, (Stream?)null, async);
        var result = extractor.Complete();

        var statuses = new[] { "bin/busybox", "sbin/init", "usr/bin/sh" }.Select(n => StatOracle.Read(Path.Combine(_destination, n))).ToList();
        statuses.Select(s => s.Inode).Distinct().Should().ContainSingle();
        statuses.Should().OnlyContain(s => s.LinkCount == 3 && s.Length == 7 && s.ModificationTime == s_time);
        File.ReadAllText(Path.Combine(_destination, "usr/bin/sh")).Should().Be("payload");
        (result.Files, result.HardLinks, result.Bytes).Should().Be((1, 2, 7));
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_GroupWithDataOnLastMember_LinksAndFillsTheSharedFile(bool async)
    {
        // GNU cpio: earlier members have length 0, the last one carries the data.
        var extractor = new TreeExtractor(_destination);
        var member = File_("a", string.Empty, (UnixFileMode)Convert.ToInt32("4755", 8)) with { Inode = 3, LinkCount = 3 };

        await Extract(extractor, member, (Stream?)null, async);
        await Extract(extractor, member with { Name = "b" }, (Stream?)null, async);
        await Extract(extractor, member with { Name = "c", Length = 4 }, "data", async);
        extractor.Complete();

        foreach (var name in new[] { "a", "b", "c" })
        {
            File.ReadAllText(Path.Combine(_destination, name)).Should().Be("data");
            var status = StatOracle.Read(Path.Combine(_destination, name));
            (status.LinkCount, status.Mode, status.ModificationTime).Should().Be((3u, (UnixFileMode)Convert.ToInt32("4755", 8), s_time));
        }
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_GroupMembersOfDifferentTypes_AreSeparateFiles()
    {
        // The kernel keys hard links on (inode, type) too.
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(File_("f", "x") with { Inode = 5, LinkCount = 2 }, Data("x"));
        extractor.Extract(Symlink("l", "f") with { Inode = 5, LinkCount = 2 });

        StatOracle.Read(Path.Combine(_destination, "l")).Type.Should().Be(UnixFileType.SymbolicLink);
        StatOracle.Read(Path.Combine(_destination, "f")).LinkCount.Should().Be(1);
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_HardLinkTarget_LinksToTheEarlierEntry(bool async)
    {
        var extractor = new TreeExtractor(_destination);

        await Extract(extractor, File_("usr/lib/libc.so.6", "elf"), "elf", async);
        await Extract(extractor, File_("usr/lib64/libc.so.6") with { HardLinkTarget = "./usr/lib/libc.so.6" }, (Stream?)null, async);
        var result = extractor.Complete();

        StatOracle.Read(Path.Combine(_destination, "usr/lib64/libc.so.6")).Inode
            .Should().Be(StatOracle.Read(Path.Combine(_destination, "usr/lib/libc.so.6")).Inode);
        (result.Files, result.HardLinks).Should().Be((1, 1));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("./../escape")]
    [InlineData("..")]
    [InlineData("a/b/../../../outside/victim")]
    public void Extract_DotDotName_ThrowsIOExceptionAndWritesNothing(string name)
    {
        var extractor = new TreeExtractor(_destination);

        var act = () => extractor.Extract(File_(name, "evil"), Data("evil"));

        act.Should().Throw<IOException>().WithMessage($"*'{name}'*..*");
        AssertNothingOutside();
        Directory.Exists(_destination).Should().BeFalse("nothing is created for a refused first entry");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_AbsoluteName_ThrowsIOExceptionAndWritesNothing(bool async)
    {
        var extractor = new TreeExtractor(_destination);
        var absolute = Path.Combine(_outside, "planted");

        var act = () => Extract(extractor, File_(absolute, "evil"), "evil", async);

        (await act.Should().ThrowAsync<IOException>()).WithMessage($"*'{absolute}'*absolute*");
        AssertNothingOutside();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_SymbolicLinkThenWriteThroughIt_ThrowsIOExceptionAndWritesNothingOutside(bool async)
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { Overwrite = true });
        await Extract(extractor, Symlink("escape", _outside), (Stream?)null, async);
        await Extract(extractor, Symlink("relative", "../outside"), (Stream?)null, async);

        foreach (var name in new[] { "escape/planted", "relative/planted", "escape/sub/planted", "relative/victim" })
        {
            var act = () => Extract(extractor, File_(name, "evil"), "evil", async);
            (await act.Should().ThrowAsync<IOException>()).WithMessage($"*'{name}'*SymbolicLink*");
        }

        var directory = () => Extract(extractor, Directory_("escape/dir"), (Stream?)null, async);
        (await directory.Should().ThrowAsync<IOException>()).WithMessage("*'escape/dir'*");
        AssertNothingOutside();
        new FileInfo(Path.Combine(_destination, "escape")).LinkTarget.Should().Be(_outside, "the link itself is kept");
    }

    [Fact]
    public void Extract_FileOverExistingSymbolicLink_WithoutOverwrite_ThrowsAndKeepsTheTarget()
    {
        // The link existed before the extraction (one the extraction created is a duplicate member and is replaced).
        Directory.CreateDirectory(_destination);
        File.CreateSymbolicLink(Path.Combine(_destination, "victim"), Path.Combine(_outside, "victim"));
        var extractor = new TreeExtractor(_destination);

        var act = () => extractor.Extract(File_("victim", "evil"), Data("evil"));

        act.Should().Throw<IOException>().WithMessage("*'victim'*already exists*Overwrite*");
        AssertNothingOutside();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_FileOverExistingSymbolicLink_WithOverwrite_ReplacesTheLinkNotTheTarget()
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { Overwrite = true });
        extractor.Extract(Symlink("victim", Path.Combine(_outside, "victim")));

        extractor.Extract(File_("victim", "mine"), Data("mine"));

        StatOracle.Read(Path.Combine(_destination, "victim")).Type.Should().Be(UnixFileType.RegularFile);
        File.ReadAllText(Path.Combine(_destination, "victim")).Should().Be("mine");
        AssertNothingOutside();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_DirectoryReplacedBySymbolicLink_CompleteDoesNotChmodThroughIt()
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { Overwrite = true });
        extractor.Extract(Directory_("d", (UnixFileMode)Convert.ToInt32("777", 8)));
        extractor.Extract(Symlink("d", _outside));
        var before = StatOracle.Read(_outside);

        extractor.Complete();

        StatOracle.Read(_outside).Should().Be(before);
        AssertNothingOutside();
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public void Extract_DirectoryOverExistingSymbolicLink_ReplacesTheLinkOnlyWithOverwrite(bool overwrite)
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { Overwrite = overwrite });
        extractor.Extract(Symlink("d", _outside));

        var act = () =>
        {
            extractor.Extract(Directory_("d", (UnixFileMode)Convert.ToInt32("700", 8)));
            extractor.Extract(File_("d/planted", "x"), Data("x"));
            extractor.Complete();
        };

        if (overwrite)
        {
            act();
            StatOracle.Read(Path.Combine(_destination, "d")).Type.Should().Be(UnixFileType.Directory);
            File.Exists(Path.Combine(_destination, "d/planted")).Should().BeTrue();
        }
        else
        {
            act.Should().Throw<IOException>().WithMessage("*'d'*already exists*");
        }

        AssertNothingOutside();
    }

    [Fact]
    public void Extract_NameBelowARegularFile_ThrowsIOException()
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(File_("etc", "not a directory"), Data("not a directory"));

        var act = () => extractor.Extract(File_("etc/passwd", "x"), Data("x"));

        act.Should().Throw<IOException>().WithMessage("*'etc/passwd'*'etc'*RegularFile*");
    }

    [Theory]
    [InlineData("../outside/victim", "..")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("escape/victim", "SymbolicLink")]
    [InlineData("not-yet", "not been extracted")]
    [InlineData("link-to-victim", "SymbolicLink")]
    [InlineData(".", "destination directory itself")]
    public void Extract_HostileHardLink_ThrowsIOExceptionNamingTheEntry(string target, string reason)
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(Symlink("escape", _outside));
        extractor.Extract(Symlink("link-to-victim", Path.Combine(_outside, "victim")));

        var act = () => extractor.Extract(File_("hardlink", "evil") with { HardLinkTarget = target }, Data("evil"));

        act.Should().Throw<IOException>().WithMessage($"*{reason}*");
        act.Should().Throw<IOException>().Which.Message.Should().Contain("hardlink");
        File.Exists(Path.Combine(_destination, "hardlink")).Should().BeFalse();
        AssertNothingOutside();
    }

    [Fact]
    public void Extract_ExistingFile_ThrowsUnlessOverwriteIsOn()
    {
        Directory.CreateDirectory(_destination);
        File.WriteAllText(Path.Combine(_destination, "f"), "old");

        var refuse = () => new TreeExtractor(_destination).Extract(File_("f", "new"), Data("new"));
        refuse.Should().Throw<IOException>().WithMessage("*'f'*already exists*");
        File.ReadAllText(Path.Combine(_destination, "f")).Should().Be("old");

        new TreeExtractor(_destination, new TreeExtractionOptions { Overwrite = true }).Extract(File_("f", "new"), Data("new"));
        File.ReadAllText(Path.Combine(_destination, "f")).Should().Be("new");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_ExistingDirectory_IsMergedAndItsMetadataApplied()
    {
        Directory.CreateDirectory(Path.Combine(_destination, "etc"));
        File.WriteAllText(Path.Combine(_destination, "etc/keep"), "keep");
        var extractor = new TreeExtractor(_destination);

        extractor.Extract(Directory_("etc", (UnixFileMode)Convert.ToInt32("700", 8)));
        extractor.Extract(File_("etc/new", "new"), Data("new"));
        extractor.Complete();

        Directory.GetFiles(Path.Combine(_destination, "etc")).Select(Path.GetFileName).Should().BeEquivalentTo("keep", "new");
        StatOracle.Read(Path.Combine(_destination, "etc")).Mode.Should().Be((UnixFileMode)Convert.ToInt32("700", 8));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Complete_DirectoryModesAndTimes_AreAppliedLastDeepestFirst()
    {
        var readOnly = (UnixFileMode)Convert.ToInt32("555", 8);
        var extractor = new TreeExtractor(_destination);

        extractor.Extract(Directory_(".", (UnixFileMode)Convert.ToInt32("750", 8)));
        extractor.Extract(Directory_("ro", readOnly));
        extractor.Extract(Directory_("ro/sub", readOnly) with { ModificationTime = s_time.AddDays(1) });
        extractor.Extract(File_("ro/sub/file", "x"), Data("x"));
        var before = StatOracle.Read(Path.Combine(_destination, "ro"));
        extractor.Complete();

        before.Mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "created owner-only until Complete");
        StatOracle.Read(Path.Combine(_destination, "ro")).Should().Match<UnixFileStatus>(s => s.Mode == readOnly && s.ModificationTime == s_time);
        StatOracle.Read(Path.Combine(_destination, "ro/sub")).ModificationTime.Should().Be(s_time.AddDays(1));
        StatOracle.Read(_destination).Mode.Should().Be((UnixFileMode)Convert.ToInt32("750", 8));
    }

    [Fact]
    public void Extract_MissingParents_AreCreated()
    {
        var extractor = new TreeExtractor(_destination);

        extractor.Extract(File_("a/b/c/file", "x"), Data("x"));
        var result = extractor.Complete();

        File.ReadAllText(Path.Combine(_destination, "a/b/c/file")).Should().Be("x");
        result.Directories.Should().Be(0, "implicit parents are not entries");
    }

    [RootFact]
    [Trait("Category", "Interop")]
    public void Extract_OwnersAndSpecialModes_AreAppliedInTheRightOrder()
    {
        var extractor = new TreeExtractor(_destination);
        var setuid = (UnixFileMode)Convert.ToInt32("6755", 8);

        extractor.Extract(File_("su", "x", setuid) with { Uid = SampleTree.TestUid, Gid = SampleTree.TestGid }, Data("x"));
        extractor.Extract(Symlink("link", "su") with { Uid = SampleTree.TestUid, Gid = SampleTree.TestGid });

        var su = StatOracle.Read(Path.Combine(_destination, "su"));
        (su.Uid, su.Gid, su.Mode).Should().Be((SampleTree.TestUid, SampleTree.TestGid, setuid));
        var link = StatOracle.Read(Path.Combine(_destination, "link"));
        (link.Uid, link.Gid, link.ModificationTime).Should().Be((SampleTree.TestUid, SampleTree.TestGid, s_time));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_PreserveOwnershipOff_KeepsTheExtractingUser()
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { PreserveOwnership = false });

        extractor.Extract(File_("f", "x") with { Uid = SampleTree.TestUid, Gid = SampleTree.TestGid }, Data("x"));

        StatOracle.Read(Path.Combine(_destination, "f")).Uid.Should().Be(StatOracle.Read(_destination).Uid).And.NotBe(SampleTree.TestUid);
    }

    [Fact]
    public void Extract_DeviceWithoutPrivilege_IsSkippedWithAWarning()
    {
        var logger = new FakeLogger<TreeExtractor>();
        var extractor = new TreeExtractor(_destination, metadata: new NoMknodWriter(), logger: logger);
        var console = new TreeEntry
        {
            Name = "dev/console", Type = UnixFileType.CharacterDevice, Mode = s_mode0644, DeviceMajor = 5, DeviceMinor = 1,
            Inode = 4, LinkCount = 2,
        };

        extractor.Extract(console);
        extractor.Extract(console with { Name = "dev/console-link" });
        extractor.Extract(File_("etc/motd", "hi"), Data("hi"));
        var result = extractor.Complete();

        (result.Entries, result.SkippedDevices, result.Devices, result.Files).Should().Be((3, 2, 0, 1));
        Directory.GetFileSystemEntries(Path.Combine(_destination, "dev")).Should().BeEmpty();
        var warnings = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        warnings.Should().HaveCount(2).And.OnlyContain(r => r.Id.Id == 5121);
        warnings[0].Message.Should().Contain("dev/console").And.Contain("CharacterDevice");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_DataShorterThanLength_ThrowsInvalidData(bool async)
    {
        var extractor = new TreeExtractor(_destination);

        var act = () => Extract(extractor, File_("f", "0123456789"), "0123", async);

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*'f'*4 of 10*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extract_ReadsExactlyLengthBytes(bool async)
    {
        var extractor = new TreeExtractor(_destination);
        using var data = Data("abcdef");

        await Extract(extractor, File_("f", "abc"), data, async);

        File.ReadAllText(Path.Combine(_destination, "f")).Should().Be("abc");
        data.Position.Should().Be(3);
    }

    [Fact]
    public async Task ExtractAsync_Cancelled_ThrowsOperationCanceled()
    {
        var extractor = new TreeExtractor(_destination);

        var act = () => extractor.ExtractAsync(File_("f", "x"), Data("x"), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Extract_MissingData_ThrowsArgumentExceptionForData()
    {
        var act = () => new TreeExtractor(_destination).Extract(File_("f", "x"));

        act.Should().Throw<ArgumentException>().WithParameterName("data");
    }

    [Fact]
    public void Extract_InconsistentEntries_ThrowArgumentExceptionForEntry()
    {
        var extractor = new TreeExtractor(_destination);

        foreach (var entry in new[]
        {
            Symlink("l", string.Empty),
            Directory_("d") with { Length = 3 },
            File_("f") with { Length = -1 },
            Directory_("d") with { HardLinkTarget = "x" },
            File_(string.Empty),
        })
        {
            var act = () => extractor.Extract(entry, Data("abc"));
            act.Should().Throw<ArgumentException>().WithParameterName("entry");
        }
    }

    [Fact]
    public void Extract_RootThatIsNotADirectory_ThrowsIOException()
    {
        var act = () => new TreeExtractor(_destination).Extract(Symlink(".", "/"));

        act.Should().Throw<IOException>().WithMessage("*'.'*destination itself*");
    }

    [Fact]
    public void Extract_AfterComplete_ThrowsInvalidOperation()
    {
        var extractor = new TreeExtractor(_destination);
        var result = extractor.Complete();

        var act = () => extractor.Extract(File_("f"));

        act.Should().Throw<InvalidOperationException>();
        extractor.Complete().Should().BeSameAs(result);
    }

    [Fact]
    public void Constructor_EmptyDestination_ThrowsArgumentException()
    {
        var act = () => new TreeExtractor(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("destinationDirectory");
    }

    [Fact]
    public void Extract_MockFileSystem_CreatesWhatItCanAndLogsOwners()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.AddFile("/target/file", new MockFileData("t"));
        var logger = new FakeLogger<TreeExtractor>();
        var extractor = new TreeExtractor("/dest", new TreeExtractionOptions { PreserveOwnership = true }, fileSystem, logger: logger);

        extractor.Extract(Directory_("etc", (UnixFileMode)Convert.ToInt32("700", 8)));
        extractor.Extract(File_("etc/hostname", "node01") with { Uid = 7 }, Data("node01"));
        extractor.Extract(Symlink("lib", "/target/file"));
        extractor.Extract(new TreeEntry { Name = "run/fifo", Type = UnixFileType.Fifo, Mode = s_mode0644 });
        var result = extractor.Complete();

        fileSystem.File.ReadAllText("/dest/etc/hostname").Should().Be("node01");
        fileSystem.File.GetUnixFileMode("/dest/etc").Should().Be((UnixFileMode)Convert.ToInt32("700", 8));
        fileSystem.File.GetLastWriteTimeUtc("/dest/etc/hostname").Should().Be(s_time.UtcDateTime);
        fileSystem.FileInfo.New("/dest/lib").LinkTarget.Should().Be("/target/file");
        (result.Files, result.SymbolicLinks, result.SkippedDevices).Should().Be((1, 1, 1));
        logger.Collector.GetSnapshot().Select(r => r.Id.Id).Should().Contain([5122, 5121]);
    }

    /// <summary>The real writer, except that mknod is refused as for an unprivileged process.</summary>
    private sealed class NoMknodWriter : IUnixMetadataWriter
    {
        private readonly LinuxUnixMetadataProvider _inner = LinuxUnixMetadataProvider.Instance;

        public void CreateDevice(string path, UnixFileType type, UnixFileMode mode, uint major, uint minor)
            => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied (mknod: Operation not permitted).");

        public UnixFileStatus GetStatus(string path) => _inner.GetStatus(path);

        public bool TryGetStatus(string path, out UnixFileStatus status) => _inner.TryGetStatus(path, out status);

        public string? GetSymbolicLinkTarget(string path) => _inner.GetSymbolicLinkTarget(path);

        public IReadOnlyDictionary<string, byte[]> GetExtendedAttributes(string path) => _inner.GetExtendedAttributes(path);

        public void CreateFifo(string path, UnixFileMode mode) => _inner.CreateFifo(path, mode);

        public void CreateSocket(string path, UnixFileMode mode) => _inner.CreateSocket(path, mode);

        public void CreateHardLink(string existingPath, string newPath) => _inner.CreateHardLink(existingPath, newPath);

        public void SetOwner(string path, uint uid, uint gid) => _inner.SetOwner(path, uid, gid);

        public void SetMode(string path, UnixFileMode mode) => _inner.SetMode(path, mode);

        public void SetModificationTime(string path, DateTimeOffset time) => _inner.SetModificationTime(path, time);

        public void SetExtendedAttribute(string path, string name, ReadOnlySpan<byte> value) => _inner.SetExtendedAttribute(path, name, value);

        public IReadOnlyList<string> GetDirectoryEntries(string path) => _inner.GetDirectoryEntries(path);

        public Stream OpenRead(string path) => _inner.OpenRead(path);

        public void CreateDirectory(string path, UnixFileMode mode) => _inner.CreateDirectory(path, mode);

        public void CreateSymbolicLink(string path, string target) => _inner.CreateSymbolicLink(path, target);

        public Stream OpenWrite(string path, FileMode mode, UnixFileMode createMode) => _inner.OpenWrite(path, mode, createMode);

        public void Delete(string path) => _inner.Delete(path);
    }
}
