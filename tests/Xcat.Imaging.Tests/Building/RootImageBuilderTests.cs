using Xcat.Imaging.Building;
using Xcat.Imaging.Building.Packages;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building;

public sealed class RootImageBuilderTests : IDisposable
{
    private const string Name = "debian12-x86_64-netboot-compute";
    private readonly string _work = Directory.CreateTempSubdirectory("xcatimg-builder-").FullName;

    public RootImageBuilderTests()
    {
        Directory.CreateDirectory(Install("custom/netboot/debian"));
        File.WriteAllText(Install("custom/netboot/debian/compute.pkglist"), "linux-image-amd64\nsystemd-sysv\n#INCLUDE:extra.pkglist#\n");
        File.WriteAllText(Install("custom/netboot/debian/extra.pkglist"), "openssh-server,less\n");
        File.WriteAllText(Install("custom/netboot/debian/compute.postinstall"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$1/../postinstall.argv\"\nenv | grep ^IMG_ | sort > \"$1/../postinstall.env\"\n");
        File.SetUnixFileMode(Install("custom/netboot/debian/compute.postinstall"), (UnixFileMode)0b111_101_101);
    }

    private SiteSettings Site => SiteSettings.FromValues([new("installdir", Install("")), new("tftpdir", Path.Combine(_work, "tftpboot"))]);

    private string Install(string relative) => Path.Combine(_work, "install", relative);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private ImageDefinition Image(string provmethod = "netboot", string? pkglist = null, string? postinstall = null, string? rootimgdir = null) =>
        ImageDefinition.FromAttributes(Name, new Dictionary<string, string?>
        {
            ["imagetype"] = "linux",
            ["provmethod"] = provmethod,
            ["osvers"] = "debian12",
            ["osarch"] = "x86_64",
            ["profile"] = "compute",
            ["pkglist"] = pkglist ?? Install("custom/netboot/debian/compute.pkglist"),
            ["pkgdir"] = "http://deb.debian.org/debian bookworm main",
            ["postinstall"] = postinstall ?? Install("custom/netboot/debian/compute.postinstall") + " --site lab",
            ["rootimgdir"] = rootimgdir,
            ["environvar"] = "HTTP_PROXY=http://proxy:3128",
        });

    [Fact]
    public async Task A_dry_run_plans_debootstrap_apt_postinstall_and_the_swap_and_changes_nothing()
    {
        var result = await new RootImageBuilder().BuildAsync(Image(), Site, new RootImageBuildOptions
        {
            DryRun = true,
            CacheDirectory = Path.Combine(_work, "cache"),
            LockDirectory = Path.Combine(_work, "locks"),
        });

        var imageDir = Install("netboot/debian12/x86_64/compute");
        var staging = imageDir + "/.genimage";
        var cache = Path.Combine(_work, "cache");
        var lines = result.Plan.Select(step => step.ToString()).ToList();
        lines.Should().Contain($"rm -rf --one-file-system {staging}");
        lines.Should().Contain($"HTTP_PROXY=http://proxy:3128 debootstrap --variant=minbase --arch amd64 --cache-dir={cache}/debootstrap-bookworm-amd64 bookworm {staging}/rootimg http://deb.debian.org/debian");
        lines.Should().Contain($"write {staging}/rootimg/etc/apt/sources.list\n    deb http://deb.debian.org/debian bookworm main");
        lines.Should().Contain($"DEBIAN_FRONTEND=noninteractive HTTP_PROXY=http://proxy:3128 chroot {staging}/rootimg apt-get -y --no-install-recommends install linux-image-amd64 systemd-sysv openssh-server less");
        lines.Should().Contain(line => line.StartsWith($"HTTP_PROXY=http://proxy:3128 IMG_ARCH=x86_64 IMG_KERNELVERSION='' ", StringComparison.Ordinal) == false
            && line.EndsWith($"compute.postinstall {staging}/rootimg debian12 x86_64 compute --site lab", StringComparison.Ordinal));
        lines.Should().Contain($"mv -T {staging}/rootimg {imageDir}/rootimg");
        result.WrittenBack.Should().BeEmpty();
        result.Files.Should().BeEmpty();
        Directory.Exists(imageDir).Should().BeFalse("a dry run creates nothing");
        Directory.Exists(Path.Combine(_work, "locks")).Should().BeFalse();
        Directory.Exists(cache).Should().BeFalse();
    }

    [Theory]
    [InlineData("install", typeof(ArgumentException), "The provmethod of image 'debian12-x86_64-netboot-compute' is 'install': genimage builds netboot and statelite images only.")]
    [InlineData("statelite", typeof(NotSupportedException), "statelite")]
    public async Task Images_that_are_not_netboot_are_refused_before_anything_changes(string provmethod, Type exception, string message)
    {
        var catalog = new InMemoryImageCatalog();
        await catalog.SaveImageAsync(Image(provmethod));
        var before = await CatalogSnapshot.TakeAsync(catalog);

        var act = () => new RootImageBuilder().BuildAsync(Image(provmethod), Site, Options());

        (await act.Should().ThrowAsync<Exception>()).Which.Should().BeOfType(exception).And.Subject.As<Exception>().Message.Should().Contain(message);
        (await CatalogSnapshot.TakeAsync(catalog)).Should().Be(before);
        Directory.Exists(Install("netboot")).Should().BeFalse();
    }

    [Fact]
    public async Task No_pkglist_unreadable_lists_a_non_executable_postinstall_and_a_rootimgdir_outside_the_install_dir_are_refused()
    {
        var builder = new RootImageBuilder();
        var noList = Image() with { LinuxImage = Image().LinuxImage with { PackageLists = [] } };
        (await builder.Invoking(b => b.BuildAsync(noList, Site, Options())).Should().ThrowAsync<ArgumentException>())
            .WithMessage($"A .pkglist file must be specified for image '{Name}' in the linuximage table.*");

        File.WriteAllText(Install("custom/netboot/debian/bad.pkglist"), "vim\n#INCLUDE:/nonexistent/one#\n#INCLUDE:/nonexistent/two#\n");
        (await builder.Invoking(b => b.BuildAsync(Image(pkglist: Install("custom/netboot/debian/bad.pkglist")), Site, Options())).Should().ThrowAsync<IOException>())
            .Which.Message.Should().Contain("Unable to open the following pkglist files:").And.Contain("/nonexistent/one").And.Contain("/nonexistent/two");

        var script = Install("custom/netboot/debian/plain.postinstall");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b110_100_100);
        (await builder.Invoking(b => b.BuildAsync(Image(postinstall: script), Site, Options())).Should().ThrowAsync<ArgumentException>())
            .WithMessage($"postinstall script {script} is not executable*");

        (await builder.Invoking(b => b.BuildAsync(Image(rootimgdir: Path.Combine(_work, "elsewhere")), Site, Options())).Should().ThrowAsync<ArgumentException>())
            .Which.Message.Should().Contain("outside the install directory");

        Directory.Exists(Install("netboot")).Should().BeFalse();
        Directory.Exists(Path.Combine(_work, "elsewhere")).Should().BeFalse();
    }

    [RootFact]
    public async Task A_failing_postinstall_fails_the_build_and_leaves_the_previous_rootimg_and_the_catalog_as_they_were()
    {
        var imageDir = Install("netboot/debian12/x86_64/compute");
        Directory.CreateDirectory(Path.Combine(imageDir, "rootimg/etc"));
        File.WriteAllText(Path.Combine(imageDir, "rootimg/etc/previous-build"), "1");
        var script = Install("custom/netboot/debian/failing.postinstall");
        File.WriteAllText(script, "#!/bin/sh\necho 'cannot configure the image' >&2\nexit 3\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var catalog = new InMemoryImageCatalog();
        await catalog.SaveImageAsync(Image(postinstall: script));
        var site = new CatalogChanges();
        foreach (var (key, value) in Site.Values)
        {
            site.Upsert("site", new Dictionary<string, string> { ["key"] = key }, new Dictionary<string, string?> { ["value"] = value });
        }

        await catalog.ApplyAsync(site);
        var before = await CatalogSnapshot.TakeAsync(catalog);

        var act = () => new RootImageBuilder().BuildImageAsync(catalog, Name, Options(new FakeInstaller()));

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .StartWith($"postinstall script {script} failed").And.Contain("exited with status 3").And.Contain("cannot configure the image");
        Directory.EnumerateFileSystemEntries(Path.Combine(imageDir, "rootimg")).Should().HaveCount(1);
        File.ReadAllText(Path.Combine(imageDir, "rootimg/etc/previous-build")).Should().Be("1");
        Directory.Exists(Path.Combine(imageDir, ".genimage")).Should().BeFalse("the half-built tree is removed");
        File.Exists(Path.Combine(imageDir, "kernel")).Should().BeFalse();
        (await CatalogSnapshot.TakeAsync(catalog)).Should().Be(before);
    }

    private RootImageBuildOptions Options(IPackageInstaller? installer = null) => new()
    {
        CacheDirectory = Path.Combine(_work, "cache"),
        LockDirectory = Path.Combine(_work, "locks"),
        Installer = installer,
    };

    /// <summary>Makes a small tree with a kernel, as a package manager would.</summary>
    private sealed class FakeInstaller : IPackageInstaller
    {
        public string Name => "fake";

        public Task InstallAsync(PackageInstallContext context, CancellationToken cancellationToken = default)
        {
            Directory.CreateDirectory(Path.Combine(context.RootDirectory, "boot"));
            Directory.CreateDirectory(Path.Combine(context.RootDirectory, "etc"));
            Directory.CreateDirectory(Path.Combine(context.RootDirectory, "lib/modules/6.1.0-99-amd64"));
            File.WriteAllText(Path.Combine(context.RootDirectory, "boot/vmlinuz-6.1.0-99-amd64"), "kernel image");
            File.WriteAllText(Path.Combine(context.RootDirectory, "etc/new-build"), "2");
            return Task.CompletedTask;
        }
    }
}
