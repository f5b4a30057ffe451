using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

public sealed class ObjectVerbTests : IDisposable
{
    private const string Image = "rhels7.1-x86_64-netboot-compute";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Lsdef_OnNewCatalog_ListsNoImageAndNoNode_ButTheSiteObject()
    {
        // xCAT's DBobjectdefs.pm (processArgs): no object of the type is an error, exit 1.
        (await _cli.RunAsync("lsdef", "-t", "osimage")).ShouldFail("Could not get objects of type 'osimage'.");
        (await _cli.RunAsync("lsdef", "-t", "node")).ShouldFail("Could not get objects of type 'node'.");
        (await _cli.RunAsync("lsdef", "-t", "site")).ShouldSucceed().Out.Should().Be("clustersite  (site)\n");
        (await _cli.RunAsync("lsdef", "-t", "site", "-l")).ShouldSucceed().Out.Should()
            .Be("Object name: clustersite\n    installdir=/install\n    tftpdir=/tftpboot\n");
        File.Exists(_cli.CatalogPath).Should().BeTrue();
    }

    [Fact]
    public async Task MkdefOfAnImageName_OnNewCatalog_Succeeds_AndImgimportNeedsNoForce()
    {
        (await _cli.RunAsync("mkdef", "-t", "osimage", "rhels9.4-x86_64-netboot-compute", "imagetype=linux")).ShouldSucceed();
        (await _cli.RunAsync("lsdef", "-t", "osimage")).ShouldSucceed().Out.Should().Be("rhels9.4-x86_64-netboot-compute  (osimage)\n");
    }

    [Fact]
    public async Task ChdefSite_SetsAndChecksRows_AndTabdumpShowsThem()
    {
        var other = Path.Combine(_cli.Root, "other-install");
        (await _cli.RunAsync("chdef", "-t", "site", $"installdir={other}", "master=10.0.0.1")).ShouldSucceed()
            .Out.Should().Be("1 object definitions have been created or modified.\n");
        (await _cli.RunAsync("tabdump", "site")).ShouldSucceed().Out.Should()
            .Be($"#key,value,comments,disable\n\"installdir\",\"{other}\",,\n\"tftpdir\",\"/tftpboot\",,\n\"master\",\"10.0.0.1\",,\n");
        (await _cli.RunAsync("lsdef", "-t", "site", "-i", "installdir", "-c")).ShouldSucceed().Out.Should().Be($"clustersite: installdir={other}\n");
        (await _cli.RunAsync("chdef", "-t", "site", "clustersite", "installdir=relative")).ShouldFail("The site attribute installdir is 'relative', which is not an absolute path.");
        (await _cli.RunAsync("lsdef", "-t", "site", "nosite")).ShouldFail("Could not find an object named 'nosite' of type 'site'.");
    }

    [Fact]
    public async Task MkdefThenLsdefLong_PrintsTheSpecExampleByteForByte()
    {
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "profile=compute",
            "osname=Linux", "osvers=rhels7.1", "osarch=x86_64", "osdistroname=rhels7.1-x86_64",
            "exlist=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.exlist", "otherpkgdir=/install/post/otherpkgs/rhels7.1/x86_64",
            "pkgdir=/install/rhels7.1/x86_64", "pkglist=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist",
            "postinstall=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.postinstall",
            "rootimgdir=/install/netboot/rhels7.1/x86_64/compute")).ShouldSucceed()
            .Out.Should().Be("1 object definitions have been created or modified.\n");

        (await _cli.RunAsync("lsdef", "-t", "osimage", "-l", Image)).ShouldSucceed().Out.Should().Be(SpecExamples.LsdefLong);
    }

    [Fact]
    public async Task Lsdef_InfoAndCompress_PrintXcatFormats()
    {
        await _cli.AddSampleDefinitionsAsync();
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-i", "osvers,template", "rhels9.4-x86_64-netboot-compute")).ShouldSucceed()
            .Out.Should().Be("Object name: rhels9.4-x86_64-netboot-compute\n    osvers=rhels9.4\n    template=\n");
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-i", "osarch", "-c", "rhels9.4-x86_64-netboot-compute,rhels9.4-x86_64-install-compute")).ShouldSucceed()
            .Out.Should().Be("rhels9.4-x86_64-install-compute: osarch=x86_64\nrhels9.4-x86_64-netboot-compute: osarch=x86_64\n");
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-z", "rhels9.4-x86_64-install-service")).ShouldSucceed()
            .Out.Should().StartWith("# <xCAT data object stanza file>\n\nrhels9.4-x86_64-install-service:\n    objtype=osimage\n    addkcmdline=quiet\n");
    }

    [Fact]
    public async Task Chdef_PlusMinusAndClear_WorkAndReportXcatMessages()
    {
        const string Name = "rhels9.4-x86_64-netboot-compute";
        await _cli.AddSampleDefinitionsAsync();
        (await _cli.RunAsync("chdef", "-t", "osimage", "-o", Name, "-p", "postscripts=a,b")).ShouldSucceed()
            .Out.Should().Be("1 object definitions have been created or modified.\n");
        (await _cli.RunAsync("chdef", "-t", "osimage", Name, "--minus", "postscripts=a")).ShouldSucceed();
        (await _cli.RunAsync("chdef", "-t", "osimage", Name, "addkcmdline=")).ShouldSucceed();
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-i", "postscripts,addkcmdline", "-c", Name)).ShouldSucceed()
            .Out.Should().Be($"{Name}: addkcmdline=\n{Name}: postscripts=b\n");
    }

    [Fact]
    public async Task Chdef_NewObject_SaysSoAndDefaultsImagetypeToNim()
    {
        (await _cli.RunAsync("chdef", "-t", "osimage", "-o", "aiximg", "osvers=7.1")).ShouldSucceed()
            .Out.Should().Be("1 object definitions have been created or modified.\nNew object definitions 'aiximg' have been created.\n");
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-i", "imagetype", "-c", "aiximg")).Out.Should().Be("aiximg: imagetype=NIM\n");
    }

    [Fact]
    public async Task Nodes_NoderangeGroupsAndRmdef_WorkEndToEnd()
    {
        (await _cli.RunAsync("mkdef", "-t", "node", "cn[01-03]", "groups=compute,all", "os=rhels9.4")).ShouldSucceed()
            .Out.Should().Be("3 object definitions have been created or modified.\n");
        (await _cli.RunAsync("chdef", "compute,-cn02", "postscripts=setupnfs")).ShouldSucceed();
        (await _cli.RunAsync("lsdef", "cn01-cn03", "-i", "postscripts", "-c")).ShouldSucceed()
            .Out.Should().Be("cn01: postscripts=setupnfs\ncn02: postscripts=\ncn03: postscripts=setupnfs\n");
        (await _cli.RunAsync("rmdef", "-t", "node", "cn02")).ShouldSucceed().Out.Should().Be("1 object definitions have been removed.\n");
        (await _cli.RunAsync("lsdef", "-t", "node")).ShouldSucceed().Out.Should().Be("cn01  (node)\ncn03  (node)\n");
    }

    [Fact]
    public async Task Lsdef_NothingDefined_FailsAsXcatDoes()
        => (await _cli.RunAsync("lsdef", "-t", "node")).ShouldFail("Could not get objects of type 'node'.");

    [Theory]
    [InlineData("Cannot set the attr='pkglist' attribute unless imagetype value is linux.", "chdef", "-t", "osimage", "-o", "new1", "pkglist=/x")]
    [InlineData("'colour' is not a valid attribute name for an object type of 'osimage'.", "chdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-compute", "colour=blue")]
    [InlineData("'vax' is not a known architecture", "chdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-compute", "osarch=vax")]
    [InlineData("x is not in the attribute of 'postscripts' for the 'rhels9.4-x86_64-netboot-compute' definition.", "chdef", "-t", "osimage", "-m", "-o", "rhels9.4-x86_64-netboot-compute", "postscripts=x")]
    [InlineData("Could not find an object named 'nosuch' of type 'osimage'.", "lsdef", "-t", "osimage", "nosuch")]
    [InlineData("Could not find an object named 'nosuch' of type 'osimage'.", "rmdef", "-t", "osimage", "nosuch")]
    [InlineData("A definition for 'rhels9.4-x86_64-netboot-compute' already exists.", "mkdef", "-t", "osimage", "rhels9.4-x86_64-netboot-compute", "imagetype=linux")]
    [InlineData("Invalid nodes in noderange:nosuch", "rmdef", "nosuch")]
    [InlineData("unbalanced brackets", "mkdef", "node[01-", "groups=all")]
    [InlineData("counts down", "chdef", "node[05-01]", "groups=all")]
    [InlineData("Type 'network' is not a valid xCAT object type", "lsdef", "-t", "network")]
    [InlineData("Unknown option '-q'", "lsdef", "-q")]
    [InlineData("The flags '-c' and '-i' must be used together.", "lsdef", "-t", "osimage", "-c")]
    [InlineData("No attr=value pairs were given.", "chdef", "-t", "osimage", "-o", "x")]
    [InlineData("'-p' and '-m' cannot be used together", "chdef", "-t", "osimage", "-p", "-m", "-o", "x", "a=b")]
    public async Task BadInput_FailsWithMessageOnStderr_AndLeavesCatalogUnchanged(string message, params string[] args)
    {
        await _cli.AddSampleDefinitionsAsync();
        (await _cli.RunAsync("lsdef", "-t", "osimage")).ShouldSucceed();
        var before = await File.ReadAllBytesAsync(_cli.CatalogPath);
        var dumpBefore = await DumpAllAsync();

        var result = await _cli.RunAsync(args);

        result.ShouldFail(message);
        result.Out.Should().BeEmpty();
        (await DumpAllAsync()).Should().Be(dumpBefore);
        before.Length.Should().BeGreaterThan(0);
    }

    private async Task<string> DumpAllAsync()
    {
        var text = string.Empty;
        foreach (var table in new[] { "osimage", "linuximage", "nodelist", "nodetype", "postscripts", "osdistro", "litefile" })
        {
            text += (await _cli.RunAsync("tabdump", table)).ShouldSucceed().Out;
        }

        return text;
    }
}
