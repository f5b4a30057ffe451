using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>cpio cannot hold extended attributes: the pack result says how many entries lost them; tar loses none.</summary>
public sealed class RamdiskPackerDroppedAttributeTests : IDisposable
{
    private readonly string _root = Path.Combine(ExtendedAttributeOracle.FindSupportingDirectory(), "xcat-imaging-dropped-" + Guid.NewGuid().ToString("N"));

    public RamdiskPackerDroppedAttributeTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "tree", "bin"));
        File.WriteAllText(Path.Combine(_root, "tree", "bin", "ping"), "p");
        File.WriteAllText(Path.Combine(_root, "tree", "bin", "plain"), "q");
        ExtendedAttributeOracle.Write(Path.Combine(_root, "tree", "bin", "ping"), "user.capability", [1, 2]);
        ExtendedAttributeOracle.Write(Path.Combine(_root, "tree", "bin"), "user.dir", [3]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Cpio_CountsTheEntriesWhoseAttributesItDropped()
    {
        var result = await new RamdiskPacker().PackToFileAsync(Path.Combine(_root, "tree"), Path.Combine(_root, "x.cpio.gz"));

        result.EntriesWithDroppedExtendedAttributes.Should().Be(2);
    }

    [Fact]
    public async Task Tar_KeepsThemAndDropsNone()
    {
        var options = new RamdiskPackOptions { Format = ArchiveFormat.Tar };

        var result = await new RamdiskPacker().PackToFileAsync(Path.Combine(_root, "tree"), Path.Combine(_root, "x.tar.gz"), options);

        result.EntriesWithDroppedExtendedAttributes.Should().Be(0);
    }

    [Fact]
    public async Task RootThatIsAFile_IsSaidToBeAFile()
    {
        var file = Path.Combine(_root, "tree", "bin", "plain");

        var act = () => new RamdiskPacker().PackToFileAsync(file, Path.Combine(_root, "y.cpio.gz"));

        (await act.Should().ThrowAsync<IOException>()).Which.Should().NotBeOfType<DirectoryNotFoundException>()
            .And.Subject.As<IOException>().Message.Should().Be($"{file} is a file, not a directory; the root to pack must be a directory.");
    }
}
