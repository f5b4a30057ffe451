using System.Runtime.Versioning;
using System.Text;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Trees;

/// <summary>
/// Duplicate members (<c>tar -r</c>): a later non-directory replaces a non-directory the same extraction created,
/// as GNU tar and bsdtar do, without Overwrite; replacing a directory, or writing through what replaced something,
/// stays refused; what existed before the extraction keeps Overwrite's meaning.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TreeExtractorDuplicateTests : IDisposable
{
    private static readonly DateTimeOffset s_time = new(2020, 2, 2, 2, 2, 2, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly string _destination;
    private readonly string _outside;

    public TreeExtractorDuplicateTests()
    {
        _destination = _temp.Combine("destination");
        _outside = _temp.Combine("outside");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "victim"), "untouched");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public void Extract_LaterFileOfTheSameName_ReplacesTheEarlierOne(bool destinationHeldSomething)
    {
        if (destinationHeldSomething)
        {
            Directory.CreateDirectory(_destination);
            File.WriteAllText(Path.Combine(_destination, "unrelated"), "before");
        }

        var extractor = new TreeExtractor(_destination);
        extractor.Extract(File_("f", "first"), Data("first"));
        extractor.Extract(File_("f", "second, longer"), Data("second, longer"));
        extractor.Extract(Symlink("l", "f"));
        extractor.Extract(File_("l", "now a file"), Data("now a file"));
        extractor.Extract(File_("s", "was a file"), Data("was a file"));
        extractor.Extract(Symlink("s", "f"));
        extractor.Complete();

        File.ReadAllText(Path.Combine(_destination, "f")).Should().Be("second, longer");
        StatOracle.Read(Path.Combine(_destination, "l")).Type.Should().Be(UnixFileType.RegularFile);
        new FileInfo(Path.Combine(_destination, "s")).LinkTarget.Should().Be("f");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public void Extract_DuplicateDirectory_MergesAndTakesTheLaterMetadata()
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(Directory_("d", "700"));
        extractor.Extract(File_("d/f", "x"), Data("x"));
        extractor.Extract(Directory_("d", "751"));
        extractor.Complete();

        StatOracle.Read(Path.Combine(_destination, "d")).Mode.Should().Be((UnixFileMode)Convert.ToInt32("751", 8));
        File.ReadAllText(Path.Combine(_destination, "d", "f")).Should().Be("x");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public void Extract_DirectoryReplacedByANonDirectory_IsRefused(bool symbolicLink)
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(Directory_("d", "755"));

        var act = () => extractor.Extract(symbolicLink ? Symlink("d", _outside) : File_("d", "x"), symbolicLink ? null : Data("x"));

        act.Should().Throw<IOException>().WithMessage("*'d'*already exists in the destination as a Directory; set Overwrite to replace it.");
        StatOracle.Read(Path.Combine(_destination, "d")).Type.Should().Be(UnixFileType.Directory);
        AssertNothingOutside();
    }

    [Fact]
    public void Extract_WriteBelowALinkThatReplacedAFile_IsRefused()
    {
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(File_("a", "x"), Data("x"));
        extractor.Extract(Symlink("a", _outside));

        var act = () => extractor.Extract(File_("a/victim", "evil"), Data("evil"));

        act.Should().Throw<IOException>().WithMessage("*'a/victim'*would be written through 'a'*SymbolicLink*");
        AssertNothingOutside();
    }

    [Fact]
    public void Extract_FileThatExistedBefore_StaysRefusedWithoutOverwrite_EvenAfterAnotherOfOurs()
    {
        Directory.CreateDirectory(_destination);
        File.WriteAllText(Path.Combine(_destination, "old"), "before");
        var extractor = new TreeExtractor(_destination);
        extractor.Extract(File_("new", "x"), Data("x"));

        var act = () => extractor.Extract(File_("old", "after"), Data("after"));

        act.Should().Throw<IOException>().WithMessage("*'old'*already exists*set Overwrite*");
        File.ReadAllText(Path.Combine(_destination, "old")).Should().Be("before");
    }

    private void AssertNothingOutside()
    {
        Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName).Should().Equal("victim");
        File.ReadAllText(Path.Combine(_outside, "victim")).Should().Be("untouched");
    }

    private static TreeEntry File_(string name, string content) => new()
    {
        Name = name,
        Type = UnixFileType.RegularFile,
        Mode = (UnixFileMode)Convert.ToInt32("644", 8),
        Length = Encoding.UTF8.GetByteCount(content),
        ModificationTime = s_time,
    };

    private static TreeEntry Directory_(string name, string mode) => new()
    {
        Name = name,
        Type = UnixFileType.Directory,
        Mode = (UnixFileMode)Convert.ToInt32(mode, 8),
        ModificationTime = s_time,
    };

    private static TreeEntry Symlink(string name, string target) => new()
    {
        Name = name,
        Type = UnixFileType.SymbolicLink,
        LinkTarget = target,
        ModificationTime = s_time,
    };

    private static MemoryStream Data(string content) => new(Encoding.UTF8.GetBytes(content));
}
