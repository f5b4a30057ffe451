using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Tests.Compression;

public sealed class NativeLibraryTests
{
    [Fact]
    public void EnsureAvailable_LiblzmaMissing_ThrowsPlatformNotSupportedNamingPackage()
    {
        var act = () => Lzma.EnsureAvailable(() => throw new DllNotFoundException("liblzma.so.5: cannot open shared object file"));
        act.Should().Throw<PlatformNotSupportedException>()
            .WithMessage("*liblzma.so.5*liblzma5*").WithInnerException<DllNotFoundException>();
    }

    [Fact]
    public void EnsureAvailable_ZlibMissing_ThrowsPlatformNotSupportedNamingPackage()
    {
        var act = () => ZLib.EnsureAvailable(() => throw new EntryPointNotFoundException("crc32_combine64"));
        act.Should().Throw<PlatformNotSupportedException>().WithMessage("*libz.so.1*zlib1g*");
    }

    [Fact]
    public void EnsureAvailable_SystemLibraries_ArePresent()
    {
        ((Action)Lzma.EnsureAvailable).Should().NotThrow();
        ((Action)ZLib.EnsureAvailable).Should().NotThrow();
    }
}
