using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>An output inside the tree being packed never packs itself: not its temp file, not the archive or checksum it replaces.</summary>
public sealed class RamdiskPackerOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RamdiskPackerOutputTests()
    {
        _root = _temp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.WriteAllText(Path.Combine(_root, "etc", "hostname"), "node01\n");
        File.WriteAllBytes(Path.Combine(_root, "big"), new byte[3 << 20]);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(ArchiveFormat.Cpio, "x.cpio")]
    [InlineData(ArchiveFormat.Tar, "etc/x.tar")]
    public async Task PackToFile_OutputInsideTheTree_IsLeftOutEvenOnTheSecondRun(ArchiveFormat format, string output)
    {
        var archive = Path.Combine(_root, output);
        var options = new RamdiskPackOptions { Format = format, Compression = new CompressionOptions { Method = CompressionMethod.None } };

        var first = await new RamdiskPacker().PackToFileAsync(_root, archive, options);
        (await NamesAsync(archive)).Should().BeEquivalentTo(".", "etc", "etc/hostname", "big");

        // Now x, x.sha256 and (while it is written) the temp file are in the tree too; the root is given through a symlink.
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, _root);
        var second = await new RamdiskPacker().PackToFileAsync(link, archive, options);

        (await NamesAsync(archive)).Should().BeEquivalentTo(".", "etc", "etc/hostname", "big");
        (second.Entries, second.ExcludedEntries).Should().Be((first.Entries, 0));
        second.ContentBytes.Should().Be(first.ContentBytes);
        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(archive)!, ".*").Should().BeEmpty("no temp file is left");
    }

    [Fact]
    public async Task Pack_ToAFileStreamInsideTheTree_LeavesItOut()
    {
        var archive = Path.Combine(_root, "out.cpio");
        await using (var stream = new FileStream(archive, FileMode.CreateNew, FileAccess.Write))
        {
            await new RamdiskPacker().PackAsync(_root, stream, new RamdiskPackOptions { Compression = new CompressionOptions { Method = CompressionMethod.None } });
        }

        (await NamesAsync(archive)).Should().BeEquivalentTo(".", "etc", "etc/hostname", "big");
    }

    [Fact]
    public async Task PackToFile_OutputIsADirectory_IsRefusedBeforeWriting()
    {
        var act = () => new RamdiskPacker().PackToFileAsync(_root, Path.Combine(_root, "etc"));

        (await act.Should().ThrowAsync<IOException>()).WithMessage("*etc' is a directory; give the archive's file name.");
        Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName).Should().BeEquivalentTo("etc", "big");
    }

    private static async Task<List<string>> NamesAsync(string archive)
    {
        var names = new List<string>();
        await using var stream = File.OpenRead(archive);
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(stream))
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
