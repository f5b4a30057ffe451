using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

public sealed class UnixMetadataProviderTests
{
    [Fact]
    public void For_RealFileSystemOnLinux_ReturnsLinuxProvider()
    {
        var provider = UnixMetadataProvider.For(new FileSystem());

        if (OperatingSystem.IsLinux())
        {
            provider.Should().BeOfType<LinuxUnixMetadataProvider>();
        }
        else
        {
            provider.Should().BeOfType<FileSystemUnixMetadataProvider>();
        }
    }

    [Fact]
    public void For_MockFileSystem_ReturnsFileSystemProvider()
    {
        UnixMetadataProvider.For(new MockFileSystem()).Should().BeOfType<FileSystemUnixMetadataProvider>();
    }

    [Fact]
    public void Default_IsTheProviderForTheRealFileSystem()
    {
        UnixMetadataProvider.Default.Should().BeOfType(UnixMetadataProvider.For(new FileSystem()).GetType());
        UnixMetadataProvider.Default.Should().BeSameAs(UnixMetadataProvider.Default);
    }

    [Fact]
    public void For_Null_ThrowsArgumentNull()
    {
        var act = () => UnixMetadataProvider.For(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("fileSystem");
    }
}
