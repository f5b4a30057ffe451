using System.Runtime.InteropServices;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class GenimageVerbTests : IDisposable
{
    private const string Debian = "debian12-x86_64-netboot-compute";
    private readonly CliHarness _cli = new();
    private bool _added;

    public void Dispose() => _cli.Dispose();

    private string Locks => Path.Combine(_cli.Root, "locks");

    private string ImageDirectory => Path.Combine(_cli.InstallDir, "netboot", "debian12", "x86_64", "compute");

    [Theory]
    [InlineData("An image name is required")]
    [InlineData("-o, -p and -a options are not allowed when a image name is specified.", Debian, "-o", "debian12")]
    [InlineData("-o, -p and -a options are not allowed when a image name is specified.", Debian, "-p", "compute")]
    [InlineData("-o, -p and -a options are not allowed when a image name is specified.", "-adebian12", Debian)]
    [InlineData("Unknown option '--frobnicate'.", Debian, "--frobnicate")]
    [InlineData("The option '--initrd' takes", Debian, "--initrd", "mkinitrd")]
    public async Task UsageErrors_ExitTwo_WithTheUsage(string message, params string[] args)
    {
        await AddSamplesAsync();
        var result = await _cli.RunAsync(["genimage", .. args]);

        result.ExitCode.Should().Be(2);
        result.Out.Should().BeEmpty();
        result.Error.Should().StartWith("Error: ").And.Contain(message).And.Contain("Usage: xcatimg genimage <osimage>").And.NotContain("   at ");
    }

    [Fact]
    public async Task ImageNotFound_IsRefused()
        => await RefusedAsync("Cannot find image 'x' from the osimage table.", "x");

    [Fact]
    public async Task InstallImage_IsRefused_NamingTheProvmethod()
        => await RefusedAsync("genimage builds netboot and statelite images only", "rhels9.4-x86_64-install-compute");

    [Fact]
    public async Task StateliteImage_IsRefused_AsItsInitrdIsNotBuilt()
    {
        await SetHostArchitectureAsync("debian12-x86_64-statelite-compute");
        await RefusedAsync("statelite", "debian12-x86_64-statelite-compute");
    }

    [Fact]
    public async Task NoPkglist_IsRefused()
    {
        await SetHostArchitectureAsync(Debian);
        await ChangeAsync("pkglist=");
        await RefusedAsync($"A .pkglist file must be specified for image '{Debian}'", Debian);
    }

    [Fact]
    public async Task UnreadablePkglistAndInclude_AreNamedInOneLine()
    {
        await SetHostArchitectureAsync(Debian);
        var list = Path.Combine(_cli.Root, "compute.pkglist");
        var missingInclude = Path.Combine(_cli.Root, "missing-include.pkglist");
        await File.WriteAllTextAsync(list, $"bash\n#INCLUDE:{missingInclude}#\n");
        var missingList = Path.Combine(_cli.Root, "missing.pkglist");
        await ChangeAsync($"pkglist={list},{missingList}", "postinstall=");

        var result = await RefusedAsync(missingList, Debian);
        result.Error.Should().Contain(missingInclude);
    }

    [Fact]
    public async Task NonExecutablePostinstall_IsRefused()
    {
        await SetHostArchitectureAsync(Debian);
        var list = await WritePkglistAsync();
        var script = Path.Combine(_cli.Root, "compute.postinstall");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await ChangeAsync($"pkglist={list}", $"postinstall={script}");

        await RefusedAsync($"postinstall script {script} is not executable", Debian);
    }

    [Fact]
    public async Task RootimgdirOutsideTheInstallDirectory_IsRefused()
    {
        await SetHostArchitectureAsync(Debian);
        var list = await WritePkglistAsync();
        var outside = Path.Combine(_cli.Root, "elsewhere", "compute");
        await ChangeAsync($"pkglist={list}", "postinstall=", $"rootimgdir={outside}");

        await RefusedAsync("is outside the install directory", Debian);
        Directory.Exists(outside).Should().BeFalse();
    }

    [Fact]
    public async Task DryRun_OfADebianImage_PrintsThePlan_AndChangesNothing()
    {
        await SetHostArchitectureAsync(Debian);
        var list = await WritePkglistAsync();
        var script = Path.Combine(_cli.Root, "compute.postinstall");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        await ChangeAsync($"pkglist={list}", $"postinstall={script}");
        var before = await CatalogSnapshot.TakeAsync(await SqliteImageCatalog.OpenAsync(_cli.CatalogPath));
        var cache = Path.Combine(_cli.Root, "cache");

        var result = await _cli.RunAsync("genimage", Debian, "--dryrun", "--lock-dir", Locks, "--cache-dir", cache);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().BeEmpty();
        var lines = result.Out.Split('\n');
        lines[0].Should().StartWith($"# genimage {Debian} --dryrun: ");
        lines.Should().Contain(l => l.StartsWith("debootstrap ", StringComparison.Ordinal))
            .And.Contain(l => l.Contains("apt-get", StringComparison.Ordinal) && l.Contains("openssh-server", StringComparison.Ordinal))
            .And.Contain(l => l.Contains($"IMG_NAME={Debian} ", StringComparison.Ordinal) && l.Contains($" {script} ", StringComparison.Ordinal)
                && l.EndsWith(" debian12 x86_64 compute", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("mv -T ", StringComparison.Ordinal) && l.EndsWith(Path.Combine(ImageDirectory, "rootimg"), StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("mv ", StringComparison.Ordinal) && l.EndsWith(Path.Combine(ImageDirectory, "kernel"), StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("cp ", StringComparison.Ordinal) && l.Contains("initrd-stateless.gz", StringComparison.Ordinal));
        Directory.Exists(ImageDirectory).Should().BeFalse("a dry run creates no rootimgdir");
        Directory.Exists(Locks).Should().BeFalse("a dry run takes no lock");
        Directory.Exists(cache).Should().BeFalse("a dry run downloads nothing");
        (await CatalogSnapshot.TakeAsync(await SqliteImageCatalog.OpenAsync(_cli.CatalogPath))).Should().Be(before);
    }

    [Fact]
    public async Task Help_ListsGenimage()
    {
        var top = await _cli.RunAsync("--help");
        top.Out.Should().Contain("genimage");
        var verb = await _cli.RunAsync("genimage", "-h");
        verb.ExitCode.Should().Be(0, verb.Error);
        verb.Out.Should().Contain("--dryrun").And.Contain("--onlyinitrd").And.Contain("-n, --netdrivers <drivers>").And.Contain("--cache-dir <DIR>");
    }

    private async Task<CliResult> RefusedAsync(string message, string image)
    {
        await AddSamplesAsync();
        var before = await CatalogSnapshot.TakeAsync(await SqliteImageCatalog.OpenAsync(_cli.CatalogPath));

        var result = await _cli.RunAsync("genimage", image, "--lock-dir", Locks, "--cache-dir", Path.Combine(_cli.Root, "cache"));

        result.ExitCode.Should().Be(1, result.Error);
        result.Out.Should().BeEmpty();
        result.Error.Should().StartWith("Error: ").And.Contain(message).And.NotContain("   at ");
        result.Error.Count(static c => c == '\n').Should().Be(1, "the refusal is one line");
        (await CatalogSnapshot.TakeAsync(await SqliteImageCatalog.OpenAsync(_cli.CatalogPath))).Should().Be(before);
        Directory.Exists(ImageDirectory).Should().BeFalse();
        Directory.Exists(Locks).Should().BeFalse();
        return result;
    }

    // The samples are x86_64; genimage builds only for the host's architecture.
    private async Task SetHostArchitectureAsync(string image)
    {
        await AddSamplesAsync();
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        (await _cli.RunAsync("chdef", "-t", "osimage", "-o", image, $"osarch={arch}")).ShouldSucceed();
    }

    private async Task AddSamplesAsync()
    {
        if (!_added)
        {
            await _cli.AddSampleDefinitionsAsync();
            _added = true;
        }
    }

    private async Task ChangeAsync(params string[] assignments)
        => (await _cli.RunAsync(["chdef", "-t", "osimage", "-o", Debian, .. assignments])).ShouldSucceed();

    private async Task<string> WritePkglistAsync()
    {
        var list = Path.Combine(_cli.Root, "compute.pkglist");
        await File.WriteAllTextAsync(list, "bash\nopenssh-server\n");
        return list;
    }
}
