using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Packing;

/// <summary>The packed image boots a real Debian kernel under qemu as its initramfs.</summary>
[Trait("Category", "Boot")]
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

    [Fact]
    public async Task RamdiskWithNamesThatAreNotUtf8_BootsAndTheKernelSeesEveryNameByte()
    {
        var root = _temp.Combine("rootimg");
        const string Digests = """
            cd /names
            echo "NAMES $(busybox find . | busybox sort | busybox sha256sum)"
            echo "DATA $(busybox find . -type f | busybox sort | while read -r f; do busybox cat "$f"; done | busybox sha256sum)"
            echo "TARGET $(busybox readlink "link-$(printf '\351')" | busybox od -An -tx1)"
            cd /

            """;
        KernelBoot.WriteMinimalRoot(root, Digests.Replace("busybox ", "/bin/busybox ", StringComparison.Ordinal));
        Directory.CreateDirectory($"{root}/names");
        ByteNameTree.Create($"{root}/names");
        var archive = _temp.Combine("rootimg.cpio.gz");
        await new RamdiskPacker().PackToFileAsync(root, archive);

        var console = await KernelBoot.BootAsync(archive);

        // The same digests by GNU find, sort and cat on the tree that was packed; in the C locale, where bash's read
        // passes bytes that are not UTF-8 through unchanged, as busybox sh does.
        var host = await ExternalTool.ShellAsync("export LC_ALL=C\n" + Digests.Replace("cd /names", $"cd '{root}/names'", StringComparison.Ordinal)
            .Replace("busybox ", string.Empty, StringComparison.Ordinal), _temp.Path);
        host.EnsureSuccess();
        var expected = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        expected.Should().HaveCount(3).And.Contain(line => line.StartsWith("TARGET  63 61 66 e9", StringComparison.Ordinal));
        console.Should().Contain(KernelBoot.Marker);
        foreach (var line in expected)
        {
            console.Should().Contain(line.Trim());
        }
    }
}
