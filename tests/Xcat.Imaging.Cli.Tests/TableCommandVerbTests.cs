namespace Xcat.Imaging.Cli.Tests;

/// <summary>chtab, tabch, gettab, tabprune, nodels, noderm and lsdef -h as xCAT's man pages and tabutils.pm have them.</summary>
public sealed class TableCommandVerbTests : IDisposable
{
    private const string NodetypeHeader = "#node,os,arch,profile,provmethod,supportedarchs,nodetype,comments,disable\n";
    private const string NodelistHeader = "#node,groups,status,statustime,appstatus,appstatustime,primarysn,hidden,updatestatus,updatestatustime,zonename,comments,disable\n";
    private const string DefaultPostscripts = "#node,postscripts,postbootscripts,comments,disable\n\"xcatdefaults\",\"syslog,remoteshell,syncfiles\",\"otherpkgs\",,\n\"service\",\"servicenode\",,,\n";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("chtab")]
    [InlineData("tabch")]
    public async Task ChtabAndTabch_AddChangeAppendAndDelete_PrintingNothing(string verb)
    {
        (await _cli.RunAsync(verb, "node=n1", "nodetype.os=rhels5", "nodetype.arch=x86_64")).ShouldSucceed().Out.Should().BeEmpty();
        (await _cli.RunAsync(verb, "node=n1", "nodetype.os=sles")).ShouldSucceed().Out.Should().BeEmpty();
        (await _cli.RunAsync(verb, "node=n2", "nodetype.os=sles")).ShouldSucceed();
        (await _cli.RunAsync(verb, "node=service", "postscripts.postscripts+=otherpkgs,servicenode")).ShouldSucceed();
        (await _cli.RunAsync("tabdump", "nodetype")).Out.Should().Be(NodetypeHeader + "\"n1\",\"sles\",\"x86_64\",,,,,,\n\"n2\",\"sles\",,,,,,,\n");
        (await _cli.RunAsync("tabdump", "postscripts")).Out.Should().Be(DefaultPostscripts.Replace("\"servicenode\"", "\"servicenode,otherpkgs\"", StringComparison.Ordinal));

        (await _cli.RunAsync(verb, "-d", "node=n1", "nodetype")).ShouldSucceed().Out.Should().BeEmpty();
        (await _cli.RunAsync("tabdump", "nodetype")).Out.Should().Be(NodetypeHeader + "\"n2\",\"sles\",,,,,,,\n");
    }

    [Fact]
    public async Task Chtab_SiteKey_IsWhatGettabAndLsdefRead()
    {
        (await _cli.RunAsync("chtab", "key=tftpdir", "site.value=/srv/tftp")).ShouldSucceed();
        (await _cli.RunAsync("gettab", "key=tftpdir", "site.value")).ShouldSucceed().Out.Should().Be("/srv/tftp\n");
        (await _cli.RunAsync("gettab", "-H", "key=tftpdir", "site.value")).ShouldSucceed().Out.Should().Be("site.value: /srv/tftp\n");
        (await _cli.RunAsync("gettab", "key=tftpdir", "site.value", "site.comments")).ShouldSucceed().Out.Should().Be("site.value: /srv/tftp\nsite.comments: \n");
        (await _cli.RunAsync("gettab", "key=tftpdir", "site.comments")).ShouldSucceed().Out.Should().BeEmpty("an empty lone value prints nothing in xCAT");
        (await _cli.RunAsync("lsdef", "-t", "site", "-i", "tftpdir", "-c")).ShouldSucceed().Out.Should().Be("clustersite: tftpdir=/srv/tftp\n");
    }

    [Theory]
    [InlineData(1, "No column \"colour\" in table \"nodetype\"", "chtab", "colour=x", "nodetype.os=y")]
    [InlineData(1, "Table nosuch does not exist.", "chtab", "node=n1", "nosuch.os=y")]
    [InlineData(1, "nodetype.colour not a valid table.column description", "tabch", "node=n1", "nodetype.colour=y")]
    [InlineData(1, "Incorrect argument \"node\".", "chtab", "node", "nodetype.os=y")]
    [InlineData(1, "Missing table name.", "chtab", "-d", "node=n1")]
    [InlineData(1, "'nodetype.os' is not of the form table.column=value.", "chtab", "node=n1", "nodetype.os")]
    [InlineData(2, "chtab needs keycolname=keyvalue", "chtab")]
    [InlineData(1, "No keycolname=keyvalue pairs were given.", "chtab", "nodetype.os=y")]
    [InlineData(1, "'../etc', which contains '/'; it must be a single path component.", "chtab", "imagename=../etc", "osimage.profile=x")]
    [InlineData(1, "Unknown key colour to site", "gettab", "colour=x", "site.value")]
    [InlineData(2, "gettab needs key=value pairs and at least one table.attribute.", "gettab", "key=master")]
    public async Task TableChanges_BadInput_FailInOneLineAndChangeNothing(int exitCode, string message, params string[] args)
    {
        var before = await DumpAsync("nodetype", "site", "osimage");

        var result = (await _cli.RunAsync(args)).ShouldFail(message);

        result.ExitCode.Should().Be(exitCode);
        // A refusal is one line; a usage error adds the usage.
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(exitCode == 1 ? 1 : 2);
        lines.Skip(1).Where(static l => !l.StartsWith("Usage: xcatimg", StringComparison.Ordinal)).Should().BeEmpty();
        (await DumpAsync("nodetype", "site", "osimage")).Should().Be(before);
    }

    [Fact]
    public async Task Nodels_ListsNodesAndAttributes_AsXcatPrintsThem()
    {
        await AddNodesAsync();

        (await _cli.RunAsync("nodels")).ShouldSucceed().Out.Should().Be("n1\nn2\nn3\n");
        (await _cli.RunAsync("nodels", "-S")).ShouldSucceed().Out.Should().Be("n1\nn2\nn3\nsvc\n");
        (await _cli.RunAsync("nodels", "compute", "nodetype.os")).ShouldSucceed().Out.Should().Be("n1: rhels9.4\nn2: sles15\nn3: rhels9.4\n");
        (await _cli.RunAsync("nodels", "n1,n2", "nodetype.os", "groups", "-b")).ShouldSucceed().Out.Should().Be(
            "n1: nodetype.os: rhels9.4 (inherited from group compute)\nn1: groups: compute,all\nn2: nodetype.os: sles15\nn2: groups: compute,all\n");
        (await _cli.RunAsync("nodels", "all", "nodetype.os==sles15")).ShouldSucceed().Out.Should().Be("n2\n");
        (await _cli.RunAsync("nodels", "all", "nodetype.os=~/^rh/", "-H", "nodetype.arch")).ShouldSucceed().Out.Should().Be(
            "n1: nodetype.arch: x86_64\nn3: nodetype.arch: x86_64\n");
        (await _cli.RunAsync("nodels", "n2", "nodetype.profile")).ShouldSucceed().Out.Should().Be("n2: \n", "xCAT's client appends ': ' and the empty contents");
        (await _cli.RunAsync("nodels", "n2", "postscripts")).ShouldSucceed().Out.Should().Be(
            "n2: postscripts.node: \nn2: postscripts.postscripts: \nn2: postscripts.postbootscripts: \nn2: postscripts.comments: \nn2: postscripts.disable: \n");
    }

    [Theory]
    [InlineData("nodetype.colour not a valid table.column description", "nodels", "all", "nodetype.colour")]
    [InlineData("Invalid nodes in noderange:nosuch", "nodels", "nosuch")]
    [InlineData("Multiple selection critera for nodetype.os", "nodels", "all", "nodetype.os==a", "nodetype.os==b")]
    public async Task Nodels_BadInput_Fails(string message, params string[] args)
    {
        await AddNodesAsync();
        (await _cli.RunAsync(args)).ShouldFail(message).ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task Nodels_EmptyCatalog_PrintsNothing()
        => (await _cli.RunAsync("nodels")).ShouldSucceed().Out.Should().BeEmpty();

    [Fact]
    public async Task Noderm_RemovesTheNodesFromEveryTable_AndLeavesTheRest()
    {
        await AddNodesAsync();
        (await _cli.RunAsync("chtab", "node=n1", "postscripts.postscripts=p")).ShouldSucceed();

        (await _cli.RunAsync("noderm", "n1,n2")).ShouldSucceed().Out.Should().BeEmpty();

        (await _cli.RunAsync("tabdump", "nodelist")).Out.Should().Be(NodelistHeader + "\"n3\",\"compute,all\",,,,,,,,,,,\n\"svc\",\"service\",,,,,,\"1\",,,,,\n");
        (await _cli.RunAsync("tabdump", "nodetype")).Out.Should().Be(NodetypeHeader + "\"compute\",\"rhels9.4\",\"x86_64\",,,,,,\n");
        (await _cli.RunAsync("tabdump", "postscripts")).Out.Should().Be(DefaultPostscripts);
        (await _cli.RunAsync("noderm", "n1")).ShouldFail("Invalid nodes in noderange:n1").ExitCode.Should().Be(1);
        (await _cli.RunAsync("noderm")).ShouldFail("noderm needs a noderange.").ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task TabpruneAll_EmptiesAnyTable_VerboseWritesTheRowsAsCsv()
    {
        await AddNodesAsync();
        var dump = (await _cli.RunAsync("tabdump", "nodetype")).Out;

        (await _cli.RunAsync("tabprune", "nodetype", "-V", "-a")).ShouldSucceed().Out.Should().Be(dump);
        (await _cli.RunAsync("tabdump", "nodetype")).Out.Should().Be(NodetypeHeader);
        (await _cli.RunAsync("tabprune", "postscripts", "-a")).ShouldSucceed().Out.Should().Be("tabprune of postscripts complete.\n");
        (await _cli.RunAsync("tabdump", "postscripts")).Out.Should().Be("#node,postscripts,postbootscripts,comments,disable\n");
    }

    [Theory]
    [InlineData(1, "Table name required.", "tabprune", "-a")]
    [InlineData(1, "Table nodetype not supported, see tabprune -h for supported tables.", "tabprune", "nodetype", "-n", "3")]
    [InlineData(1, "One option -p or -i or -n or -a or -d must be supplied.", "tabprune", "eventlog")]
    [InlineData(1, "Only one option -p or -i or -n or -a maybe used at a time.", "tabprune", "nodetype", "-a", "-p", "50")]
    [InlineData(1, "No such table: auditlog", "tabprune", "auditlog", "-i", "200")]
    [InlineData(1, "No such table: eventlog", "tabprune", "eventlog", "-d", "5")]
    [InlineData(2, "The option '-p' takes a whole number, not 'half'.", "tabprune", "eventlog", "-p", "half")]
    public async Task Tabprune_RefusesAsXcatDoes_AndChangesNothing(int exitCode, string message, params string[] args)
    {
        await AddNodesAsync();
        var before = (await _cli.RunAsync("tabdump", "nodetype")).Out;

        (await _cli.RunAsync(args)).ShouldFail(message).ExitCode.Should().Be(exitCode);

        (await _cli.RunAsync("tabdump", "nodetype")).Out.Should().Be(before);
    }

    [Theory]
    [InlineData("lsdef", "-t", "node", "-h")]
    [InlineData("lsdef", "-h", "-tnode")]
    [InlineData("lsdef", "--type=node", "--help")]
    [InlineData("lsdef", "-t", "node", "--describe")]
    public async Task LsdefHelp_WithAType_DescribesItsAttributes(params string[] args)
    {
        var result = (await _cli.RunAsync(args)).ShouldSucceed();

        using var expected = new StringWriter();
        Tables.ObjectListing.WriteAttributeHelp("node", null, expected);
        result.Out.Should().Be(expected.ToString());
        result.Out.Should().StartWith("The valid attribute names for object type 'node' are:\nAttribute          Description\n\nappstatus:\t")
            .And.Contain("\n\narch:\t\t").And.Contain("\n\npostscripts:\t").And.Contain("\n\nzonename:\tThe name of the zone").And.NotContain("\n\n\n");
    }

    [Fact]
    public async Task LsdefHelp_WithAttributes_DescribesOnlyThose()
        => (await _cli.RunAsync("lsdef", "-t", "osimage", "-h", "-i", "rootimgdir,profile")).ShouldSucceed().Out.Should().Be(
            "Attribute          Description\n\nprofile:\tThe node usage category. For example compute, service.\n\n" +
            "rootimgdir:\tThe directory name where the image is stored.  It is generally used for diskless image. it also can be used in sysclone environment " +
            "to specify where the image captured from golden client is stored. in sysclone environment, rootimgdir is generally assigned to some default value " +
            "by xcat, but you can specify your own store directory. just one thing need to be noticed, wherever you save the image, the name of last level " +
            "directory must be the name of image. for example, if your image name is testimage and you want to save this image under home directoy, rootimgdir " +
            "should be assigned to value /home/testimage/\n");

    [Fact]
    public async Task LsdefHelp_SiteWithAttributes_WarnsAndDescribesTheWholeSite()
    {
        var result = await _cli.RunAsync("lsdef", "-t", "site", "-h", "-i", "installdir");

        result.ExitCode.Should().Be(0);
        result.Error.Should().Be("Warning: It is not supported to list the description of some specific site attributes, displaying the description for all site attributes instead.\n");
        result.Out.Should().StartWith("\nThere can only be one xCAT site definition.").And.EndWith("tftpdir (default /tftpboot), master, domain, timezone, httpport (default 80) or tmpdir.\n");
    }

    [Fact]
    public async Task LsdefHelp_WithoutAType_PrintsTheUsage()
        => (await _cli.RunAsync("lsdef", "-h")).ShouldSucceed().Out.Should().Contain("xcatimg lsdef").And.Contain("--describe").And.NotContain("Attribute          Description");

    [Fact]
    public async Task LsdefHelp_UnknownAttribute_Fails()
        => (await _cli.RunAsync("lsdef", "-t", "node", "-h", "-i", "colour")).ShouldFail("'colour' is not a valid attribute name for an object type of 'node'.");

    [Theory]
    [InlineData("chtab")]
    [InlineData("tabch")]
    [InlineData("nodels")]
    [InlineData("noderm")]
    [InlineData("tabprune")]
    public async Task VersionFlag_PrintsTheVersion(string verb)
    {
        var version = (await _cli.RunAsync("--version")).ShouldSucceed().Out;
        version.Should().MatchRegex(@"^xcatimg \d+\.\d+");
        (await _cli.RunAsync(verb, "-v")).ShouldSucceed().Out.Should().Be(version);
    }

    private async Task<string> DumpAsync(params string[] tables)
    {
        var dump = string.Empty;
        foreach (var table in tables)
        {
            dump += (await _cli.RunAsync("tabdump", table)).ShouldSucceed().Out;
        }

        return dump;
    }

    private async Task AddNodesAsync()
    {
        (await _cli.RunAsync("mkdef", "-t", "node", "n1-n3", "groups=compute,all")).ShouldSucceed();
        (await _cli.RunAsync("mkdef", "-t", "node", "svc", "groups=service", "hidden=1")).ShouldSucceed();
        (await _cli.RunAsync("chtab", "node=compute", "nodetype.os=rhels9.4", "nodetype.arch=x86_64")).ShouldSucceed();
        (await _cli.RunAsync("chtab", "node=n2", "nodetype.os=sles15")).ShouldSucceed();
    }
}
