using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Initrd;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building.Initrd;

/// <summary>
/// One Debian image (<see cref="NetbootImageFixture"/>) with both initrds built in it by the real generators and runner,
/// packed as <c>good/rootimg.cpio.gz</c>, <c>bad/rootimg.cpio.gz</c> (a wrong .sha256) and <c>zst/rootimg.tar.zst</c>,
/// served over HTTP. Built once for the boot tests (several minutes: two initrd tools and two packs).
/// </summary>
public sealed class DisklessBootFixture : IAsyncLifetime
{
    private readonly NetbootImageFixture _image = new();
    private readonly TempDirectory _serve = new();

    public string Kernel { get; private set; } = string.Empty;

    public string DracutInitrd { get; private set; } = string.Empty;

    public string InitramfsToolsInitrd { get; private set; } = string.Empty;

    public StaticHttpServer Server { get; private set; } = null!;

    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _image.InitializeAsync();
        var runner = new ProcessBuildCommandRunner();
        DracutInitrd = await Generate(new DracutInitrdGenerator(), "dracut", runner);
        InitramfsToolsInitrd = await Generate(new InitramfsToolsInitrdGenerator(), "initramfs-tools", runner);
        // The kernel is outside the tree, as genimage copies it to <rootimgdir>/kernel.
        Kernel = _serve.Combine("kernel");
        File.Copy(_image.KernelPath, Kernel);

        var packer = new RamdiskPacker();
        Directory.CreateDirectory(_serve.Combine("good"));
        await packer.PackToFileAsync(_image.RootDirectory, _serve.Combine("good", "rootimg.cpio.gz"),
            new RamdiskPackOptions { Compression = new CompressionOptions { Method = CompressionMethod.Gzip, Level = 1 } });
        Directory.CreateDirectory(_serve.Combine("bad"));
        File.CreateSymbolicLink(_serve.Combine("bad", "rootimg.cpio.gz"), _serve.Combine("good", "rootimg.cpio.gz"));
        await File.WriteAllTextAsync(_serve.Combine("bad", "rootimg.cpio.gz.sha256"), new string('0', 64) + "  rootimg.cpio.gz\n");
        Directory.CreateDirectory(_serve.Combine("zst"));
        await packer.PackToFileAsync(_image.RootDirectory, _serve.Combine("zst", "rootimg.tar.zst"),
            new RamdiskPackOptions { Format = ArchiveFormat.Tar, Compression = new CompressionOptions { Method = CompressionMethod.Zstd } });
        Server = StaticHttpServer.Start(_serve.Path);
        BuildTime = clock.Elapsed;
    }

    /// <summary>The kernel command line nodeset would write for <paramref name="archive"/> (e.g. <c>good/rootimg.cpio.gz</c>).</summary>
    public string CommandLine(string archive) =>
        $"imgurl={Server.GuestUrl}/{archive} XCAT=10.0.2.2:3001 NODE=node01 BOOTIF={QemuNetBoot.BootIf}";

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _serve.Dispose();
        await _image.DisposeAsync();
    }

    private async Task<string> Generate(IInitrdGenerator generator, string name, IBuildCommandRunner runner)
    {
        var output = _serve.Combine(name);
        Directory.CreateDirectory(output);
        return await generator.GenerateAsync(new InitrdBuildContext
        {
            RootDirectory = _image.RootDirectory,
            OutputDirectory = output,
            KernelVersion = _image.KernelVersion,
            Runner = runner,
        });
    }
}
