using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>
/// The packer and unpacker given only a file system derive their metadata seam from it: a tree that exists only in a
/// <see cref="MockFileSystem"/> is packed from there, and an archive is extracted there, never to the real disk.
/// </summary>
public sealed class InjectedFileSystemTests
{
    private readonly string _root = $"/xcat-imaging-mock-{Guid.NewGuid():N}";

    [Fact]
    public async Task PackAndUnpack_OnAMockFileSystem_TouchOnlyIt()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.AddFile($"{_root}/rootimg/etc/hostname", new MockFileData("compute\n"));
        fileSystem.AddFile($"{_root}/rootimg/bin/tool", new MockFileData([1, 2, 3]));
        var options = new RamdiskPackOptions { Compression = new CompressionOptions { Method = CompressionMethod.None } };

        var packed = await new RamdiskPacker(fileSystem).PackToFileAsync($"{_root}/rootimg", $"{_root}/rootimg.cpio", options);
        var extracted = await new RamdiskUnpacker(fileSystem).ExtractAsync($"{_root}/rootimg.cpio", $"{_root}/unpacked");

        packed.Entries.Should().Be(5, "the root, two directories and two files, all read from the mock");
        extracted.Entries.Should().Be(5);
        fileSystem.File.ReadAllText($"{_root}/unpacked/etc/hostname").Should().Be("compute\n");
        fileSystem.File.ReadAllBytes($"{_root}/unpacked/bin/tool").Should().Equal(1, 2, 3);
        Directory.Exists(_root).Should().BeFalse("nothing reaches the real disk");
    }
}
