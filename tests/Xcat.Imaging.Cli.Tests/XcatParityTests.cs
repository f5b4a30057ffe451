namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// What xCAT's users script against (issue 11, item 10), as xCAT's tabdump man page and DBobjectdefs.pm word it:
/// tabdump's listings, -v, -?/-h; mkdef's refusals without attributes or without groups; an unknown -t type.
/// </summary>
public sealed class XcatParityTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Tabdump_WithoutATable_ListsTheTables()
    {
        var names = (await _cli.RunAsync("tabdump")).ShouldSucceed().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        names.Should().Contain(["osimage", "linuximage", "nodelist", "postscripts"]).And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task TabdumpD_WithoutATable_DescribesEachTable()
    {
        var lines = (await _cli.RunAsync("tabdump", "-d")).ShouldSucceed().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Should().Contain(static l => l.StartsWith("osimage:", StringComparison.Ordinal) && l.Length > "osimage: ".Length);
        lines.Should().Contain(static l => l.StartsWith("nodelist:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--version")]
    public async Task TabdumpV_PrintsTheVersion(string flag)
        => (await _cli.RunAsync("tabdump", flag)).ShouldSucceed().Out.Should().MatchRegex(@"^xcatimg \d+\.\d+\.\d+\S*\n$");

    [Theory]
    [InlineData("-?")]
    [InlineData("-h")]
    [InlineData("--help")]
    public async Task TabdumpHelp_PrintsUsage_AndExitsZero(string flag)
    {
        var result = (await _cli.RunAsync("tabdump", flag)).ShouldSucceed();

        result.Out.Should().Contain("xcatimg tabdump").And.Contain("-d, --description").And.Contain("-w, --where").And.Contain("-v, --version");
    }

    [Theory]
    [InlineData("No object definitions have been created or modified: no attributes were specified. The 'groups' attribute is required when creating node definitions.", "node")]
    [InlineData("No object definitions have been created or modified: no attributes were specified.", "osimage")]
    public async Task Mkdef_WithNoAttributes_IsRefusedAsXcatWordsIt(string message, string type)
    {
        var result = await _cli.RunAsync("mkdef", "-t", type, "thing01");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: {message}\n");
        (await _cli.RunAsync("tabdump", "nodelist")).Out.Should().NotContain("thing01");
    }

    [Fact]
    public async Task MkdefNode_WithoutGroups_IsRefusedNamingGroups()
    {
        var one = await _cli.RunAsync("mkdef", "-t", "node", "cn1", "os=rhels9.4");
        var many = await _cli.RunAsync("mkdef", "-t", "node", "cn[1-3]", "os=rhels9.4", "groups=");

        one.ExitCode.Should().Be(1);
        one.Error.Should().Be("Error: Attribute 'groups' is not specified for node 'cn1', skipping to the next node.\n");
        many.ExitCode.Should().Be(1);
        many.Error.Should().Be("Error: Attribute 'groups' is not specified for the nodes 'cn1,cn2,cn3'; no node definitions were created.\n");
        (await _cli.RunAsync("lsdef", "-t", "node")).ShouldFail("Could not get objects of type 'node'.");
    }

    [Theory]
    [InlineData("lsdef")]
    [InlineData("mkdef")]
    [InlineData("chdef")]
    [InlineData("rmdef")]
    public async Task UnknownType_IsRefusedWithXcatsNotAValidWording(string verb)
    {
        var result = await _cli.RunAsync(verb, "-t", "network", "net1", "net=10.0.0.0");

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("Error: Type 'network' is not a valid xCAT object type here; use osimage, node or site.\n");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Chdef_NodePostscriptThatXcatdefaultsRuns_WarnsAndGoesOn()
    {
        // As its own process, so that the library's warning reaches stderr as the CLI prints it.
        string[] global = ["--catalog", _cli.CatalogPath, "--install-dir", _cli.InstallDir];
        (await CliHarness.RunProcessAsync(_cli.Root, [.. global, "mkdef", "-t", "node", "cn01", "groups=all"])).ExitCode.Should().Be(0);

        var result = await CliHarness.RunProcessAsync(_cli.Root, [.. global, "chdef", "cn01", "-p", "postscripts=syslog,setupnfs"]);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Be("Warning: cn01: postscripts 'syslog' is already included in the 'xcatdefaults'.\n");
        (await _cli.RunAsync("lsdef", "cn01", "-i", "postscripts", "-c")).ShouldSucceed().Out.Should().Be("cn01: postscripts=setupnfs\n");
    }
}
