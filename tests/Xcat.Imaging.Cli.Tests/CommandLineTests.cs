namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// The System.CommandLine front (issue 11, item 7): help everywhere with defaults shown, a near-miss verb suggested,
/// bad values refused with exit 2 in one line that names the option and its values, global options after the verb,
/// and xCAT's getopt habits (bundled letters, glued values, the last repeat wins).
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("pack", "-h")]
    [InlineData("pack", "--help")]
    [InlineData("pack", "-?")]
    [InlineData("help", "pack")]
    [InlineData("pack", "-o", "x.cpio", "-h")]
    public async Task Help_ForAVerb_DescribesEveryOptionWithItsDefault(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().BeEmpty();
        result.Out.Should().Contain("xcatimg pack").And.Contain("-o, --output <file>").And.Contain("--exlist")
            .And.Contain("-m, --method <cpio|tar>").And.Contain("[default: cpio]")
            .And.Contain("-c, --compress <gzip|pigz|xz|zstd|none>").And.Contain("[default: gzip]")
            .And.Contain("--level <N>").And.Contain("--threads <N>").And.Contain("--catalog <PATH>").And.Contain("--install-dir <DIR>");
        File.Exists(Path.Combine(_cli.Root, "x.cpio")).Should().BeFalse("help runs nothing");
    }

    [Fact]
    public async Task Help_ForEveryVerb_ListsItsOptions()
    {
        foreach (var verb in CliApplication.Verbs)
        {
            var result = await _cli.RunAsync("help", verb.Name);

            result.ExitCode.Should().Be(0, $"help {verb.Name}: {result.Error}");
            result.Out.Should().Contain($"xcatimg {verb.Name}").And.Contain("Options:").And.Contain("-h, --help");
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_AtTheTop_ListsTheVerbsOnStdout(string word)
    {
        var result = await _cli.RunAsync(word);

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("packimage").And.Contain("imgexport").And.Contain("tabrestore").And.Contain("--catalog <PATH>");
    }

    [Theory]
    [InlineData("lsdfe", "lsdef")]
    [InlineData("packimg", "packimage")]
    [InlineData("tabdmp", "tabdump")]
    [InlineData("imgexprot", "imgexport")]
    public async Task UnknownVerb_NearMiss_SuggestsTheVerb(string typo, string verb)
    {
        var result = await _cli.RunAsync(typo);

        result.ExitCode.Should().Be(2);
        result.Out.Should().BeEmpty();
        result.Error.Should().StartWith($"Error: Unknown verb '{typo}'. Did you mean '{verb}'?\n").And.Contain("Usage: xcatimg");
    }

    [Fact]
    public async Task UnknownVerb_FarFromAny_SuggestsNothing()
        => (await _cli.RunAsync("frobnicate")).Error.Should().StartWith("Error: Unknown verb 'frobnicate'.\n");

    [Fact]
    public async Task HelpForAnUnknownVerb_SuggestsTheVerb()
    {
        var result = await _cli.RunAsync("help", "rmdfe");

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith("Error: Unknown verb 'rmdfe'. Did you mean 'rmdef'?\n");
    }

    public static TheoryData<string[], string> BadValues => new()
    {
        { ["packimage", "img", "--threads", "0"], "Error: The option '--threads' needs a whole number from 1 to 1024, not '0'.\n" },
        { ["packimage", "img", "--threads", "-3"], "Error: The option '--threads' needs a whole number from 1 to 1024, not '-3'.\n" },
        { ["packimage", "img", "--level", "42"], "Error: The option '--level' needs a whole number from 0 to 9 for gzip, not '42'.\n" },
        { ["packimage", "img", "-c", "zstd", "--level", "42"], "Error: The option '--level' needs a whole number from 1 to 22 for zstd, not '42'.\n" },
        { ["packimage", "img", "-c", "xz", "--level", "-1"], "Error: The option '--level' needs a whole number from 0 to 9 for xz, not '-1'.\n" },
        { ["pack", "tree", "-o", "x.img", "-c", "bzip2"], "Error: Invalid compress method 'bzip2' requested; -c takes gzip, pigz, xz, zstd or none.\n" },
        { ["packimage", "img", "-c", "bzip2"], "Error: Invalid compress method 'bzip2' requested; -c takes gzip, pigz, xz or zstd.\n" },
        { ["packimage", "img", "-c", "none"], "Error: Invalid compress method 'none' requested; -c takes gzip, pigz, xz or zstd.\n" },
        { ["pack", "tree", "-o", "x.img", "-m", "squashfs"], "Error: Invalid archive method 'squashfs' requested; -m takes cpio or tar.\n" },
        { ["imgexport", "img", "--threads", "-2"], "Error: The option '--threads' needs a whole number from 1 to 1024, not '-2'.\n" },
        { ["imgexport", "img", "--threads", "2000"], "Error: The option '--threads' needs a whole number from 1 to 1024, not '2000'.\n" },
        { ["lsdef", "-t"], "Error: The option '-t' needs a value.\n" },
        { ["lsdef", "-lq"], "Error: Unknown option '-q'.\n" },
        { ["lsdef", "--frob"], "Error: Unknown option '--frob'.\n" },
        { ["lsdef", "--long=yes"], "Error: The option '--long' takes no value.\n" },
        { ["--frob", "lsdef"], "Error: Unknown option '--frob'.\n" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task BadValue_ExitsTwoWithOneLineNamingTheOption(string[] args, string expected)
    {
        var result = await _cli.RunAsync(args);

        result.ExitCode.Should().Be(2, result.Error);
        result.Out.Should().BeEmpty();
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        (lines[0] + "\n").Should().Be(expected);
        lines.Skip(1).Should().OnlyContain(static l => l.StartsWith("Usage: xcatimg", StringComparison.Ordinal), "one error, then the usage");
    }

    [Fact]
    public async Task GlobalOptions_AfterTheVerb_AreHonoured_AndTheLastWins()
    {
        var other = Path.Combine(_cli.Root, "other.db");

        (await _cli.RunAsync("mkdef", "-t", "node", "n1", "groups=all", "--catalog", other)).ShouldSucceed();
        (await _cli.RunAsync("lsdef", "-t", "node", "-s", "--catalog", other)).ShouldSucceed().Out.Should().Be("n1  (node)\n");

        File.Exists(other).Should().BeTrue();
        (await _cli.RunAsync("lsdef", "-t", "node")).ShouldFail("Could not get objects of type 'node'.");
    }

    [Fact]
    public async Task InstallDir_AfterTheVerb_IsHonoured()
    {
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-late", "imagetype=linux", "provmethod=netboot", "profile=late",
            "osvers=rhels9.4", "osarch=x86_64")).ShouldSucceed();
        var late = Path.Combine(_cli.Root, "late");

        var result = await _cli.RunAsync("packimage", "rhels9.4-x86_64-netboot-late", "--lock-dir", Path.Combine(_cli.Root, "locks"), "--install-dir", late);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith($"Error: {late}/netboot/rhels9.4/x86_64/late/rootimg does not exist, run genimage");
    }

    [Fact]
    public async Task Getopt_BundledAndGluedLetters_ParseAsXcatDoes()
    {
        (await _cli.RunAsync("mkdef", "-tnode", "-ocn1,cn2", "groups=compute")).ShouldSucceed();
        (await _cli.RunAsync("chdef", "-pvtnode", "cn1", "groups=extra")).ShouldSucceed();

        (await _cli.RunAsync("lsdef", "-tnode", "-ci", "groups", "cn1")).ShouldSucceed().Out.Should().Be("cn1: groups=compute,extra\n");
        (await _cli.RunAsync("lsdef", "-t", "osimage", "-t", "node", "-s")).ShouldSucceed().Out.Should().Be("cn1  (node)\ncn2  (node)\n");
    }

    [Fact]
    public async Task DoubleDash_EndsTheOptions()
    {
        (await _cli.RunAsync("mkdef", "-t", "node", "n1,n2", "groups=all")).ShouldSucceed();

        // After --, '-n1' is a noderange word (all but n1), not an unknown option.
        (await _cli.RunAsync("lsdef", "-t", "node", "-s", "--", "n1,n2,-n1")).ShouldSucceed().Out.Should().Be("n2  (node)\n");
        (await _cli.RunAsync("lsdef", "-t", "node", "-s", "-n1")).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task AtSign_IsAName_NotAResponseFile()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, "rsp"), "--help\n");

        var result = await _cli.RunAsync("lsdef", "-t", "node", "@rsp");

        result.ExitCode.Should().Be(1);
        result.Out.Should().NotContain("Options:");
        result.Error.Should().StartWith("Error: The noderange").And.Contain("@rsp");
        result.Error.Count(static c => c == '\n').Should().Be(1);
    }

    [Fact]
    public async Task ProgressBar_IsDrawnOnStderr_OnlyWhenStderrIsATerminal()
    {
        var root = Path.Combine(_cli.Root, "tree");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "hostname"), "n\n");

        var redirected = (await _cli.RunAsync("pack", root, "-o", "a.cpio.gz")).ShouldSucceed();
        _cli.ErrorIsTerminal = true;
        var terminal = await _cli.RunAsync("pack", root, "-o", "b.cpio.gz");

        redirected.Error.Should().BeEmpty();
        terminal.ExitCode.Should().Be(0, terminal.Error);
        terminal.Error.Should().Contain("\rpack [").And.Contain("entries");
        terminal.Out.Should().NotContain("\r").And.Contain("Wrote ");
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
        => (await _cli.RunAsync("--version")).ShouldSucceed().Out.Should().MatchRegex(@"^xcatimg \d+\.\d+\.\d+");
}
