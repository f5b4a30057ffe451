using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Exclusion;

namespace Xcat.Imaging.Tests.Exclusion;

public sealed class ExcludeListTests
{
    // The shipped compute exlist (spec §3.4), trimmed to what the tests use.
    private const string ComputeExlist = """
        ./boot*
        ./usr/include*
        ./usr/lib/locale*
        ./usr/share/man*
        ./usr/share/doc*
        ./usr/share/locale/*
        +./usr/share/locale/en_US*
        +./usr/share/locale/C*
        +./usr/share/locale/locale.alias
        +./usr/lib/locale/locale-archive
        ./usr/share/zoneinfo*
        ./tmp*
        """;

    [Theory]
    [InlineData("./boot", true)]
    [InlineData("./boot/vmlinuz", true)]
    [InlineData("./bootstrap.sh", true)]
    [InlineData("./usr/share/man/man1/ls.1.gz", true)]
    [InlineData("./usr/share/manual", true)]
    [InlineData("./usr/share/locale", false)]
    [InlineData("./usr/share/locale/de/LC_MESSAGES/x.mo", true)]
    [InlineData("./usr/share/locale/en_US/LC_MESSAGES/x.mo", false)]
    [InlineData("./usr/share/locale/locale.alias", false)]
    [InlineData("./usr/lib/locale/locale-archive", false)]
    [InlineData("./usr/lib/locale/C.utf8", true)]
    [InlineData("./usr/bin/ls", false)]
    [InlineData(".", false)]
    public void IsExcluded_ComputeExlist_FollowsFindPathSemantics(string path, bool excluded) =>
        ExcludeList.Parse(ComputeExlist).IsExcluded(path).Should().Be(excluded);

    [Theory]
    [InlineData("./usr/share/doc")]
    [InlineData("usr/share/doc")]
    [InlineData("/usr/share/doc")]
    [InlineData("./usr/share/doc/")]
    [InlineData("/usr/share/doc/")]
    public void IsExcluded_PathForms_AreEquivalent(string path)
    {
        var list = ExcludeList.Parse("./usr/share/doc");
        list.IsExcluded(path).Should().BeTrue();
        list.IsExcluded(path.Replace("doc", "docs", StringComparison.Ordinal)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("/")]
    public void IsExcluded_RootForms_AreTheDot(string root) =>
        ExcludeList.Parse(".").IsExcluded(root).Should().BeTrue();

    [Fact]
    public void IsExcluded_PatternWithoutStar_DropsOnlyTheEntryNotItsChildren()
    {
        var list = ExcludeList.Parse("./usr/share/doc");
        list.IsExcluded("./usr/share/doc").Should().BeTrue();
        list.IsExcluded("./usr/share/doc/bash/README").Should().BeFalse();
    }

    [Fact]
    public void IsReincluded_ExcludedAndIncluded_OnlyThenTrue()
    {
        var list = ExcludeList.Parse(ComputeExlist);
        list.IsReincluded("./usr/share/locale/en_US/LC_MESSAGES/x.mo").Should().BeTrue();
        list.IsReincluded("./usr/share/locale/de/x.mo").Should().BeFalse();
        list.IsReincluded("./usr/bin/ls").Should().BeFalse();
        list.IsReincluded("./usr/share/locale").Should().BeFalse();
        ExcludeList.Parse("./a*").IsReincluded("./ab").Should().BeFalse();
    }

    [Fact]
    public void Parse_Syntax_CommentsPrefixesAndWhitespace()
    {
        var list = ExcludeList.Parse("""
            # a comment line
            ./a*   # trailing comment

              -./b
            +./a/keep\t
            ./c\r
            +
            """.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\r", "\r", StringComparison.Ordinal));

        list.Rules.Take(4).Select(r => r.ToString()).Should().Equal("./a*", "./b", "+./a/keep", "./c");
        list.Rules.Take(4).Select(r => r.LineNumber).Should().Equal(2, 4, 5, 6);
        list.Rules.Skip(4).Select(r => r.Pattern).Should().Equal(ExcludeList.StatelitePatterns);
        list.HasIncludes.Should().BeTrue();
    }

    [Theory]
    [InlineData("./etc/init.d/statelite", true)]
    [InlineData("./etc/rc.sysinit.backup", true)]
    [InlineData("./.statelite/litefile.save", true)]
    [InlineData("./.default", true)]
    [InlineData("./.statebackup/x", true)]
    [InlineData("./etc/init.d/statelite.d", false)]
    [InlineData("./etc/init.d", false)]
    public void Default_StatelitePaths_AlwaysExcluded(string path, bool excluded)
    {
        ExcludeList.Default.IsExcluded(path).Should().Be(excluded);
        ExcludeList.Parse("./nothing").IsExcluded(path).Should().Be(excluded);
        ExcludeList.Parse("+./.default/keep").IsExcluded(path).Should().Be(excluded);
    }

    [Fact]
    public void Create_ExactRules_NoBuiltIns()
    {
        var list = ExcludeList.Create([ExcludeRule.Exclude("./x*"), ExcludeRule.Include("./x/y")]);
        list.Rules.Should().HaveCount(2);
        list.IsExcluded("./.statelite").Should().BeFalse();
        list.IsExcluded("./x/z").Should().BeTrue();
        list.IsExcluded("./x/y").Should().BeFalse();
        ExcludeList.Create([]).IsExcluded("./anything").Should().BeFalse();
    }

    [Fact]
    public void WithRules_TimezoneReinclude_AppendsWithoutChangingOriginal()
    {
        var original = ExcludeList.Parse(ComputeExlist);
        var withZone = original.WithRules([ExcludeRule.Include("./usr/share/zoneinfo/Europe/Paris")]);

        withZone.IsExcluded("./usr/share/zoneinfo/Europe/Paris").Should().BeFalse();
        withZone.IsExcluded("./usr/share/zoneinfo/Europe/Berlin").Should().BeTrue();
        original.IsExcluded("./usr/share/zoneinfo/Europe/Paris").Should().BeTrue();
        withZone.Rules.Should().HaveCount(original.Rules.Count + 1);
    }

    [Fact]
    public void GetMatchingRules_ExplainsDecision()
    {
        var list = ExcludeList.Parse(ComputeExlist);
        list.GetMatchingRules("usr/share/locale/en_US/x.mo").Select(r => r.ToString())
            .Should().Equal("./usr/share/locale/*", "+./usr/share/locale/en_US*");
        list.GetMatchingRules("./usr/bin/ls").Should().BeEmpty();
    }

    [Fact]
    public void Parse_Include_ExpandsRecursivelyAnywhereInLine()
    {
        var files = new Dictionary<string, string>
        {
            ["a"] = "./a1\n\n#INCLUDE:b#\n  \n+./a2  \n",
            ["b"] = "./b1\n",
        };
        var list = ExcludeList.Parse("./top\n#INCLUDE:a#\n./x #INCLUDE:b# \n", name => files.GetValueOrDefault(name));

        // "./x ./b1 " is one pattern (textual substitution, as packimage); "./b1" alone comes from a's nested include.
        list.Rules.Select(r => r.ToString()).Should().StartWith(["./top", "./a1", "./b1", "+./a2", "./x ./b1"]);
        list.Rules[1].Source.Should().Be("a");
        list.Rules[1].LineNumber.Should().Be(1);
        list.Rules[2].Source.Should().Be("b");
        list.Rules[3].LineNumber.Should().Be(5);
    }

    [Fact]
    public void Parse_UnresolvedInclude_ThrowsFileNotFound()
    {
        var act = () => ExcludeList.Parse("#INCLUDE:missing.exlist#");
        act.Should().Throw<FileNotFoundException>().WithMessage("*missing.exlist*");
    }

    [Fact]
    public void Parse_IncludeCycle_ThrowsInvalidData()
    {
        var files = new Dictionary<string, string> { ["a"] = "#INCLUDE:b#", ["b"] = "./x\n#INCLUDE:a#" };
        var act = () => ExcludeList.Parse("#INCLUDE:a#", name => files.GetValueOrDefault(name));
        act.Should().Throw<InvalidDataException>().WithMessage("*a -> b -> a*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_SeveralFilesWithRelativeIncludes_MergesInOrder(bool async)
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/opt/xcat/share/xcat/netboot/rh/compute.exlist"] = new("./boot*\n#INCLUDE:common/base.exlist#\n"),
            ["/opt/xcat/share/xcat/netboot/rh/common/base.exlist"] = new("./usr/share/doc*\n#INCLUDE:locale.exlist#\n"),
            ["/opt/xcat/share/xcat/netboot/rh/common/locale.exlist"] = new("./usr/share/locale/*\n+./usr/share/locale/C*\n"),
            ["/install/custom/netboot/rh/site.exlist"] = new("./var/cache/man*\n#INCLUDE:/opt/xcat/share/xcat/netboot/rh/common/locale.exlist#\n"),
        });
        string[] paths = ["/opt/xcat/share/xcat/netboot/rh/compute.exlist", "/install/custom/netboot/rh/site.exlist"];

        var list = async ? await ExcludeList.LoadAsync(fs, paths) : ExcludeList.Load(fs, paths);

        list.Rules.Select(r => r.ToString()).Should().Equal(
        [
            "./boot*", "./usr/share/doc*", "./usr/share/locale/*", "+./usr/share/locale/C*",
            "./var/cache/man*", "./usr/share/locale/*", "+./usr/share/locale/C*",
            .. ExcludeList.StatelitePatterns,
        ]);
        list.Rules[2].Source.Should().Be("/opt/xcat/share/xcat/netboot/rh/common/locale.exlist");
        list.Rules[2].LineNumber.Should().Be(1);
        list.Rules[4].Source.Should().Be("/install/custom/netboot/rh/site.exlist");
        list.IsExcluded("./usr/share/locale/C.utf8/x").Should().BeFalse();
        list.IsExcluded("./usr/share/locale/de/x").Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_UnreadableInclude_ThrowsNamingIncludeAndIncludingFile(bool async)
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData> { ["/x/main.exlist"] = new("./a\n#INCLUDE:gone.exlist#\n") });

        var act = () => async ? ExcludeList.LoadAsync(fs, ["/x/main.exlist"]) : Task.FromResult(ExcludeList.Load(fs, ["/x/main.exlist"]));

        var thrown = (await act.Should().ThrowAsync<FileNotFoundException>()).Which;
        thrown.Message.Should().Contain("gone.exlist").And.Contain("/x/main.exlist");
        thrown.FileName.Should().Be("/x/gone.exlist");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_MissingExlist_ThrowsFileNotFound(bool async)
    {
        var fs = new MockFileSystem();
        var act = () => async ? ExcludeList.LoadAsync(fs, ["/nope.exlist"]) : Task.FromResult(ExcludeList.Load(fs, ["/nope.exlist"]));
        (await act.Should().ThrowAsync<FileNotFoundException>()).Which.Message.Should().Contain("/nope.exlist");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_SelfInclude_ThrowsInvalidData(bool async)
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/x/a.exlist"] = new("#INCLUDE:b.exlist#"),
            ["/x/b.exlist"] = new("#INCLUDE:../x/a.exlist#"),
        });
        var act = () => async ? ExcludeList.LoadAsync(fs, ["/x/a.exlist"]) : Task.FromResult(ExcludeList.Load(fs, ["/x/a.exlist"]));
        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("/x/a.exlist -> /x/b.exlist -> /x/a.exlist");
    }

    [Fact]
    public void Load_SameIncludeTwiceWithoutCycle_IsAllowed()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/x/a.exlist"] = new("#INCLUDE:c.exlist#\n#INCLUDE:b.exlist#"),
            ["/x/b.exlist"] = new("#INCLUDE:c.exlist#"),
            ["/x/c.exlist"] = new("./c"),
        });
        ExcludeList.Load(fs, ["/x/a.exlist"]).Rules.Count(r => r.Pattern == "./c").Should().Be(2);
    }

    [Fact]
    public void Arguments_Null_Throw()
    {
        ((Action)(() => ExcludeList.Parse(null!))).Should().Throw<ArgumentNullException>().WithParameterName("text");
        ((Action)(() => ExcludeList.Default.IsExcluded(null!))).Should().Throw<ArgumentNullException>().WithParameterName("imagePath");
        ((Action)(() => ExcludeList.Load(null!, []))).Should().Throw<ArgumentNullException>().WithParameterName("fileSystem");
        ((Action)(() => _ = ExcludeList.LoadAsync(new MockFileSystem(), null!))).Should().Throw<ArgumentNullException>().WithParameterName("paths");
        ((Action)(() => ExcludeRule.Exclude(""))).Should().Throw<ArgumentException>().WithParameterName("pattern");
    }
}
