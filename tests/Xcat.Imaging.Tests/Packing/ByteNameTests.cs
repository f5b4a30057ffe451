using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>
/// Linux names are bytes: a tree whose names are not UTF-8 is walked, packed, unpacked and listed byte for byte, and
/// GNU cpio and GNU tar agree with us in both directions. The trees are compared by host tools (find, stat, sha256sum).
/// </summary>
[Trait("Category", "Interop")]
public sealed class ByteNameTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public ByteNameTests()
    {
        _root = _temp.Combine("rootimg");
        Directory.CreateDirectory(_root);
        ByteNameTree.Create(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Oracle_SeesEveryByteName()
    {
        var names = TreeSnapshot.Capture(_root).Entries.Keys.ToList();

        names.Should().Contain(ByteNameTree.TopFiles).And.Contain($"{ByteNameTree.DirectoryName}/{ByteNameTree.NestedFile}");
        names.Should().HaveCount(ByteNameTree.TopFiles.Count + 7);
    }

    [Fact]
    public void Walk_ListsEveryName_InLcAllCSortOrder_WithTargetsAsBytes()
    {
        var entries = new TreeWalker().Walk(_root, new TreeWalkOptions { IncludeRoot = false }).ToList();

        var expected = HostCommand.Run("sh", "-c", "cd \"$1\" && find . -mindepth 1 -print0 | LC_ALL=C sort -z", "sh", _root)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(name => name[2..]);
        entries.Select(entry => entry.Name).Should().Equal(expected);
        entries.Single(entry => entry.Name == UnixNameEncoding.GetString([.. "link-"u8, 0xe9]))
            .LinkTarget.Should().Be(ByteNameTree.TopFiles[0]);
    }

    [Theory]
    [InlineData(ArchiveFormat.Cpio, CompressionMethod.Gzip, "gzip -dc '{0}' | cpio -idm --quiet --no-absolute-filenames")]
    [InlineData(ArchiveFormat.Cpio, CompressionMethod.None, "cpio -idm --quiet --no-absolute-filenames < '{0}'")]
    [InlineData(ArchiveFormat.Tar, CompressionMethod.Zstd, "tar --zstd -xpf '{0}' --numeric-owner")]
    public async Task Pack_GnuToolsExtractTheSameNames(ArchiveFormat format, CompressionMethod method, string extract)
    {
        var archive = _temp.Combine("rootimg.out");
        await new RamdiskPacker().PackToFileAsync(_root, archive,
            new RamdiskPackOptions { Format = format, Compression = new CompressionOptions { Method = method } });

        var dest = _temp.Combine("gnu");
        Directory.CreateDirectory(dest);
        (await ExternalTool.ShellAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, extract, archive), dest)).EnsureSuccess();
        new TreeComparer(format == ArchiveFormat.Cpio ? ComparisonPresets.GnuCpio() : ComparisonPresets.Seconds()).AssertEqual(_root, dest);
    }

    [Theory]
    [InlineData("find . | cpio -o --quiet -H newc > '{0}'")]
    [InlineData("tar --format=posix -cf '{0}' .")]
    [InlineData("tar --format=gnu -cf '{0}' .")]
    [InlineData("tar --format=ustar -cf '{0}' .")]
    public async Task Unpack_ArchivesGnuToolsWrote_KeepEveryNameByte(string create)
    {
        var archive = _temp.Combine("gnu.archive");
        (await ExternalTool.ShellAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, create, archive), _root)).EnsureSuccess();

        var dest = _temp.Combine("ours");
        await new RamdiskUnpacker().ExtractAsync(archive, dest);

        new TreeComparer(create.StartsWith("find", StringComparison.Ordinal) ? ComparisonPresets.GnuCpio() : ComparisonPresets.Seconds())
            .AssertEqual(_root, dest);
    }

    [Theory]
    [InlineData(ArchiveFormat.Cpio)]
    [InlineData(ArchiveFormat.Tar)]
    public async Task PackThenUnpack_RestoresTheTree_AndListsNamesEscaped(ArchiveFormat format)
    {
        var archive = _temp.Combine("rootimg.gz");
        await new RamdiskPacker().PackToFileAsync(_root, archive, new RamdiskPackOptions { Format = format });

        var dest = _temp.Combine("ours");
        var result = await new RamdiskUnpacker().ExtractAsync(archive, dest);

        result.Entries.Should().Be(ByteNameTree.TopFiles.Count + 7);
        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual(_root, dest);

        await using var stream = File.OpenRead(archive);
        var listed = new List<string>();
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(stream))
        {
            listed.Add(DisplayText.Escape(entry.Name));
        }

        listed.Should().Contain(@"caf\351").And.Contain("café").And.Contain(@"\306\374\313\334/\244\242");
    }

    [Fact]
    public async Task Unpack_IntoATreeThatHoldsTheNames_RefusesWithTheNameEscaped()
    {
        var archive = _temp.Combine("rootimg.cpio");
        await new RamdiskPacker().PackToFileAsync(_root, archive, new RamdiskPackOptions { Compression = new CompressionOptions { Method = CompressionMethod.None } });

        var act = () => new RamdiskUnpacker().ExtractAsync(archive, _root);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().MatchRegex(@"'(caf\\351|café|[^']*\\[0-7]{3}[^']*)' already exists");
    }

    [Fact]
    public void DeleteTree_RemovesNamesThatDirectoryDeleteCannot()
    {
        UnixMetadataProvider.Default.DeleteTree(_root);

        Directory.Exists(_root).Should().BeFalse();
    }
}
