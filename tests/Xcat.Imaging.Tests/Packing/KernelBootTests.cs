using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>The packed image boots a real Debian kernel under qemu as its initramfs.</summary>
public sealed class KernelBootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(CompressionMethod.Gzip, 2, "libdeflate")]
    [InlineData(CompressionMethod.Gzip, 2, "zlib")]
    [InlineData(CompressionMethod.Zstd, 2, "auto")]
    [InlineData(CompressionMethod.Xz, 2, "auto")]
    public async Task PackedRamdisk_BootsUnderQemu(CompressionMethod method, int threads, string engine)
    {
        var root = _temp.Combine("rootimg");
        KernelBoot.WriteMinimalRoot(root, "echo files: $(/bin/busybox find / -xdev | /bin/busybox wc -l)\n");
        var archive = _temp.Combine("rootimg.cpio");

        // Small chunks: the busybox binary alone spans dozens of parallel gzip chunks, all in one member.
        await new RamdiskPacker().PackToFileAsync(root, archive, new RamdiskPackOptions
        {
            Compression = new CompressionOptions
            {
                Method = method, Threads = threads, ChunkSize = CompressionOptions.MinimumChunkSize,
                Engine = Enum.Parse<GzipEngine>(engine, ignoreCase: true),
            },
        });

        var console = await KernelBoot.BootAsync(archive);

        console.Should().Contain(KernelBoot.Marker).And.NotContain("junk at the end").And.NotContain("Kernel panic");
    }
}
