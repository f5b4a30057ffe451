using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>imgexport takes a directory as destination and names every missing file at once (issue 11, item 7).</summary>
public sealed class ImgexportDestinationTests : IDisposable
{
    private const string Image = "rhels9.4-x86_64-netboot-dest";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string ImageDirectory => Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "dest");

    [Fact]
    public async Task Imgexport_IntoADirectory_WritesImageTgzThere()
    {
        await DefineImageAsync();
        var directory = Path.Combine(_cli.Root, "bundles");
        Directory.CreateDirectory(directory);

        var result = (await _cli.RunAsync("imgexport", Image, directory)).ShouldSucceed();

        var bundle = Path.Combine(directory, Image + ".tgz");
        result.Out.Should().Contain($"in {bundle}\n");
        (await ExternalTool.RunAsync("tar", ["-tzf", bundle])).EnsureSuccess().Output.Should().Contain($"./{Image}/manifest.xml\n");
    }

    [Fact]
    public async Task Imgexport_WithSeveralFilesMissing_NamesThemAllInOneLine()
    {
        await DefineImageAsync();
        File.Delete(Path.Combine(ImageDirectory, "kernel"));
        File.Delete(Path.Combine(ImageDirectory, "initrd-stateless.gz"));

        var result = await _cli.RunAsync("imgexport", Image, "-e", "/nonexistent/extra");

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith($"Error: 3 files are missing for {Image}: ")
            .And.Contain($"(looked for {ImageDirectory}/kernel)").And.Contain($"(looked for {ImageDirectory}/initrd-stateless.gz)")
            .And.Contain("Can not find Extra file /nonexistent/extra.");
        result.Error.Count(static c => c == '\n').Should().Be(1);
        File.Exists(Path.Combine(_cli.Root, Image + ".tgz")).Should().BeFalse();
    }

    private async Task DefineImageAsync()
    {
        Directory.CreateDirectory(Path.Combine(ImageDirectory, "rootimg", "etc"));
        await File.WriteAllTextAsync(Path.Combine(ImageDirectory, "rootimg", "etc", "hostname"), "dest\n");
        await File.WriteAllTextAsync(Path.Combine(ImageDirectory, "kernel"), "k");
        await File.WriteAllTextAsync(Path.Combine(ImageDirectory, "initrd-stateless.gz"), "i");
        await File.WriteAllTextAsync(Path.Combine(ImageDirectory, "rootimg.cpio.gz"), "r");
        var list = Path.Combine(_cli.Root, "dest.pkglist");
        await File.WriteAllTextAsync(list, "bash\n");
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "profile=dest", "osvers=rhels9.4",
            "osarch=x86_64", $"pkglist={list}", $"rootimgdir={ImageDirectory}")).ShouldSucceed();
    }
}
