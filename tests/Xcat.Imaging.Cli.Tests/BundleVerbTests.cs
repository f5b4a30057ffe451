using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class BundleVerbTests : IDisposable
{
    private const string Image = "rhels9.4-x86_64-netboot-bundle";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Imgexport_then_imgimport_under_a_new_profile_defines_the_renamed_image()
    {
        await DefineImageAsync();

        var exported = (await _cli.RunAsync("imgexport", Image, "-v", "--with-rootimg-tree")).ShouldSucceed();

        var bundle = Path.Combine(_cli.Root, Image + ".tgz");
        exported.Out.Should().StartWith($"Exporting {Image} to {_cli.Root}...\nCompressing {Image} bundle.  Please be patient.\n")
            .And.EndWith("Done!\n").And.Contain($"in {bundle}");
        var listing = await ExternalTool.RunAsync("tar", ["-tzf", bundle]);
        listing.EnsureSuccess().Output.Should().Contain($"./{Image}/manifest.xml\n").And.Contain($"./{Image}/rootimg/etc/hostname\n");

        var imported = (await _cli.RunAsync("imgimport", bundle, "-f", "copy", "-v")).ShouldSucceed();

        imported.Out.Should().StartWith("Unbundling image...\n").And.Contain("Successfully imported the image rhels9.4-x86_64-netboot-copy.\n")
            .And.Contain("checksums verified");
        var listed = (await _cli.RunAsync("lsdef", "-t", "osimage", "-l", "rhels9.4-x86_64-netboot-copy")).ShouldSucceed().Out;
        listed.Should().Contain($"rootimgdir={_cli.InstallDir}/netboot/rhels9.4/x86_64/copy\n").And.Contain("profile=copy\n");
        File.ReadAllText(Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "copy", "rootimg", "etc", "hostname")).Should().Be("bundle\n");
        (await _cli.RunAsync("imgimport", bundle, "-f", "copy")).ShouldFail("already exists; use --force");
        (await _cli.RunAsync("imgimport", bundle, "-f", "copy", "--force")).ShouldSucceed();
    }

    [Fact]
    public async Task Imgexport_and_imgimport_run_as_processes_with_errors_on_stderr()
    {
        await DefineImageAsync();
        var bundle = Path.Combine(_cli.Root, "b.tgz");
        var environment = new[] { "--catalog", _cli.CatalogPath, "--install-dir", _cli.InstallDir };

        var export = await CliHarness.RunProcessAsync(_cli.Root, [.. environment, "imgexport", Image, bundle]);
        export.ExitCode.Should().Be(0, export.Error);
        var again = await CliHarness.RunProcessAsync(_cli.Root, [.. environment, "imgimport", bundle]);

        again.ExitCode.Should().Be(1);
        again.Error.Should().Be($"Error: The image '{Image}' already exists; use --force to replace it.\n");
    }

    [Theory]
    [InlineData(1, "Error: Cannot find image 'nosuch' from the osimage table.", "imgexport", "nosuch")]
    [InlineData(2, "Error: An image name and at most one destination are expected.", "imgexport")]
    [InlineData(2, "Error: Unknown option '-x'.", "imgexport", "img", "-x")]
    [InlineData(2, "Error: One bundle file is expected.", "imgimport")]
    [InlineData(1, "Error: Can not find Extra file ", "imgexport", Image, "-e", "/nonexistent/file")]
    [InlineData(1, "Error: Remote export (-R) is not supported", "imgexport", Image, "-R", "root@host")]
    [InlineData(1, "Error: Remote import (-R) is not supported", "imgimport", "b.tgz", "-R", "root@host")]
    public async Task Bad_invocations_fail_with_a_message(int exitCode, string message, params string[] args)
    {
        await DefineImageAsync();

        var result = await _cli.RunAsync(args);

        result.ExitCode.Should().Be(exitCode);
        result.Error.Should().StartWith(message);
    }

    [Fact]
    public async Task Imgimport_of_something_that_is_not_a_bundle_fails_and_defines_nothing()
    {
        var before = (await _cli.RunAsync("tabdump", "osimage")).ShouldSucceed().Out;
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, "notes.txt"), "just text\n");

        (await _cli.RunAsync("imgimport", "notes.txt")).ShouldFail("The bundle is corrupt or not a tar archive");
        (await _cli.RunAsync("imgimport", "missing.tgz")).ShouldFail($"Cannot find {Path.Combine(_cli.Root, "missing.tgz")}");
        (await _cli.RunAsync("tabdump", "osimage")).ShouldSucceed().Out.Should().Be(before);
    }

    private async Task DefineImageAsync()
    {
        var dir = Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "bundle");
        var lists = Path.Combine(_cli.InstallDir, "custom", "netboot", "rh");
        Directory.CreateDirectory(Path.Combine(dir, "rootimg", "etc"));
        Directory.CreateDirectory(lists);
        await File.WriteAllTextAsync(Path.Combine(dir, "rootimg", "etc", "hostname"), "bundle\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "kernel"), "k");
        await File.WriteAllTextAsync(Path.Combine(dir, "initrd-stateless.gz"), "i");
        await File.WriteAllTextAsync(Path.Combine(dir, "rootimg.cpio.gz"), "r");
        await File.WriteAllTextAsync(Path.Combine(lists, "bundle.pkglist"), "bash\n");
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "profile=bundle", "osvers=rhels9.4",
            "osarch=x86_64", $"pkglist={Path.Combine(lists, "bundle.pkglist")}", $"rootimgdir={dir}")).ShouldSucceed();
    }
}
