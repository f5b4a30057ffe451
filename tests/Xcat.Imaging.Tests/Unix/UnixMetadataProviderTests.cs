using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using System.Runtime.Versioning;
using Xcat.Imaging.TestKit;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Tests.Unix;

public sealed class UnixMetadataProviderTests
{
    [LinuxFact]
    [SupportedOSPlatform("linux")]
    public void For_RealFileSystemOnLinux_ReturnsLinuxProvider()
    {
        var provider = UnixMetadataProvider.For(new FileSystem());

        provider.Should().BeOfType<LinuxUnixMetadataProvider>();
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
