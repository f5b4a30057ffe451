using Xcat.Imaging.Building.Initrd;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building.Initrd;

/// <summary>
/// The shared fetch-and-unpack script run on the host under busybox sh, in a private mount namespace, against the
/// test HTTP server: the stream into a tmpfs, the .sha256 check and refusal, retries, and xattrs kept by GNU tar.
/// </summary>
public sealed class FetchAndUnpackScriptTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private StaticHttpServer _server = null!;

    public async Task InitializeAsync()
    {
        var tree = _temp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "hostname"), "node01\n");
        Directory.CreateDirectory(_temp.Combine("serve"));
        Directory.CreateDirectory(_temp.Combine("tmp"));
        if (Environment.IsPrivilegedProcess)
        {
            // trusted.* works on any file system for root, tmpfs included (the unpack target).
            ExtendedAttributeOracle.Write(Path.Combine(tree, "etc", "hostname"), "trusted.xcatimg", [1, 2, 3]);
        }

        await File.WriteAllTextAsync(_temp.Combine("tmp", "script"), InitrdScripts.Read(InitrdScripts.FetchAndUnpack));
        _server = StaticHttpServer.Start(_temp.Combine("serve"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [RootTheory]
    [InlineData("rootimg.tar.zst", ArchiveFormat.Tar, CompressionMethod.Zstd)]
    [InlineData("rootimg.tar.xz", ArchiveFormat.Tar, CompressionMethod.Xz)]
    [InlineData("rootimg.cpio.gz", ArchiveFormat.Cpio, CompressionMethod.Gzip)]
    [InlineData("rootimg.cpio.zst", ArchiveFormat.Cpio, CompressionMethod.Zstd)]
    public async Task AVerifiedArchive_IsUnpackedWhole(string name, ArchiveFormat format, CompressionMethod compression)
    {
        await Pack(name, format, compression);

        var run = await RunScript(name);

        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardError.Should().Contain("(checking sha256 ").And.Contain($"xcatimg: unpacked {name} into");
        File.ReadAllText(_temp.Combine("out", "etc", "hostname")).Should().Be("node01\n");
        if (format == ArchiveFormat.Tar)
        {
            ExtendedAttributeOracle.Read(_temp.Combine("out", "etc", "hostname")).Should().ContainKey("trusted.xcatimg");
        }
    }

    [RootFact]
    public async Task AWrongChecksum_WipesTheTree_AndRefuses()
    {
        await Pack("rootimg.cpio.gz", ArchiveFormat.Cpio, CompressionMethod.Gzip);
        await File.WriteAllTextAsync(_temp.Combine("serve", "rootimg.cpio.gz.sha256"), new string('a', 64) + "  rootimg.cpio.gz\n");

        var run = await RunScript("rootimg.cpio.gz");

        run.ExitCode.Should().Be(3, run.StandardError);
        run.StandardError.Should().Contain($"xcatimg: image checksum mismatch for {_server.HostUrl}/rootimg.cpio.gz: expected {new string('a', 64)}, got ")
            .And.Contain("refusing to boot");
        Directory.EnumerateFileSystemEntries(_temp.Combine("out")).Should().BeEmpty("the half-trusted tree is wiped");
        _server.RequestCount("/rootimg.cpio.gz").Should().Be(1, "a mismatch is not retried");
    }

    [RootFact]
    public async Task NoChecksumFile_IsUnpackedUnverified_AndSaysSo()
    {
        await Pack("rootimg.cpio.gz", ArchiveFormat.Cpio, CompressionMethod.Gzip);
        File.Delete(_temp.Combine("serve", "rootimg.cpio.gz.sha256"));

        var run = await RunScript("rootimg.cpio.gz");

        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardError.Should().Contain("publishes no rootimg.cpio.gz.sha256: not verified");
    }

    [RootFact]
    public async Task AFailedFetch_IsRetried()
    {
        var script = RunScript("rootimg.cpio.gz");
        // The archive appears while the script waits out its first back-off (5 s).
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Pack("rootimg.cpio.gz", ArchiveFormat.Cpio, CompressionMethod.Gzip);

        var run = await script;

        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardError.Should().Contain("failed (wget status 1)").And.Contain("retrying in 5s");
        _server.RequestCount("/rootimg.cpio.gz").Should().Be(2);
    }

    private async Task Pack(string name, ArchiveFormat format, CompressionMethod compression) =>
        await new RamdiskPacker().PackToFileAsync(_temp.Combine("tree"), _temp.Combine("serve", name),
            new RamdiskPackOptions { Format = format, Compression = new CompressionOptions { Method = compression } });

    // The tmpfs exists only in the script's mount namespace: its tree is copied out (cp -a keeps xattrs) before it ends.
    private async Task<ToolResult> RunScript(string name)
    {
        await File.WriteAllTextAsync(_temp.Combine("tmp", "cmdline"), $"console=ttyS0 imgurl={_server.HostUrl}/{name} NODE=node01\n");
        var mnt = _temp.Combine("mnt");
        var output = _temp.Combine("out");
        Directory.CreateDirectory(mnt);
        Directory.CreateDirectory(output);
        var line = $"""
            export XCATIMG_CMDLINE='{_temp.Combine("tmp", "cmdline")}' XCATIMG_CONSOLE=/dev/null/none XCATIMG_TMP='{_temp.Combine("tmp")}' XCATIMG_REFUSE=exit
            exec unshare -m --propagation private sh -c 'busybox sh "$0" "$1"; rc=$?; cp -a "$1"/. "$2"/; exit $rc' '{_temp.Combine("tmp", "script")}' '{mnt}' '{output}'
            """;
        return await ExternalTool.ShellAsync(line, timeout: TimeSpan.FromMinutes(2));
    }
}
