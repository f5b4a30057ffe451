namespace Xcat.Imaging.Cli.Tests;

public sealed class TableVerbTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Tabdump_PrintsHeaderAndQuotedRows()
    {
        var result = (await _cli.RunAsync("tabdump", "postscripts")).ShouldSucceed();
        result.Out.Should().Be("#node,postscripts,postbootscripts,comments,disable\n\"xcatdefaults\",\"syslog,remoteshell,syncfiles\",\"otherpkgs\",,\n\"service\",\"servicenode\",,,\n");
    }

    [Fact]
    public async Task Tabdump_WithoutTable_ListsTables()
        => (await _cli.RunAsync("tabdump")).ShouldSucceed().Out.Should().Be("kit\nkitcomponent\nkitrepo\nlinuximage\nlitefile\nnodelist\nnodetype\nosdistro\nosimage\npostscripts\nsite\n");

    [Fact]
    public async Task Tabdump_Descriptions_UseXcatLayout()
        => (await _cli.RunAsync("tabdump", "-d", "nodetype")).ShouldSucceed().Out.Should().StartWith("node:\t\t").And.Contain("\n\nprofile:\t").And.EndWith("\n\ndisable:\tSet to 'yes' or '1' to comment out this row.\n");

    [Fact]
    public async Task TabdumpToFileThenTabrestore_RoundTrips()
    {
        (await _cli.RunAsync("chdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-compute", "description=say \"hi\"")).ShouldSucceed();
        var original = (await _cli.RunAsync("tabdump", "osimage")).Out;
        (await _cli.RunAsync("tabdump", "-f", "osimage.csv", "osimage")).ShouldSucceed().Out.Should().BeEmpty();
        (await File.ReadAllTextAsync(Path.Combine(_cli.Root, "osimage.csv"))).Should().Be(original);

        (await _cli.RunAsync("rmdef", "-t", "osimage", "rhels9.4-x86_64-netboot-compute")).ShouldSucceed();
        (await _cli.RunAsync("tabrestore", "osimage.csv")).ShouldSucceed().Out.Should().BeEmpty();
        (await _cli.RunAsync("tabdump", "osimage")).Out.Should().Be(original);
    }

    [Fact]
    public async Task Tabrestore_AddRows_Appends()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, "nodelist.extra.csv"), "#node,groups\n\"n1\",\"all\"\n");
        (await _cli.RunAsync("tabrestore", "-a", "nodelist.extra.csv")).ShouldSucceed();
        (await _cli.RunAsync("tabrestore", "--addrows", Path.Combine(_cli.Root, "nodelist.extra.csv"))).ShouldFail("n1");
        (await _cli.RunAsync("lsdef", "-t", "node", "-s")).Out.Should().Be("n1  (node)\n");
    }

    [Theory]
    [InlineData("osimage.csv", "#imagename,profile\n\"a\",\"b\"\n\"c\",x\"y\"\n", "CSV missing opening \" for record with \" characters on line 3")]
    [InlineData("osimage.csv", "#imagename,colour\n\"a\",\"b\"\n", "column 'colour' should exist, which is not defined in the schema for 'osimage'")]
    [InlineData("osimage.csv", "imagename,profile\n", "Data missing header line starting with #")]
    [InlineData("osimage.csv", "#imagename\n\"a\",\"b\"\n", "Too many fields on line 2")]
    [InlineData("nosuch.csv", "#a\n\"b\"\n", "No such table: nosuch")]
    public async Task Tabrestore_BadInput_FailsAndLeavesTableUnchanged(string file, string content, string message)
    {
        var before = (await _cli.RunAsync("tabdump", "osimage")).ShouldSucceed().Out;
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, file), content);

        (await _cli.RunAsync("tabrestore", file)).ShouldFail(message);

        (await _cli.RunAsync("tabdump", "osimage")).Out.Should().Be(before);
    }

    [Theory]
    [InlineData("No such table: nosuch", "tabdump", "nosuch")]
    [InlineData("table nosuch does not exist.", "tabdump", "-d", "nosuch")]
    [InlineData("'colour', which is not a column", "tabdump", "-w", "colour==x", "osimage")]
    [InlineData("table name missing from the command input.", "tabdump", "-f", "x.csv")]
    [InlineData("does not exist", "tabrestore", "missing.csv")]
    [InlineData("tabrestore takes one CSV file", "tabrestore")]
    public async Task TableVerbs_BadArguments_Fail(string message, params string[] args)
        => (await _cli.RunAsync(args)).ShouldFail(message);

    [Fact]
    public async Task Tabdump_Where_FiltersWithSqlLike()
    {
        await _cli.AddSampleDefinitionsAsync();
        (await _cli.RunAsync("tabdump", "-w", "imagename=~%install%", "-w", "profile==service", "osimage")).ShouldSucceed()
            .Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.Contain(l => l.StartsWith("\"rhels9.4-x86_64-install-service\"", StringComparison.Ordinal));
    }
}
