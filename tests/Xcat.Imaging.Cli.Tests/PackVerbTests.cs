using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class PackVerbTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Packimage_PacksTheImagesRootimg_AndInspectAndUnpackReadIt()
    {
        await _cli.AddSampleDefinitionsAsync();
        var rootimg = Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "compute", "rootimg");
        MakeTree(rootimg);
        var exlist = Path.Combine(_cli.Root, "compute.exlist");
        await File.WriteAllTextAsync(exlist, "./etc/motd\n");
        (await _cli.RunAsync("chdef", "-t", "osimage", "rhels9.4-x86_64-netboot-compute", $"exlist={exlist}")).ShouldSucceed();

        var packed = (await _cli.RunAsync("packimage", "rhels9.4-x86_64-netboot-compute", "-c", "zstd", "--lock-dir", Path.Combine(_cli.Root, "locks"))).ShouldSucceed();
        var archive = Path.Combine(Path.GetDirectoryName(rootimg)!, "rootimg.cpio.zst");
        packed.Out.Should().Contain($"Wrote {archive}");
        File.Exists(archive + ".sha256").Should().BeTrue();

        var listing = (await _cli.RunAsync("inspect", archive)).ShouldSucceed().Out;
        listing.Should().Contain("compression zstd").And.Contain(" etc/hostname\n").And.Contain("bin/sh -> busybox").And.Contain("Total: ");

        listing.Should().NotContain("etc/motd");
        (await _cli.RunAsync("unpack", archive, "-C", Path.Combine(_cli.Root, "out"))).ShouldSucceed();
        File.Delete(Path.Combine(rootimg, "etc", "motd"));
        new TreeComparer(new TreeComparisonOptions { ModificationTimeResolution = TimeSpan.FromSeconds(1), CompareDirectoryModificationTimes = false }).AssertEqual(rootimg, Path.Combine(_cli.Root, "out"));
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Pack_TreeWithNamesThatAreNotUtf8_PacksInspectsAndUnpacksEveryName()
    {
        var root = Path.Combine(_cli.Root, "tree");
        Directory.CreateDirectory(root);
        ByteNameTree.Create(root);

        (await _cli.RunAsync("pack", root, "-o", "tree.cpio.gz")).ShouldSucceed();

        var listing = (await _cli.RunAsync("inspect", "tree.cpio.gz")).ShouldSucceed().Out;
        listing.Should().Contain(@" caf\351").And.Contain(" café").And.Contain(@"link-\351 -> caf\351").And.Contain(@"\377\376");
        (await _cli.RunAsync("unpack", "tree.cpio.gz", "-C", Path.Combine(_cli.Root, "out"))).ShouldSucceed();
        new TreeComparer(ComparisonPresets.Seconds()).AssertEqual(root, Path.Combine(_cli.Root, "out"));
    }

    [Fact]
    public async Task Packimage_UnreadableExlist_IsAnErrorNamingIt()
    {
        await _cli.AddSampleDefinitionsAsync();
        MakeTree(Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "compute", "rootimg"));
        (await _cli.RunAsync("packimage", "rhels9.4-x86_64-netboot-compute", "--lock-dir", Path.Combine(_cli.Root, "locks")))
            .ShouldFail("/opt/xcat/share/xcat/netboot/rh/compute.rhels9.x86_64.exlist");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Pack_CatalogFree_WithExlistAndNoCompression()
    {
        var root = Path.Combine(_cli.Root, "tree");
        MakeTree(root);
        var exlist = Path.Combine(_cli.Root, "x.exlist");
        await File.WriteAllTextAsync(exlist, "./etc*\n+./etc/hostname\n");

        (await _cli.RunAsync("pack", root, "-o", "tree.cpio", "-c", "none", "--exlist", exlist)).ShouldSucceed();

        var listing = (await _cli.RunAsync("inspect", "tree.cpio")).ShouldSucceed().Out;
        listing.Should().Contain("compression none").And.Contain(" etc/hostname\n").And.NotContain("etc/motd");
        var gnu = await ExternalTool.RunAsync("cpio", ["-it", "--quiet", "-F", Path.Combine(_cli.Root, "tree.cpio")]);
        gnu.EnsureSuccess().Output.Should().Contain("etc/hostname");
    }

    [Theory]
    [InlineData("Cannot find image 'nosuch' from the osimage table.", "packimage", "nosuch")]
    [InlineData("Invalid compress method 'lz4' requested", "packimage", "rhels9.4-x86_64-netboot-compute", "-c", "lz4")]
    [InlineData("Invalid archive method 'squashfs' requested", "packimage", "rhels9.4-x86_64-netboot-compute", "-m", "squashfs")]
    [InlineData("cannot be used to build diskless image", "packimage", "rhels9.4-x86_64-install-compute")]
    [InlineData("does not exist, run genimage", "packimage", "rhels9.4-x86_64-netboot-compute")]
    [InlineData("An image name is required", "packimage")]
    [InlineData("The output file (-o) is required.", "pack", "/tmp")]
    [InlineData("does not exist", "unpack", "missing.cpio.gz", "-C", "x")]
    [InlineData("neither cpio", "inspect", "README")]
    public async Task BadInput_FailsWithMessageAndNonZeroExit(string message, params string[] args)
    {
        await _cli.AddSampleDefinitionsAsync();
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, "README"), "not an archive, just some text that is long enough to be read as one".PadRight(600, '.'));
        (await _cli.RunAsync(args)).ShouldFail(message);
    }

    private static void MakeTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "node01\n");
        File.WriteAllText(Path.Combine(root, "etc", "motd"), "welcome\n");
        File.WriteAllBytes(Path.Combine(root, "bin", "busybox"), new byte[100_000]);
        File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), "busybox");
    }
}
