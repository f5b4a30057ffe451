using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Packages;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

/// <summary>dnf and zypper run for real (through <see cref="ProcessBuildCommandRunner"/>) into fresh roots from local repositories.</summary>
[Trait("Category", "Interop")]
public sealed class RpmInstallerRealTests(LocalRpmRepositories repositories) : IClassFixture<LocalRpmRepositories>, IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [RootFact]
    public async Task Dnf_installs_the_pkglist_with_its_dependency_and_the_otherpkglist_into_an_empty_root()
    {
        var context = Context(["xcat-hello"], ["extra/xcat-extra"]);

        await new DnfInstaller("dnf").InstallAsync(context);

        await AssertInstalledAsync(context);
    }

    [RootFact]
    public async Task Zypper_installs_the_pkglist_with_its_dependency_and_the_otherpkglist_into_an_empty_root()
    {
        var context = Context(["xcat-hello"], ["extra/xcat-extra"]);

        await new ZypperInstaller().InstallAsync(context);

        await AssertInstalledAsync(context);
        Directory.Exists(Path.Combine(context.RootDirectory, "etc/zypp/repos.d"))
            .Should().BeFalse("the repositories are defined outside the root");
    }

    [RootFact]
    public async Task Dnf_installs_a_comps_group_written_as_at_group()
    {
        var context = Context(["@xcat-core"], []);

        await new DnfInstaller("dnf").InstallAsync(context);

        (await File.ReadAllTextAsync(Path.Combine(context.RootDirectory, "usr/share/xcat-hello/greeting"))).Should().Be("hello from xcat\n");
        File.Exists(Path.Combine(context.RootDirectory, "etc/xcat-base.conf")).Should().BeTrue();
    }

    [RootFact]
    public async Task Dnf_fails_naming_a_missing_package()
    {
        var context = Context(["xcat-hello", "xcat-no-such-package"], []);

        var install = () => new DnfInstaller("dnf").InstallAsync(context);

        await install.Should().ThrowAsync<InvalidOperationException>()
            .WithMessage("RPM package manager invocation failed*xcat-no-such-package*");
    }

    [RootFact]
    public async Task Zypper_fails_naming_a_missing_package()
    {
        var context = Context(["xcat-hello", "xcat-no-such-package"], []);

        var install = () => new ZypperInstaller().InstallAsync(context);

        await install.Should().ThrowAsync<InvalidOperationException>()
            .WithMessage("RPM package manager invocation failed*xcat-no-such-package*");
    }

    [RootFact]
    public async Task Dnf_keeps_downloaded_packages_in_the_cache_so_a_second_build_downloads_none()
    {
        await AssertSecondBuildDownloadsNothingAsync(new DnfInstaller("dnf"), "dnf");
    }

    [RootFact]
    public async Task Zypper_keeps_downloaded_packages_in_the_cache_so_a_second_build_downloads_none()
    {
        await AssertSecondBuildDownloadsNothingAsync(new ZypperInstaller(), "zypper");
    }

    private async Task AssertSecondBuildDownloadsNothingAsync(IPackageInstaller installer, string cacheName)
    {
        using var server = new StaticFileServer(repositories.Directory);
        PackageInstallContext Remote(string root) => new()
        {
            RootDirectory = _work.Combine(root),
            OsVersion = "rhels9.4",
            Architecture = "x86_64",
            CacheDirectory = _work.Combine("cache"),
            PackageDirectories = [server.Url("media/BaseOS/")],
            OtherPackageDirectories = [server.Url("otherpkgs/extra/")],
            Packages = new PackageList([new PackagePass(1) { Install = [new("xcat-hello")] }]),
            OtherPackages = new PackageList([new PackagePass(1) { Install = [new("xcat-extra")] }]),
            Runner = new ProcessBuildCommandRunner(),
        };

        await installer.InstallAsync(Remote("first"));
        server.RequestsEndingWith(".rpm").Should().Be(3);
        Directory.EnumerateFiles(_work.Combine("cache", cacheName), "*.rpm", SearchOption.AllDirectories).Should().HaveCount(3);

        await installer.InstallAsync(Remote("second"));

        server.RequestsEndingWith(".rpm").Should().Be(3, "the second build takes every package from the cache: " + string.Join(", ", server.Requests.Select(pair => pair.Key + "=" + pair.Value)) + " cache: " + string.Join(", ", Directory.EnumerateFiles(_work.Combine("cache", cacheName), "*", SearchOption.AllDirectories)));
        File.Exists(_work.Combine("second", "usr/share/xcat-extra/note")).Should().BeTrue();
        Directory.EnumerateFiles(_work.Combine("second"), "*.rpm", SearchOption.AllDirectories).Should().BeEmpty("packages are cached outside the root");
    }

    private PackageInstallContext Context(IEnumerable<string> packages, IEnumerable<string> otherPackages)
    {
        static PackageList List(IEnumerable<string> names)
        {
            var entries = names.Select(name => name.Contains('/', StringComparison.Ordinal)
                ? new PackageName(name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..], name[..name.IndexOf('/', StringComparison.Ordinal)])
                : new PackageName(name)).ToList();
            return entries.Count == 0 ? PackageList.Empty : new PackageList([new PackagePass(1) { Install = entries }]);
        }

        return new PackageInstallContext
        {
            RootDirectory = _work.Combine("rootimg"),
            OsVersion = "rhels9.4",
            Architecture = "x86_64",
            CacheDirectory = _work.Combine("cache"),
            PackageDirectories = [repositories.PackageDirectory],
            OtherPackageDirectories = [repositories.OtherPackageDirectory],
            Packages = List(packages),
            OtherPackages = List(otherPackages),
            Runner = new ProcessBuildCommandRunner(),
        };
    }

    private async Task AssertInstalledAsync(PackageInstallContext context)
    {
        var root = context.RootDirectory;
        (await File.ReadAllTextAsync(Path.Combine(root, "usr/share/xcat-hello/greeting"))).Should().Be("hello from xcat\n");
        (await File.ReadAllTextAsync(Path.Combine(root, "etc/xcat-base.conf"))).Should().Be("base configuration\n");
        (await File.ReadAllTextAsync(Path.Combine(root, "usr/share/xcat-extra/note"))).Should().Be("an other package\n");
        (await File.ReadAllTextAsync(Path.Combine(root, "etc/fstab"))).Should().Contain("#Dummy fstab for rpm postscripts to see\n");

        // The image's database is where the image's own rpm looks, whatever the host's rpm default (Debian: ~/.rpmdb).
        var query = (await ExternalTool.RunAsync("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "-qa", "--qf", "%{NAME}\\n"])).EnsureSuccess();
        query.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)
            .Should().Equal("xcat-base", "xcat-extra", "xcat-hello");
        Directory.Exists(Path.Combine(root, "root/.rpmdb")).Should().BeFalse();
        Directory.Exists(root + context.CacheDirectory).Should().BeFalse("nothing of the host's cache path leaks into the root");
        File.ReadAllLines("/proc/mounts").Should().NotContain(line => line.Contains(root, StringComparison.Ordinal));
    }
}
