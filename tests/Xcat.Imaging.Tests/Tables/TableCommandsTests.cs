using System.Text;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Tables;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Tables;

public sealed class TableCommandsTests
{
    private const string NodetypeHeader = "#node,os,arch,profile,provmethod,supportedarchs,nodetype,comments,disable\n";
    private const string PostscriptsHeader = "#node,postscripts,postbootscripts,comments,disable\n";

    private readonly InMemoryImageCatalog _catalog = new();

    private TableCommands Commands => new(_catalog);

    [Fact]
    public void ParseKey_SplitsPairsAtTheirFirstEquals()
        => TableCommands.ParseKey("node=n1,comments=a=b,os=").Should().Equal(new Dictionary<string, string>
        {
            ["node"] = "n1", ["comments"] = "a=b", ["os"] = string.Empty,
        });

    [Theory]
    [InlineData("node", "Incorrect argument \"node\".")]
    [InlineData("node=n1,=x", "Incorrect argument \"=x\".")]
    public void ParseKey_PairWithoutColumn_ThrowsXcatMessage(string text, string message)
        => FluentActions.Invoking(() => TableCommands.ParseKey(text)).Should().Throw<ArgumentException>().WithMessage(message + "*");

    [Theory]
    [InlineData("nodelist.groups=all", "nodelist", "groups", "all", AttributeChangeMode.Replace)]
    [InlineData("postscripts.postbootscripts+=otherpkgs", "postscripts", "postbootscripts", "otherpkgs", AttributeChangeMode.Plus)]
    [InlineData("site.value=a=b+=c", "site", "value", "a=b+=c", AttributeChangeMode.Replace)]
    [InlineData("nodetype.os=", "nodetype", "os", "", AttributeChangeMode.Replace)]
    [InlineData("linuximage.pkgdir=/a.b", "linuximage", "pkgdir", "/a.b", AttributeChangeMode.Replace)]
    public void TableAssignment_Parse_SplitsTableColumnAndValue(string text, string table, string column, string value, AttributeChangeMode mode)
    {
        var assignment = TableAssignment.Parse(text);
        (assignment.Table, assignment.Column, assignment.Value, assignment.Mode).Should().Be((table, column, value, mode));
    }

    [Theory]
    [InlineData("nodelist")]
    [InlineData("nodelist.groups")]
    [InlineData(".groups=all")]
    [InlineData("nodelist.=all")]
    public void TableAssignment_Parse_Malformed_Throws(string text)
        => FluentActions.Invoking(() => TableAssignment.Parse(text)).Should().Throw<ArgumentException>().WithMessage($"'{text}' is not of the form table.column=value.*");

    [Fact]
    public async Task SetAsync_AddsRowsThenChangesThem_AndAppendsWithPlus()
    {
        await SetAsync("node=n1", "nodetype.os=rhels9.4", "nodetype.arch=x86_64", "postscripts.postscripts=a,b");
        await SetAsync("node=n2", "nodetype.os=sles15");
        await SetAsync("node=n1", "nodetype.os=rhels9.5", "postscripts.postscripts+=b,c", "postscripts.postbootscripts+=x");

        (await DumpAsync("nodetype")).Should().Be(NodetypeHeader +
            "\"n1\",\"rhels9.5\",\"x86_64\",,,,,,\n" +
            "\"n2\",\"sles15\",,,,,,,\n");
        (await DumpAsync("postscripts")).Should().Be(PostscriptsHeader + "\"n1\",\"a,b,c\",\"x\",,\n");
    }

    [Fact]
    public async Task SetAsync_KeyOnAnotherColumn_ChangesEveryMatchingRow()
    {
        await RestoreAsync("nodetype", NodetypeHeader + "\"n1\",\"sles15\",,,,,,,\n\"n2\",\"rhels9.4\",,,,,,,\n\"n3\",\"sles15\",,,,,,,\"1\"\n");

        (await SetAsync("os=sles15", "nodetype.arch=ppc64le")).Should().Be(2);

        (await DumpAsync("nodetype")).Should().Be(NodetypeHeader +
            "\"n1\",\"sles15\",\"ppc64le\",,,,,,\n\"n2\",\"rhels9.4\",,,,,,,\n\"n3\",\"sles15\",\"ppc64le\",,,,,,\"1\"\n");
    }

    [Fact]
    public async Task SetAsync_TwoKeyColumns_AddsALitefileRow()
    {
        await SetAsync("image=img,file=/etc/ssh/", "litefile.options=persistent");
        await SetAsync("image=img,file=/var/log/", "litefile.options=tmpfs");
        await SetAsync("image=img,file=/etc/ssh/", "litefile.comments=keys");

        (await DumpAsync("litefile")).Should().Be("#image,file,options,comments,disable\n" +
            "\"img\",\"/etc/ssh/\",\"persistent\",\"keys\",\n\"img\",\"/var/log/\",\"tmpfs\",,\n");
    }

    [Fact]
    public async Task SetAsync_EmptyValue_ClearsTheColumn()
    {
        await SetAsync("key=master", "site.value=mn1", "site.comments=the mn");
        await SetAsync("key=master", "site.comments=");
        (await DumpAsync("site")).Should().Be("#key,value,comments,disable\n\"master\",\"mn1\",,\n");
    }

    [Theory]
    [InlineData("node=n1", "nodetype.os=p", "nosuch.os=x", "Table nosuch does not exist.")]
    [InlineData("node=n1", "nodetype.os=p", "nodetype.colour=x", "nodetype.colour not a valid table.column description")]
    [InlineData("colour=n1", "nodetype.os=x", "postscripts.postscripts=p", "No column \"colour\" in table \"nodetype\"")]
    [InlineData("os=a", "nodetype.arch=x", "postscripts.postscripts=p", "No column \"os\" in table \"postscripts\"")]
    [InlineData("node=n0", "nodetype.os=b", "litefile.options=x", "No column \"node\" in table \"litefile\"")]
    [InlineData("os=x", "nodetype.arch=x", "nodetype.profile=x", "No row of table 'nodetype' matches os=x; to add one, the key must give its key column 'node'.")]
    [InlineData("image=img", "litefile.options=tmpfs", "litefile.comments=c", "the key must give its key column 'file'")]
    [InlineData("node=n1", "nodetype.os=p", "nodetype.node=n2", "nodetype.node is a key column")]
    public async Task SetAsync_BadInput_ThrowsAndChangesNothing(string key, string valid, string assignment, string message)
    {
        await RestoreAsync("nodetype", NodetypeHeader + "\"n0\",\"a\",,,,,,,\n");
        var before = await CatalogSnapshot.TakeAsync(_catalog);

        // A refusal found after a valid assignment must not leave that one applied.
        var act = () => SetAsync(key, valid, assignment);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message);
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task DeleteAsync_RemovesMatchingRowsFromEachTable()
    {
        await RestoreAsync("nodetype", NodetypeHeader + "\"n1\",\"a\",,,,,,,\n\"n2\",\"a\",,,,,,,\n");
        await RestoreAsync("postscripts", PostscriptsHeader + "\"n1\",\"p\",,,\n\"n2\",\"q\",,,\n");

        (await Commands.DeleteAsync(TableCommands.ParseKey("node=n1"), ["nodetype", "postscripts"])).Should().Be(2);
        (await Commands.DeleteAsync(TableCommands.ParseKey("node=none"), ["nodetype"])).Should().Be(0);

        (await DumpAsync("nodetype")).Should().Be(NodetypeHeader + "\"n2\",\"a\",,,,,,,\n");
        (await DumpAsync("postscripts")).Should().Be(PostscriptsHeader + "\"n2\",\"q\",,,\n");
    }

    [Theory]
    [InlineData("node=n1", new[] { "nodetype", "nosuch" }, "Table nosuch does not exist.")]
    [InlineData("key=x", new[] { "nodetype" }, "No column \"key\" in table \"nodetype\"")]
    [InlineData("node=n1", new string[0], "Missing table name.")]
    public async Task DeleteAsync_BadInput_ThrowsAndRemovesNothing(string key, string[] tables, string message)
    {
        await RestoreAsync("nodetype", NodetypeHeader + "\"n1\",\"a\",,,,,,,\n");
        var before = await CatalogSnapshot.TakeAsync(_catalog);

        var act = () => Commands.DeleteAsync(TableCommands.ParseKey(key), tables);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith(message);
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task GetAsync_ReturnsTheColumnsOfTheFirstEnabledMatchingRow_InTheOrderAsked()
    {
        await RestoreAsync("nodetype", NodetypeHeader + "\"n0\",\"sles15\",\"old\",,,,,,\"1\"\n\"n1\",\"sles15\",\"x86_64\",,,,,,\n\"n2\",\"sles15\",\"ppc64\",,,,,,\n");
        await RestoreAsync("site", "#key,value\n\"master\",\"mn1\"\n");

        var values = await Commands.GetAsync(TableCommands.ParseKey("os=sles15"), ["nodetype.arch", "nodetype.node", "nodetype.profile", "nodetype.arch"]);
        values.Select(static v => (v.Table, v.Column, v.Value)).Should().Equal(
            ("nodetype", "arch", "x86_64"), ("nodetype", "node", "n1"), ("nodetype", "profile", (string?)null));

        (await Commands.GetAsync(TableCommands.ParseKey("key=master"), ["site.value"])).Select(static v => v.Value).Should().Equal("mn1");
        (await Commands.GetAsync(TableCommands.ParseKey("key=nosuch"), ["site.value"])).Should().BeEmpty();
    }

    [Theory]
    [InlineData("colour=x", "nodetype.os", "Unknown key colour to nodetype")]
    [InlineData("node=x", "nosuch.os", "Table nosuch does not exist.")]
    [InlineData("node=x", "nodetype.colour", "nodetype.colour not a valid table.column description")]
    [InlineData("node=x", "nodetype", "'nodetype' is not of the form table.column.")]
    public async Task GetAsync_BadInput_Throws(string key, string column, string message)
    {
        var act = () => Commands.GetAsync(TableCommands.ParseKey(key), [column]);
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith(message);
    }

    [Fact]
    public async Task RemoveNodesAsync_RemovesTheNodesFromEveryNodeTable_AndKeepsGroupRows()
    {
        await AddNodesAsync();
        await RestoreAsync("postscripts", PostscriptsHeader + "\"compute\",\"g\",,,\n\"n1\",\"p\",,,\n\"n3\",\"q\",,,\n");

        (await Commands.RemoveNodesAsync("n1,n2")).Should().Equal("n1", "n2");

        (await DumpAsync("nodelist")).Should().Be(
            "#node,groups,status,statustime,appstatus,appstatustime,primarysn,hidden,updatestatus,updatestatustime,zonename,comments,disable\n" +
            "\"n3\",\"compute,all\",,,,,,,,,,,\n\"svc\",\"service\",,,,,,\"1\",,,,,\n");
        (await DumpAsync("nodetype")).Should().Be(NodetypeHeader + "\"compute\",\"rhels9.4\",\"x86_64\",,,,,,\n");
        (await DumpAsync("postscripts")).Should().Be(PostscriptsHeader + "\"compute\",\"g\",,,\n\"n3\",\"q\",,,\n");
    }

    [Fact]
    public async Task RemoveNodesAsync_UndefinedNode_ThrowsAndRemovesNothing()
    {
        await AddNodesAsync();
        var before = await CatalogSnapshot.TakeAsync(_catalog);

        var act = () => Commands.RemoveNodesAsync("n1,nosuch");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("nosuch");
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task ListNodesAsync_WithoutSelectors_ListsNodesSorted_HiddenOnlyOnRequest()
    {
        await AddNodesAsync();

        (await ListAsync(null)).Should().Equal("n1", "n2", "n3");
        (await ListAsync(null, new NodeListOptions { ShowHidden = true })).Should().Equal("n1", "n2", "n3", "svc");
        (await ListAsync("n3,n1")).Should().Equal("n1", "n3");
    }

    [Fact]
    public async Task ListNodesAsync_OneColumn_IsUnlabelled_AndInheritsFromGroups()
    {
        await AddNodesAsync();

        (await ListAsync("compute", options: null, "nodetype.os")).Should().Equal("n1: rhels9.4 [compute]", "n2: sles15", "n3: rhels9.4 [compute]");
        (await ListAsync("n2", new NodeListOptions { WithFieldNames = true }, "nodetype.os")).Should().Equal("n2: nodetype.os: sles15");
    }

    [Fact]
    public async Task ListNodesAsync_SeveralColumns_AreLabelledInTheOrderAsked_EmptyOnesIncluded()
    {
        await AddNodesAsync();

        (await ListAsync("n2", options: null, "groups", "nodetype.arch", "nodetype.profile")).Should().Equal(
            "n2: groups: compute,all", "n2: nodetype.arch: x86_64 [compute]", "n2: nodetype.profile: -");
    }

    [Fact]
    public async Task ListNodesAsync_WholeTable_ListsEveryColumn_AndTheNodeColumnNamesTheNode()
    {
        await AddNodesAsync();

        (await ListAsync("n1", options: null, "nodetype")).Should().Equal(
            "n1: nodetype.node: n1", "n1: nodetype.os: rhels9.4 [compute]", "n1: nodetype.arch: x86_64 [compute]", "n1: nodetype.profile: -",
            "n1: nodetype.provmethod: -", "n1: nodetype.supportedarchs: -", "n1: nodetype.nodetype: -", "n1: nodetype.comments: -", "n1: nodetype.disable: -");
    }

    [Theory]
    [InlineData("nodetype.os==sles15", new[] { "n2" })]
    [InlineData("nodetype.os!=sles15", new[] { "n1", "n3" })]
    [InlineData("nodetype.os=~/^rh/", new[] { "n1", "n3" })]
    [InlineData("nodetype.os!~^rh", new[] { "n2" })]
    [InlineData("nodetype.profile==", new[] { "n1", "n2", "n3" })]
    [InlineData("nodetype.os==none", new string[0])]
    public async Task ListNodesAsync_Selection_KeepsMatchingNodes_WithoutPrintingTheColumn(string selection, string[] expected)
    {
        await AddNodesAsync();
        (await ListAsync("all", options: null, selection)).Should().Equal(expected);
    }

    [Fact]
    public async Task ListNodesAsync_SelectionAndDisplayOfTheSameColumn_ShowsIt()
    {
        await AddNodesAsync();
        (await ListAsync("all", options: null, "nodetype.os=~rh", "nodetype.os")).Should().Equal(
            "n1: nodetype.os: rhels9.4 [compute]", "n3: nodetype.os: rhels9.4 [compute]");
    }

    [Theory]
    [InlineData("nosuch", "nosuch not a valid table.column description")]
    [InlineData("nodetype.colour", "nodetype.colour not a valid table.column description")]
    [InlineData("mgt", "nodehm.mgt not a valid table.column description")]
    [InlineData("osimage.profile", "table 'osimage' has no node column")]
    [InlineData("nodetype.os=~(", "is not a valid regular expression")]
    public async Task ListNodesAsync_BadSelector_Throws(string selector, string message)
    {
        await AddNodesAsync();
        var act = () => ListAsync("all", options: null, selector);
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task ListNodesAsync_TwoSelectionsOfOneColumn_ThrowsXcatMessage()
    {
        await AddNodesAsync();
        var act = () => ListAsync("all", options: null, "nodetype.os==a", "nodetype.os!=b");
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("Multiple selection critera for nodetype.os");
    }

    [Fact]
    public async Task PruneAllAsync_EmptiesTheTable_AndWritesTheRemovedRowsAsTabdump()
    {
        await RestoreAsync("postscripts", PostscriptsHeader + "\"n1\",\"a \"\"b\"\"\",,,\n\"n2\",,\"x\",,\"1\"\n");
        var removed = new StringWriter();

        (await Commands.PruneAllAsync("postscripts", removed)).Should().Be(2);

        removed.ToString().Should().Be(PostscriptsHeader + "\"n1\",\"a \"\"b\"\"\",,,\n\"n2\",,\"x\",,\"1\"\n");
        (await DumpAsync("postscripts")).Should().Be(PostscriptsHeader);
    }

    [Fact]
    public async Task PruneAllAsync_UnknownTable_Throws()
    {
        var act = () => Commands.PruneAllAsync("eventlog");
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().StartWith("No such table: eventlog");
    }

    private async Task AddNodesAsync()
    {
        await RestoreAsync("nodelist", "#node,groups,hidden\n\"n1\",\"compute,all\",\n\"n2\",\"compute,all\",\n\"n3\",\"compute,all\",\n\"svc\",\"service\",\"1\"\n");
        await RestoreAsync("nodetype", NodetypeHeader + "\"compute\",\"rhels9.4\",\"x86_64\",,,,,,\n\"n2\",\"sles15\",,,,,,,\n");
    }

    private Task<int> SetAsync(string key, params string[] assignments)
        => Commands.SetAsync(TableCommands.ParseKey(key), [.. assignments.Select(TableAssignment.Parse)]);

    // "node" (no attribute asked), "node: value [group]" or "node: label: -" (an unset attribute): every field of each line in one string.
    private async Task<IReadOnlyList<string>> ListAsync(string? noderange, NodeListOptions? options = null, params string[] selectors)
        => [.. (await Commands.ListNodesAsync(noderange, selectors, options)).Select(static l =>
            l.Node + (l.Label is null ? string.Empty : ": " + l.Label)
            + (l.Value is null ? string.Empty : ": " + (l.Value.Length == 0 ? "-" : l.Value))
            + (l.InheritedFrom is null ? string.Empty : $" [{l.InheritedFrom}]"))];

    private async Task<string> DumpAsync(string table)
    {
        var writer = new StringWriter(new StringBuilder());
        await new TableDump(_catalog).DumpAsync(table, writer);
        return writer.ToString();
    }

    private Task<int> RestoreAsync(string table, string csv) => new TableDump(_catalog).RestoreAsync(table, new StringReader(csv));
}
