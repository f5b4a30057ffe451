using Xcat.Imaging.Building.Layout;

namespace Xcat.Imaging.Tests.Building.Layout;

/// <summary>The postinstall attribute: comma entries of <c>script [args...]</c> (spec §4.5).</summary>
public sealed class PostInstallEntryTests
{
    [Fact]
    public void Parse_SplitsEachEntryIntoScriptAndArguments()
    {
        var entries = PostInstallEntry.Parse(["/install/custom/netboot/rh/compute.postinstall", "/opt/site/tune.sh  --fast\tlevel=2 "]);

        entries.Should().HaveCount(2);
        entries[0].Script.Should().Be("/install/custom/netboot/rh/compute.postinstall");
        entries[0].Arguments.Should().BeEmpty();
        entries[1].Script.Should().Be("/opt/site/tune.sh");
        entries[1].Arguments.Should().Equal("--fast", "level=2");
    }

    [Fact]
    public void Parse_SplitsCommaListsAgain_AndSkipsBlankEntries()
    {
        var entries = PostInstallEntry.Parse(["", "  ", "/a x,,/b", " , /c"]);

        entries.Select(e => e.Script).Should().Equal("/a", "/b", "/c");
        entries[0].Arguments.Should().Equal("x");
    }

    [Fact]
    public void Parse_OfNothing_IsEmpty() => PostInstallEntry.Parse([]).Should().BeEmpty();

    [Fact]
    public void Parse_OfNull_IsAnArgumentError()
    {
        var act = () => PostInstallEntry.Parse(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("postinstallAttribute");
    }
}
