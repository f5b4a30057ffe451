using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Trees;

/// <summary>
/// Every refusal names the entry (escaped: no control character reaches a message), what Linux cannot do is a
/// warning as in GNU tar, and tar hard links take the type of what they name.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait("Category", "Interop")]
public sealed class TreeExtractorMessageTests : IDisposable
{
    private static readonly DateTimeOffset s_time = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly string _destination;
    private readonly string _outside;
    private readonly TreeSnapshot _outsideBefore;

    public TreeExtractorMessageTests()
    {
        _destination = _temp.Combine("destination");
        _outside = _temp.Combine("outside");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "victim"), "untouched");
        File.SetUnixFileMode(Path.Combine(_outside, "victim"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _outsideBefore = TreeSnapshot.Capture(_outside);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unpack_UserAttributeOnASymbolicLink_WarnsAndGoesOn()
    {
        var archive = new RawTar()
            .Pax(RawTar.Record("SCHILY.xattr.user.note", "on a file"))
            .File("a", "data")
            .Pax(RawTar.Record("SCHILY.xattr.user.note", "on a link"))
            .Symlink("link", "a")
            .Pax(RawTar.Record("SCHILY.xattr.user.note", "on a fifo"))
            .Entry("fifo", '6')
            .File("b", "after")
            .ToArray();
        var logger = new FakeLogger<TreeExtractor>();
        using var factory = new SingleLoggerFactory(logger);

        var result = await new RamdiskUnpacker(loggerFactory: factory).ExtractAsync(new MemoryStream(archive), _destination);

        result.Entries.Should().Be(4);
        File.ReadAllText(Path.Combine(_destination, "b")).Should().Be("after");
        new FileInfo(Path.Combine(_destination, "link")).LinkTarget.Should().Be("a");
        (await ExternalTool.RunAsync("getfattr", ["-n", "user.note", "--only-values", Path.Combine(_destination, "a")])).Output.Should().Be("on a file");
        var warnings = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        warnings.Select(r => r.Id.Id).Should().Equal(5127, 5127);
        warnings[0].Message.Should().Contain("user.note").And.Contain("SymbolicLink link").And.Contain("as GNU tar does");
        warnings[1].Message.Should().Contain("Fifo fifo");
    }

    [Fact]
    public void Extract_TarHardLinkToASymbolicLink_LinksTheLinkAndChangesNothingItPointsTo()
    {
        var extractor = new TreeExtractor(_destination, new TreeExtractionOptions { PreserveOwnership = false });
        extractor.Extract(Symlink("out", Path.Combine(_outside, "victim")));

        extractor.Extract(new TreeEntry
        {
            Name = "out-again", Type = UnixFileType.RegularFile, HardLinkTarget = "out", Mode = (UnixFileMode)0b111_111_111, ModificationTime = s_time,
        });
        var result = extractor.Complete();

        result.HardLinks.Should().Be(1);
        var first = StatOracle.Read(Path.Combine(_destination, "out"));
        var second = StatOracle.Read(Path.Combine(_destination, "out-again"));
        second.Type.Should().Be(UnixFileType.SymbolicLink);
        (second.Inode, second.LinkCount).Should().Be((first.Inode, 2u));
        new TreeComparer().AssertEqual(_outsideBefore, TreeSnapshot.Capture(_outside));
    }

    [Fact]
    public void Extract_TarHardLinkToAFifo_LinksTheFifo()
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(new TreeEntry { Name = "p", Type = UnixFileType.Fifo, Mode = UnixFileMode.UserRead, ModificationTime = s_time });

        extractor.Extract(new TreeEntry { Name = "q", Type = UnixFileType.RegularFile, HardLinkTarget = "p", Mode = UnixFileMode.UserRead, ModificationTime = s_time });

        StatOracle.Read(Path.Combine(_destination, "q")).Should().Be(StatOracle.Read(Path.Combine(_destination, "p")));
    }

    [Fact]
    public void Extract_HardLinkToADirectory_IsRefusedSayingSo()
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(new TreeEntry { Name = "d", Type = UnixFileType.Directory, Mode = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite });

        var act = () => extractor.Extract(new TreeEntry { Name = "h", Type = UnixFileType.RegularFile, HardLinkTarget = "d" });

        act.Should().Throw<IOException>().WithMessage("The hard link 'h' points to 'd', which is a directory; a directory cannot be hard-linked.");
        File.Exists(Path.Combine(_destination, "h")).Should().BeFalse();
    }

    [Theory]
    [InlineData("../\n\u001b[31mError: forged", "*'../\\n\\033[31mError: forged'*'..' component*")]
    [InlineData("/abs\tname", "*'/abs\\tname' is an absolute path*")]
    [InlineData("a\u009b2J/b", "*'a\\302\\2332J/b'*")]
    public void Extract_RefusedNameWithControlCharacters_IsEscapedInTheMessage(string name, string message)
    {
        var extractor = new TreeExtractor(_destination);
        if (name.StartsWith('a'))
        {
            extractor.Extract(new TreeEntry { Name = name[..^2], Type = UnixFileType.RegularFile });
        }

        var act = () => extractor.Extract(new TreeEntry { Name = name, Type = UnixFileType.RegularFile });

        act.Should().Throw<IOException>().WithMessage(message).Which.Message.Should().NotContainAny("\n", "\u001b", "\u009b", "\t");
    }

    [Fact]
    public void Extract_FileSystemError_IsWrappedNamingTheEntry()
    {
        var extractor = new TreeExtractor(_destination);
        var name = "dir/" + new string('n', 300) + "\n";

        var act = () => extractor.Extract(new TreeEntry { Name = name, Type = UnixFileType.RegularFile });

        var thrown = act.Should().Throw<IOException>().Which;
        thrown.Message.Should().StartWith($"Extracting 'dir/{new string('n', 300)}\\n' failed: ").And.NotContain("\n");
        thrown.InnerException.Should().NotBeNull();
    }

    [Fact]
    public async Task Unpack_EmptySymbolicLinkTarget_IsRefusedNamingTheMember()
    {
        var archive = new RawTar().Directory("etc").Symlink("etc/empty", "").ToArray();

        var act = () => new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), _destination);

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("The tar member 'etc/empty' (header at offset 512) is a symbolic link with an empty target.");
        File.Exists(Path.Combine(_destination, "etc", "empty")).Should().BeFalse();
    }

    [Fact]
    public async Task Unpack_EmptyAttributeName_IsRefusedNamingTheMember()
    {
        var archive = new RawTar().Pax(RawTar.Record("SCHILY.xattr.", "x")).File("f", "data").ToArray();

        var act = () => new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), _destination);

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*'f'*attribute name is empty*").Which.Message.Should().NotContain("cannot be an empty string");
    }

    [Fact]
    public async Task Unpack_MtimeBeyondYear9999_IsRefusedNamingTheMember()
    {
        var archive = new RawTar().Pax(RawTar.Record("mtime", "999999999999999")).File("f", "data").ToArray();

        var act = () => new RamdiskUnpacker().ExtractAsync(new MemoryStream(archive), _destination);

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*'f'*PAX mtime of 999999999999999 seconds, out of range*")
            .Which.Message.Should().NotContain("Valid values are between");
    }

    private static TreeEntry Symlink(string name, string target) => new()
    {
        Name = name,
        Type = UnixFileType.SymbolicLink,
        Mode = (UnixFileMode)0b111_111_111,
        LinkTarget = target,
        ModificationTime = s_time,
    };

    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => categoryName.EndsWith(nameof(TreeExtractor), StringComparison.Ordinal) ? logger : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
