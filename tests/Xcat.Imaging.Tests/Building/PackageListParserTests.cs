using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Building.Packages;

namespace Xcat.Imaging.Tests.Building;

/// <summary>The pkglist rules of xCAT's <c>imgutils.pm::get_package_names</c>, on a mock file system.</summary>
public sealed class PackageListParserTests
{
    private static readonly PackageListParserOptions OtherPackages = new() { HonourRemovals = true, Environment = new Dictionary<string, string>() };
    private static readonly PackageListParserOptions OsPackages = new() { Environment = new Dictionary<string, string>() };

    private readonly MockFileSystem _fileSystem = new();

    [Fact]
    public async Task TheOtherpkgsExample_OfTheDocumentation_GivesTwoPasses()
    {
        // nonubuntu_os_other_pkg.rst, spec §7.2.
        Write("/install/custom/netboot/rh/compute.otherpkgs.pkglist", """
            #ENV:INUCLIENTS=1 INUBOSTYPE=1#
            rsct/rsct.core
            rsct/src
            #INCLUDE:/install/post/otherpkgs/myotherlist#
            -perl-doc
            #NEW_INSTALL_LIST#
            pe/IBM_pe_license
            --ibm-java2-ppc64-jre
            """);
        Write("/install/post/otherpkgs/myotherlist", "gpfs/gpfs.base\nhello\n");

        var list = await Parse(OtherPackages, "/install/custom/netboot/rh/compute.otherpkgs.pkglist");

        list.Passes.Should().HaveCount(2);
        var first = list.Passes[0];
        first.Number.Should().Be(1);
        first.Environment.Should().Equal("INUCLIENTS=1 INUBOSTYPE=1");
        first.Install.Should().Equal(new PackageName("rsct.core", "rsct"), new PackageName("src", "rsct"), new PackageName("gpfs.base", "gpfs"), new PackageName("hello"));
        first.PreRemove.Should().Equal(new PackageName("perl-doc"));
        first.PostRemove.Should().BeEmpty();
        var second = list.Passes[1];
        second.Number.Should().Be(2);
        second.Environment.Should().BeEmpty();
        second.Install.Should().Equal(new PackageName("IBM_pe_license", "pe"));
        second.PreRemove.Should().BeEmpty();
        second.PostRemove.Should().Equal(new PackageName("ibm-java2-ppc64-jre"));
    }

    [Fact]
    public async Task Removals_InTheOsPkglist_AreDropped()
    {
        Write("/l/os", "bash\n-perl-doc\n--vim-minimal\nopenssh\n");

        var list = await Parse(OsPackages, "/l/os");

        list.Passes.Should().ContainSingle();
        list.Passes[0].Install.Should().Equal(new PackageName("bash"), new PackageName("openssh"));
        list.Passes[0].PreRemove.Should().BeEmpty();
        list.Passes[0].PostRemove.Should().BeEmpty();
    }

    [Fact]
    public async Task BlankLinesAndComments_AreSkipped_TrailingBlanksStripped()
    {
        Write("/l/os", "# a comment\n\n   \n   # indented comment\nbash   \t\r\n#INCLUDE without closing\n#NEW_INSTALL_LIST without hash\nzsh\r\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: bash zsh");
    }

    [Fact]
    public async Task CommasOnALine_SeparateEntries()
    {
        Write("/l/os", "bash,zsh,,tcsh\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: bash zsh tcsh");
    }

    [Fact]
    public async Task BlanksAroundAndInsideAPlainEntry_AreTheShellsWordSplitting()
    {
        // genimage joins the names into one shell command: "a, b" and "  vim git" are plain words to yum.
        Write("/l/os", "a, b\n  vim git\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: a b vim git");
    }

    [Fact]
    public async Task AnIndentedMarker_IsNoMarker()
    {
        // Only column 0 counts in get_package_names: "  -foo" installs "-foo", an indented tag is a shell comment.
        Write("/l/other", "  -foo\n  #NEW_INSTALL_LIST#\n  #ENV:A=1#\nbar\n");

        var list = await Parse(OtherPackages, "/l/other");

        list.Passes.Should().ContainSingle();
        list.Passes[0].Install.Should().Equal(new PackageName("-foo"), new PackageName("bar"));
        list.Passes[0].PreRemove.Should().BeEmpty();
        list.Passes[0].Environment.Should().BeEmpty();
    }

    [Fact]
    public async Task Groups_KeepTheirSpaces_AndModulesTheirStream()
    {
        Write("/l/os", "@core\n@Development Tools\n@nodejs:18\nsubdir/@Infiniband Support\n");

        var list = await Parse(OsPackages, "/l/os");

        var install = list.Passes[0].Install;
        install.Should().Equal(
            new PackageName("@core"),
            new PackageName("@Development Tools"),
            new PackageName("@nodejs:18"),
            new PackageName("@Infiniband Support", "subdir"));
        install.Select(p => p.IsGroup).Should().AllBeEquivalentTo(true);
        install.Select(p => p.IsModule).Should().Equal(false, false, true, false);
    }

    [Fact]
    public async Task NestedSubdirectories_AreTheRepository_AsDirnameGivesThem()
    {
        Write("/l/other", "a/b/pkg\nc/\n/rooted\n");

        var list = await Parse(OtherPackages, "/l/other");

        list.Passes[0].Install.Should().Equal(new PackageName("pkg", "a/b"), new PackageName("c"), new PackageName("rooted", "/"));
    }

    [Fact]
    public async Task Duplicates_WithinAPass_KeepTheFirst_ButNotAcrossPassesOrRepositories()
    {
        Write("/l/other", "a\nb\na\nsub/a\nb\n#NEW_INSTALL_LIST#\na\n-x\n-x\n");

        var list = await Parse(OtherPackages, "/l/other");

        list.Passes[0].Install.Should().Equal(new PackageName("a"), new PackageName("b"), new PackageName("a", "sub"));
        list.Passes[1].Install.Should().Equal(new PackageName("a"));
        list.Passes[1].PreRemove.Should().Equal(new PackageName("x"));
    }

    [Fact]
    public async Task RemovalsOfASubdirEntry_UseTheBaseName()
    {
        Write("/l/other", "-sub/old\n--sub/older\n---triple\n");

        var list = await Parse(OtherPackages, "/l/other");

        list.Passes[0].PreRemove.Should().Equal(new PackageName("old"));
        list.Passes[0].PostRemove.Should().Equal(new PackageName("older"), new PackageName("-triple"));
        list.Passes[0].Install.Should().BeEmpty();
    }

    [Fact]
    public async Task SeveralFiles_AreMerged_EachStartingAgainAtPassOne()
    {
        Write("/l/first", "a\n#NEW_INSTALL_LIST#\nb\n");
        Write("/l/second", "c\n#NEW_INSTALL_LIST#\nd\n#NEW_INSTALL_LIST#\ne\n");

        var list = await Parse(OsPackages, "/l/first", "/l/second");

        Render(list).Should().Equal("1: a c", "2: b d", "3: e");
    }

    [Fact]
    public async Task EmptyFileNames_AreSkipped()
    {
        Write("/l/os", "a\n");

        var list = await Parse(OsPackages, "", "/l/os");

        Render(list).Should().Equal("1: a");
    }

    [Fact]
    public async Task EmptyPasses_AreDropped_AndTheRestNumberedFromOne()
    {
        Write("/l/os", "#NEW_INSTALL_LIST#\n#NEW_INSTALL_LIST#\n#ENV:ONLY=1#\n#NEW_INSTALL_LIST#\na\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: a");
        list.Passes[0].Environment.Should().BeEmpty("the env-only pass installs nothing");
    }

    [Fact]
    public async Task AnEmptyOrCommentOnlyList_IsEmpty()
    {
        Write("/l/empty", "");
        Write("/l/comments", "# nothing\n\n");

        var list = await Parse(OsPackages, "/l/empty", "/l/comments");

        list.IsEmpty.Should().BeTrue();
        list.Passes.Should().BeEmpty();
    }

    [Fact]
    public async Task SeveralEnvTags_StayInOrder_AndAnEnvWithACommaIsBroken_AsInXcat()
    {
        Write("/l/other", "#ENV:A=1#\n#ENV:B=2 C=3#\nx\n#ENV:D=4,E=5#\n");

        var list = await Parse(OtherPackages, "/l/other");

        // The comma split cuts "#ENV:D=4,E=5#" into a dropped comment and a package "E=5#".
        list.Passes[0].Environment.Should().Equal("A=1", "B=2 C=3");
        list.Passes[0].Install.Should().Equal(new PackageName("x"), new PackageName("E=5#"));
    }

    [Fact]
    public async Task Includes_AreRecursive_AndRelativeToTheTopLevelDirectory()
    {
        Write("/top/os.pkglist", "a\n#INCLUDE:inc/one#\nz\n");
        Write("/top/inc/one", "b\n#INCLUDE:inc/two#\n");

        // Relative to /top (the top-level file's directory), not to /top/inc where "one" lives.
        Write("/top/inc/two", "c\n#NEW_INSTALL_LIST#\nd\n");
        Write("/top/inc/inc/two", "wrong\n");

        var list = await Parse(OsPackages, "/top/os.pkglist");

        Render(list).Should().Equal("1: a b c", "2: d z");
    }

    [Fact]
    public async Task AnIncludeMayFollowTextOnItsLine_AndCommentsInsideItAreFiltered()
    {
        Write("/l/os", "pre #INCLUDE:/l/inc# post\n");
        Write("/l/inc", "# comment\n\nx\ny   \n");

        var list = await Parse(OsPackages, "/l/os");

        // "pre #INCLUDE:/l/inc# post" becomes "pre x,y post": words split as the shell does.
        Render(list).Should().Equal("1: pre x y post");
    }

    [Fact]
    public async Task AnEmptyInclude_AddsNothing()
    {
        Write("/l/os", "a\n#INCLUDE:/l/empty#\nb\n");
        Write("/l/empty", "\n# only a comment\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: a b");
    }

    [Fact]
    public async Task TheSameFile_MayBeIncludedTwice()
    {
        Write("/l/os", "#INCLUDE:/l/common#\n#INCLUDE:/l/mid#\n");
        Write("/l/mid", "m\n#INCLUDE:/l/common#\n");
        Write("/l/common", "c\n");

        var list = await Parse(OsPackages, "/l/os");

        Render(list).Should().Equal("1: c m");
    }

    [Fact]
    public async Task IncludePaths_SubstituteVariables_OfTheGivenEnvironment()
    {
        Write("/l/os", "#INCLUDE:${SITE}/$OSVER.list#\n#INCLUDE:$UNSET/x#\n");
        Write("/site/rhels9.list", "fromsite\n");
        var options = new PackageListParserOptions
        {
            Environment = new Dictionary<string, string> { ["SITE"] = "/site", ["OSVER"] = "rhels9" },
        };

        var act = () => Parse(options, "/l/os");

        // An unknown variable stays as written (varsubinline), so that include is relative and missing.
        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Be(
            "Unable to open the following pkglist files: /l/$UNSET/x");
        Write("/l/$UNSET/x", "literal\n");
        Render(await Parse(options, "/l/os")).Should().Equal("1: fromsite literal");
    }

    [Fact]
    public async Task IncludePaths_UseTheProcessEnvironment_ByDefault()
    {
        var variable = "XCATIMG_PKGLIST_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "/from-env");
        try
        {
            Write("/l/os", $"#INCLUDE:${variable}/list#\n");
            Write("/from-env/list", "e\n");

            var list = await new PackageListParser(_fileSystem).ParseAsync(["/l/os"]);

            Render(list).Should().Equal("1: e");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task EveryUnreadableFile_IsNamedInOneIOException()
    {
        Write("/l/os", "a\n#INCLUDE:missing-one#\n#INCLUDE:/abs/missing-two#\n#INCLUDE:/l/nested#\n");
        Write("/l/nested", "#INCLUDE:missing-three#\n");

        var act = () => Parse(OsPackages, "/l/os", "/l/absent");

        var thrown = await act.Should().ThrowAsync<IOException>();
        thrown.Which.Message.Should().StartWith("Unable to open the following pkglist files:");
        thrown.Which.Message.Should().Be(
            "Unable to open the following pkglist files: /l/missing-one, /abs/missing-two, /l/missing-three, /l/absent");
    }

    [Fact]
    public async Task AMissingTopLevelFile_IsUnreadable()
    {
        var act = () => Parse(OsPackages, "/nowhere/compute.pkglist");

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Be(
            "Unable to open the following pkglist files: /nowhere/compute.pkglist");
    }

    [Fact]
    public async Task ADirectory_IsUnreadable()
    {
        _fileSystem.AddDirectory("/l/dir");

        var act = () => Parse(OsPackages, "/l/dir");

        await act.Should().ThrowAsync<IOException>().WithMessage("*/l/dir*");
    }

    [Fact]
    public async Task AnIncludeCycle_IsRefused_NamingItsFiles()
    {
        Write("/l/os", "a\n#INCLUDE:/l/one#\n");
        Write("/l/one", "#INCLUDE:two#\n");
        Write("/l/two", "#INCLUDE:/l/one#\n");

        var act = () => Parse(OsPackages, "/l/os");

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Be(
            "The pkglist includes form a cycle: /l/os -> /l/one -> /l/two -> /l/one");
    }

    [Fact]
    public async Task AFileIncludingItself_IsACycle()
    {
        Write("/l/os", "#INCLUDE:os#\n");

        var act = () => Parse(OsPackages, "/l/os");

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("/l/os -> /l/os");
    }

    [Fact]
    public async Task ADiamondOfIncludes_TooLargeToExpand_IsRefused()
    {
        // Each level includes the next twice: 2^30 copies of one line.
        for (var i = 0; i < 30; i++)
        {
            Write($"/l/d{i}", $"#INCLUDE:d{i + 1}#\n#INCLUDE:d{i + 1}#\n");
        }

        Write("/l/d30", "pkg-with-a-long-name\n");

        var act = () => Parse(OsPackages, "/l/d0");

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*/l/d0*");
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        Write("/l/os", "a\n");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => new PackageListParser(_fileSystem).ParseAsync(["/l/os"], OsPackages, cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ANullList_IsAnArgumentError()
    {
        var act = () => new PackageListParser(_fileSystem).ParseAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("files");
    }

    private static IEnumerable<string> Render(PackageList list) =>
        list.Passes.Select(p => $"{p.Number}: {string.Join(' ', p.Install)}");

    private void Write(string path, string text) => _fileSystem.AddFile(path, new MockFileData(text));

    private Task<PackageList> Parse(PackageListParserOptions options, params string[] files) =>
        new PackageListParser(_fileSystem).ParseAsync(files, options);
}
