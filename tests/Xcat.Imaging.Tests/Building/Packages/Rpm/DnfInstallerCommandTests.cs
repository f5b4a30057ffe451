using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Packages;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

public sealed class DnfInstallerCommandTests
{
    private const string Root = "/install/netboot/rhels9.4/x86_64/compute/rootimg";

    [Fact]
    public async Task The_commands_are_rh_genimages_with_the_cache_bound_from_outside_the_root()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner);

        await new DnfInstaller("dnf").InstallAsync(context);

        const string Common = "dnf -y -c /var/cache/xcatimg/rpm/genimage-" + "{key}" + ".conf --installroot=" + Root + "/ '--disablerepo=*' --releasever=9"
            + " --setopt=module_platform_id=platform:el9 --setopt=keepcache=True --setopt=metadata_expire=0"
            + " --enablerepo=rhels9.4-x86_64-0 --enablerepo=rhels9.4-x86_64-1 --enablerepo=rhels9.4-x86_64-2 --enablerepo=rhels9.4-x86_64-3";
        var common = Common.Replace("{key}", Key(runner), StringComparison.Ordinal);
        const string Home = "HOME=/var/cache/xcatimg/rpm ";
        const string Pass1 = " --enablerepo=otherpkgs1 --enablerepo=otherpkgs2 --enablerepo=otherpkgs3";
        const string Pass2 = " --enablerepo=otherpkgs4 --enablerepo=otherpkgs5";
        const string Env = "HOME=/var/cache/xcatimg/rpm INUBOSTYPE=1 INUCLIENTS=1 ";
        runner.Lines.Should().Equal(
            Home + common + " install bash @Core @nodejs:18",
            Env + common + Pass1 + " erase perl-doc",
            Env + common + Pass1 + " install rsct.core src xcat-tools",
            Home + common + Pass1 + " update",
            Home + common + Pass2 + " install IBM_pe_license",
            Home + common + Pass2 + " erase ibm-java2-ppc64-jre",
            Home + common + Pass2 + " update");
        runner.Commands.Should().AllSatisfy(command =>
        {
            command.Root.Should().Be(Root);
            command.Chroot.Should().BeFalse();
            command.Binds.Should().Equal(new BuildBind("/var/cache/xcatimg/dnf", "/var/cache/dnf"));
            command.FailureMessage.Should().Be("RPM package manager invocation failed");
        });
    }

    [Fact]
    public async Task The_files_written_are_the_configuration_and_macros_in_the_cache_and_the_dummy_fstab()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner);

        await new DnfInstaller("dnf").InstallAsync(context);

        runner.Files.Select(file => file.Path).Should().Equal(
            "/var/cache/xcatimg/rpm/genimage-" + Key(runner) + ".conf", Root + "/etc/fstab", "/var/cache/xcatimg/rpm/.rpmmacros");
        runner.Files[0].Contents.Should().Be(RpmRepositoryConfiguration.Create(context).ToDnfConfiguration(foreignArchitecture: false));
        runner.Files[1].Contents.Should().Be("#Dummy fstab for rpm postscripts to see\n");
        runner.Files[2].Contents.Should().Be("%_dbpath /var/lib/rpm\n");
    }

    [Fact]
    public async Task A_host_rpm_with_the_standard_database_path_gets_no_home_and_noupdate_skips_the_update()
    {
        var runner = new RpmFakeRunner("/var/lib/rpm");
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner);
        context = new PackageInstallContext
        {
            RootDirectory = context.RootDirectory, OsVersion = "rocky8.10", Architecture = "x86_64", CacheDirectory = "/c/",
            PackageDirectories = context.PackageDirectories, Packages = context.Packages, OtherPackages = context.OtherPackages,
            OtherPackageDirectories = context.OtherPackageDirectories, NoUpdate = true, KernelVersion = "4.18.0-553.el8_10.x86_64",
            Runner = runner, FileSystem = context.FileSystem, Environment = new Dictionary<string, string> { ["LANG"] = "C" },
        };

        await new DnfInstaller("/usr/bin/dnf").InstallAsync(context);

        runner.Commands.Should().HaveCount(5).And.AllSatisfy(command =>
        {
            command.Environment.Should().ContainKey("LANG").And.NotContainKey("HOME");
            command.Arguments.Should().Contain("--releasever=8").And.Contain("--setopt=module_platform_id=platform:el8").And.NotContain("update");
            command.Binds.Should().Equal(new BuildBind("/c/dnf", "/var/cache/dnf"));
        });
        runner.Files.Select(file => file.Path).Should().NotContain(path => path.EndsWith(".rpmmacros", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_dnf_on_the_path_or_for_el7_yum_runs_without_the_module_platform()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner, "centos7.9");

        await new DnfInstaller().InstallAsync(context);

        runner.Commands.Should().AllSatisfy(command =>
        {
            command.FileName.Should().Be("yum");
            command.Arguments.Should().Contain("--releasever=7").And.NotContain(argument => argument.StartsWith("--setopt=module_platform_id", StringComparison.Ordinal));
            command.Binds.Should().Equal(new BuildBind("/var/cache/xcatimg/yum", "/var/cache/yum"));
        });
    }

    [Fact]
    public async Task A_failing_erase_or_update_is_tolerated_as_genimage_does_but_a_failing_install_is_not()
    {
        var runner = new RpmFakeRunner { Fails = command => command.Arguments.Contains("erase") || command.Arguments.Contains("update") };
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner);

        await new DnfInstaller("dnf").InstallAsync(context);
        runner.Commands.Should().HaveCount(7);

        var failing = new RpmFakeRunner { Fails = command => command.Arguments.Contains("rsct.core") };
        var install = () => new DnfInstaller("dnf").InstallAsync(RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), failing));
        await install.Should().ThrowAsync<InvalidOperationException>().WithMessage("RPM package manager invocation failed*");
        failing.Commands.Should().HaveCount(3);
    }

    [Fact]
    public async Task An_env_word_that_is_not_an_assignment_is_refused()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner);
        context = new PackageInstallContext
        {
            RootDirectory = context.RootDirectory, OsVersion = context.OsVersion, Architecture = "x86_64", CacheDirectory = "/c",
            PackageDirectories = context.PackageDirectories, Runner = runner, FileSystem = context.FileSystem,
            Packages = new PackageList([new PackagePass(1) { Environment = ["A=1 oops"], Install = [new("bash")] }]),
        };

        var install = () => new DnfInstaller("dnf").InstallAsync(context);

        await install.Should().ThrowAsync<ArgumentException>().WithMessage("*'oops' is not NAME=value*");
    }

    private static string Key(RpmFakeRunner runner) =>
        runner.Files[0].Path["/var/cache/xcatimg/rpm/genimage-".Length..^".conf".Length];
}
