using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Packages;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

public sealed class ZypperInstallerCommandTests
{
    [Fact]
    public async Task The_commands_are_sles_genimages_with_repositories_outside_the_root()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner, "sles15.5");

        await new ZypperInstaller().InstallAsync(context);

        var repos = runner.Files[0].Path[..^"/genimage.repo".Length];
        var common = "zypper --root /install/netboot/sles15.5/x86_64/compute/rootimg --reposd-dir " + repos
            + " --non-interactive --no-gpg-checks --gpg-auto-import-keys";
        const string Home = "HOME=/var/cache/xcatimg/rpm ";
        runner.Lines.Should().Equal(
            Home + common + " install -l --no-recommends bash",
            Home + common + " install -l --no-recommends -t pattern Core nodejs:18",
            "HOME=/var/cache/xcatimg/rpm INUBOSTYPE=1 INUCLIENTS=1 " + common + " remove perl-doc",
            "HOME=/var/cache/xcatimg/rpm INUBOSTYPE=1 INUCLIENTS=1 " + common + " install -l --no-recommends rsct.core src xcat-tools",
            Home + common + " update",
            Home + common + " install -l --no-recommends IBM_pe_license",
            Home + common + " remove ibm-java2-ppc64-jre",
            Home + common + " update");
        runner.Commands.Should().AllSatisfy(command =>
        {
            command.Root.Should().Be("/install/netboot/sles15.5/x86_64/compute/rootimg");
            command.Binds.Should().Equal(new BuildBind("/var/cache/xcatimg/zypper", "/var/cache/zypp/packages"));
        });
        repos.Should().StartWith("/var/cache/xcatimg/rpm/genimage-").And.EndWith(".repos.d");
    }

    [Fact]
    public async Task The_repo_file_holds_the_pkgdir_repositories_then_each_passs_otherpkgdir_ones()
    {
        var runner = new RpmFakeRunner();
        var context = RpmRepositoryConfigurationTests.Context(RpmRepositoryConfigurationTests.MediaFileSystem(), runner, "sles15.5");

        await new ZypperInstaller().InstallAsync(context);

        var repoFiles = runner.Files.Where(file => file.Path.EndsWith("/genimage.repo", StringComparison.Ordinal))
            .Select(file => RpmRepositoryConfigurationTests.Sections(file.Contents).Where(section => section.Enabled).Select(section => section.Id).ToList())
            .ToList();
        repoFiles.Should().HaveCount(3);
        string[] main = ["sles15.5-0", "sles15.5-1", "sles15.5-2", "sles15.5-3"];
        repoFiles[0].Should().Equal(main);
        repoFiles[1].Should().Equal([.. main, "otherpkg1", "otherpkg2", "otherpkg3"]);
        repoFiles[2].Should().Equal([.. main, "otherpkg4", "otherpkg5"]);
        runner.Files.Should().Contain(("/install/netboot/sles15.5/x86_64/compute/rootimg/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"));
        runner.Files.Should().Contain(("/install/netboot/sles15.5/x86_64/compute/rootimg/etc/fstab", "#Dummy fstab for rpm postscripts to see\n"));
        runner.Files[^1].Contents.Should().Contain("[otherpkg5]\nname=otherpkg5\nbaseurl=file:///install/post/otherpkgs/rhels9.4/x86_64/pe\ngpgcheck=0\ntype=plaindir\n");
    }
}
