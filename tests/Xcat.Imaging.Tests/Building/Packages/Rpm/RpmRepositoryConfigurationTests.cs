using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Building.Packages;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

public sealed class RpmRepositoryConfigurationTests
{
    internal static MockFileSystem MediaFileSystem()
    {
        var fileSystem = new MockFileSystem();
        foreach (var directory in new[]
                 {
                     "/install/rhels9.4/x86_64/repodata", "/install/rhels9.4/x86_64/BaseOS/repodata",
                     "/install/rhels9.4/x86_64/AppStream/repodata", "/install/rhels9.4/x86_64/AppStream/Packages",
                     "/install/rhels9.4/x86_64/images", "/install/post/otherpkgs/rhels9.4/x86_64/rsct/repodata",
                     "/install/post/otherpkgs/rhels9.4/x86_64/pe", "/install/post/otherpkgs/rhels9.4/x86_64/repodata",
                 })
        {
            fileSystem.AddDirectory(directory);
        }

        fileSystem.AddFile("/install/post/otherpkgs/rhels9.4/x86_64/rsct/repodata/repomd.xml", new MockFileData("<repomd/>"));
        return fileSystem;
    }

    internal static PackageInstallContext Context(MockFileSystem fileSystem, RpmFakeRunner runner, string osVersion = "rhels9.4") => new()
    {
        RootDirectory = "/install/netboot/" + osVersion + "/x86_64/compute/rootimg",
        OsVersion = osVersion,
        Architecture = "x86_64",
        CacheDirectory = "/var/cache/xcatimg",
        PackageDirectories = ["/install/rhels9.4/x86_64/", "https://mirror.example/epel/9/x86_64"],
        OtherPackageDirectories = ["/install/post/otherpkgs/rhels9.4/x86_64,http://repo.example/extra"],
        Packages = new PackageList([new PackagePass(1) { Install = [new("bash"), new("@Core"), new("@nodejs:18")] }]),
        OtherPackages = new PackageList(
        [
            new PackagePass(1)
            {
                Environment = ["INUCLIENTS=1 INUBOSTYPE=1"],
                Install = [new("rsct.core", "rsct"), new("src", "rsct"), new("xcat-tools")],
                PreRemove = [new("perl-doc")],
            },
            new PackagePass(2) { Install = [new("IBM_pe_license", "pe")], PostRemove = [new("ibm-java2-ppc64-jre")] },
        ]),
        Runner = runner,
        FileSystem = fileSystem,
    };

    [Fact]
    public void The_dnf_configuration_has_a_section_per_repodata_directory_url_and_otherpkgdir_subdirectory()
    {
        var configuration = RpmRepositoryConfiguration.Create(Context(MediaFileSystem(), new RpmFakeRunner()));

        configuration.ToDnfConfiguration(foreignArchitecture: false).Should().Be(
            """
            [rhels9.4-x86_64-0]
            name=rhels9.4-x86_64-0
            baseurl=file:///install/rhels9.4/x86_64
            gpgcheck=0
            skip_if_unavailable=True

            [rhels9.4-x86_64-1]
            name=rhels9.4-x86_64-1
            baseurl=file:///install/rhels9.4/x86_64/AppStream
            gpgcheck=0
            skip_if_unavailable=True

            [rhels9.4-x86_64-2]
            name=rhels9.4-x86_64-2
            baseurl=file:///install/rhels9.4/x86_64/BaseOS
            gpgcheck=0
            skip_if_unavailable=True

            [rhels9.4-x86_64-3]
            name=rhels9.4-x86_64-3
            baseurl=https://mirror.example/epel/9/x86_64
            gpgcheck=0
            skip_if_unavailable=True

            [otherpkgs1]
            name=otherpkgs1
            baseurl=http://repo.example/extra
            gpgcheck=0
            skip_if_unavailable=True

            [otherpkgs2]
            name=otherpkgs2
            baseurl=file:///install/post/otherpkgs/rhels9.4/x86_64/rsct
            gpgcheck=0
            skip_if_unavailable=True

            [otherpkgs3]
            name=otherpkgs3
            baseurl=file:///install/post/otherpkgs/rhels9.4/x86_64
            gpgcheck=0
            skip_if_unavailable=True

            [otherpkgs4]
            name=otherpkgs4
            baseurl=http://repo.example/extra
            gpgcheck=0
            skip_if_unavailable=True

            [otherpkgs5]
            name=otherpkgs5
            baseurl=file:///install/post/otherpkgs/rhels9.4/x86_64/pe
            gpgcheck=0
            skip_if_unavailable=True


            """.ReplaceLineEndings("\n"));
        configuration.OtherRepositories(1).Select(repository => repository.Id).Should().Equal("otherpkgs1", "otherpkgs2", "otherpkgs3");
        configuration.OtherRepositories(2).Select(repository => repository.Id).Should().Equal("otherpkgs4", "otherpkgs5");
        configuration.OtherRepositories(3).Should().BeEmpty();
    }

    [Fact]
    public void The_zypper_repo_file_defines_every_repository_and_enables_the_pkgdirs_and_one_passs()
    {
        var configuration = RpmRepositoryConfiguration.Create(Context(MediaFileSystem(), new RpmFakeRunner(), "sles15.5"));

        var file = configuration.ToZypperRepositoryFile(2);

        file.Should().StartWith(
            """
            [sles15.5-0]
            name=sles15.5-0
            baseurl=file:///install/rhels9.4/x86_64
            gpgcheck=0
            type=rpm-md
            enabled=1
            autorefresh=1
            keeppackages=1

            """.ReplaceLineEndings("\n"));
        file.Should().EndWith(
            """
            [otherpkg5]
            name=otherpkg5
            baseurl=file:///install/post/otherpkgs/rhels9.4/x86_64/pe
            gpgcheck=0
            type=plaindir
            enabled=1
            autorefresh=1
            keeppackages=1


            """.ReplaceLineEndings("\n"));
        Sections(file).Should().Equal(
            ("sles15.5-0", true), ("sles15.5-1", true), ("sles15.5-2", true), ("sles15.5-3", true),
            ("otherpkg1", false), ("otherpkg2", false), ("otherpkg3", false), ("otherpkg4", true), ("otherpkg5", true));
        Sections(configuration.ToZypperRepositoryFile(0)).Where(section => section.Enabled).Should().HaveCount(4);
        configuration.OtherRepositories(1)[1].Type.Should().Be(RpmRepository.RpmMetadata);
    }

    internal static List<(string Id, bool Enabled)> Sections(string repoFile) =>
        repoFile.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(section => (section.Split('\n')[0].Trim('[', ']'), section.Contains("\nenabled=1", StringComparison.Ordinal)))
            .ToList();

    [Fact]
    public void A_foreign_architecture_gets_a_main_section_forcing_it()
    {
        var configuration = RpmRepositoryConfiguration.Create(Context(MediaFileSystem(), new RpmFakeRunner()));

        configuration.ToDnfConfiguration(foreignArchitecture: true).Should().StartWith("[main]\narch=x86_64\nignorearch=True\n\n[rhels9.4-x86_64-0]\n");
    }

    [Fact]
    public void For_zypper_a_pkgdir_without_repodata_is_its_media_directories_or_itself_of_a_detected_type()
    {
        var fileSystem = MediaFileSystem();
        fileSystem.AddDirectory("/install/sles12.5/x86_64/1/suse/setup");
        fileSystem.AddDirectory("/install/sles12.5/x86_64/2");
        fileSystem.AddDirectory("/install/custom/plain");
        var context = With(Context(fileSystem, new RpmFakeRunner(), "sles12.5"),
            packageDirectories: ["/install/sles12.5/x86_64", "/install/custom/plain/", "/install/rhels9.4/x86_64/BaseOS"], otherPackages: PackageList.Empty);

        var configuration = RpmRepositoryConfiguration.CreateForZypper(context);

        configuration.MainRepositories.Select(repository => (repository.BaseUrl, repository.Type)).Should().Equal(
            ("file:///install/sles12.5/x86_64/1", null), ("file:///install/sles12.5/x86_64/2", null), ("file:///install/custom/plain", null),
            ("file:///install/rhels9.4/x86_64/BaseOS", RpmRepository.RpmMetadata));
        configuration.ToZypperRepositoryFile(0).Should().StartWith(
            "[sles12.5-0]\nname=sles12.5-0\nbaseurl=file:///install/sles12.5/x86_64/1\ngpgcheck=0\nenabled=1\n");
        var forDnf = () => RpmRepositoryConfiguration.Create(With(context, packageDirectories: ["/install/sles12.5/x86_64"]));
        forDnf.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Two_local_otherpkgdir_directories_are_refused_with_genimages_message()
    {
        var context = Context(MediaFileSystem(), new RpmFakeRunner());
        context = With(context, otherDirectories: ["/install/post/otherpkgs/a,/install/post/otherpkgs/b"]);

        var create = () => RpmRepositoryConfiguration.Create(context);

        create.Should().Throw<ArgumentException>().WithMessage("genimage: at most only 1 local dir in otherpkgdir is supported.*");
    }

    [Fact]
    public void A_pkgdir_without_any_repository_is_refused_naming_it()
    {
        var context = With(Context(MediaFileSystem(), new RpmFakeRunner()), packageDirectories: ["/install/rhels9.4/x86_64/images"]);

        var create = () => RpmRepositoryConfiguration.Create(context);

        create.Should().Throw<ArgumentException>().WithMessage("*'/install/rhels9.4/x86_64/images'*createrepo*");
    }

    [Fact]
    public void An_otherpkglist_subdirectory_without_a_local_otherpkgdir_is_refused()
    {
        var context = With(Context(MediaFileSystem(), new RpmFakeRunner()), otherDirectories: ["http://repo.example/extra"]);

        var create = () => RpmRepositoryConfiguration.Create(context);

        create.Should().Throw<ArgumentException>().WithMessage("*'rsct/'*no local directory*");
    }

    [Fact]
    public void Without_an_otherpkglist_otherpkgdir_is_not_read()
    {
        var context = With(Context(MediaFileSystem(), new RpmFakeRunner()), otherDirectories: ["/a", "/b"], otherPackages: PackageList.Empty);

        var configuration = RpmRepositoryConfiguration.Create(context);

        configuration.AllRepositories.Select(repository => repository.Id).Should().Equal(
            "rhels9.4-x86_64-0", "rhels9.4-x86_64-1", "rhels9.4-x86_64-2", "rhels9.4-x86_64-3");
    }

    private static PackageInstallContext With(
        PackageInstallContext context, IReadOnlyList<string>? packageDirectories = null, IReadOnlyList<string>? otherDirectories = null,
        PackageList? otherPackages = null) => new()
    {
        RootDirectory = context.RootDirectory,
        OsVersion = context.OsVersion,
        Architecture = context.Architecture,
        CacheDirectory = context.CacheDirectory,
        PackageDirectories = packageDirectories ?? context.PackageDirectories,
        OtherPackageDirectories = otherDirectories ?? context.OtherPackageDirectories,
        Packages = context.Packages,
        OtherPackages = otherPackages ?? context.OtherPackages,
        Runner = context.Runner,
        FileSystem = context.FileSystem,
    };
}
