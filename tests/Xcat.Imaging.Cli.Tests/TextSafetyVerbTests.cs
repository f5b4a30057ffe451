namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// What lsdef, tabdump, tabrestore, mkdef, chdef, packimage and pack print (issue 9, items 5, 11, 12): refusals name
/// the attribute or option in one line without .NET's wording; values cannot forge listing lines or drive the terminal;
/// packimage reports and keeps the archive it wrote whatever the spelling of rootimgdir.
/// </summary>
public sealed class TextSafetyVerbTests : IDisposable
{
    private const string Image = "rhels9.4-x86_64-netboot-compute";
    private const string Hostile = "ok\nObject name: forged\n    profile=evil\u001b[2J\u001b]0;title\u0007";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("-l")]
    [InlineData("-z")]
    [InlineData("-c")]
    public async Task Lsdef_ValueWithNewlinesAndEscapes_IsPrintedEscapedOnOneLine(string format)
    {
        (await _cli.RunAsync("chdef", "-t", "osimage", Image, "description=" + Hostile)).ShouldSucceed();
        string[] args = format == "-c" ? ["-i", "description", "-c"] : [format];

        var listed = (await _cli.RunAsync(["lsdef", "-t", "osimage", Image, .. args])).ShouldSucceed().Out;

        listed.Should().Contain(@"description=ok\nObject name: forged\n    profile=evil\033[2J\033]0;title\a" + "\n");
        listed.Should().NotContain("\u001b").And.NotContain("\u0007");
        listed.Split('\n').Should().NotContain(static line => line.StartsWith("Object name: forged", StringComparison.Ordinal)
            || line.StartsWith("    profile=evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tabdump_ToAFileOrPipe_KeepsXcatBytes_OnATerminal_Escapes()
    {
        (await _cli.RunAsync("chdef", "-t", "osimage", Image, "description=" + Hostile)).ShouldSucceed();

        var raw = (await _cli.RunAsync("tabdump", "-w", $"imagename=={Image}", "osimage")).ShouldSucceed().Out;
        raw.Should().Contain("\"ok\nObject name: forged\n    profile=evil\u001b[2J\u001b]0;title\u0007\"", "xCAT writes values raw inside quotes");

        _cli.OutputIsTerminal = true;
        var shown = (await _cli.RunAsync("tabdump", "-w", $"imagename=={Image}", "osimage")).ShouldSucceed().Out;
        shown.Should().Contain(@"""ok\nObject name: forged\n    profile=evil\033[2J\033]0;title\a""").And.NotContain("\u001b");
        shown.Count(static c => c == '\n').Should().Be(2, "a header and one row");

        // The raw dump restores to the same value: the newline was never a row separator.
        var file = Path.Combine(_cli.Root, "osimage.csv");
        (await _cli.RunAsync("tabdump", "-f", file, "osimage")).ShouldSucceed();
        (await _cli.RunAsync("tabrestore", file)).ShouldSucceed();
        (await _cli.RunAsync("tabdump", "-w", $"imagename=={Image}", "osimage")).ShouldSucceed().Out.Should().Be(shown);
    }

    public static TheoryData<string[], string> Refusals => new()
    {
        { ["chdef", "-t", "node", "-o", "", "groups=all"], "Error: The noderange is empty.\n" },
        { ["lsdef", "-t", "node", "-o", "n[1-"], "Error: The noderange 'n[1-' has unbalanced brackets.\n" },
        { ["mkdef", "-t", "node", "-o", "n[3-1]", "groups=all"], "Error: The noderange element 'n[3-1]' counts down from 3 to 1.\n" },
        { ["packimage", ""], "Error: An image name is required, use 'packimage <osimage name>'.\n" },
        { ["packimage", Image, "--level", "10"], "Error: The option '--level' needs a whole number from 0 to 9 for gzip, not '10'.\n" },
        { ["packimage", Image, "-c", "zstd", "--level", "0"], "Error: The option '--level' needs a whole number from 1 to 22 for zstd, not '0'.\n" },
        { ["packimage", Image, "--threads", "0"], "Error: The option '--threads' needs a whole number from 1 to 1024, not '0'.\n" },
        { ["pack", "", "-o", "x.cpio"], "Error: pack takes one root directory.\n" },
        { ["pack", ".", "-o", ""], "Error: The output file (-o) is required.\n" },
        { ["tabdump", "-w", "=x", "osimage"], "Error: Unsupported operator in '=x'; use attr==val, attr!=val, attr=~val, attr!~val, attr<val, attr<=val, attr>val or attr>=val.\n" },
        { ["tabdump", "-w", "nosuch==1", "osimage"], "Error: The selection 'nosuch==1' names 'nosuch', which is not a column of table 'osimage'.\n" },
        { ["tabdump", "nosuch"], "Error: No such table: nosuch\n" },
        { ["tabdump", "-d", "nosuch"], "Error: table nosuch does not exist.\n" },
        { ["tabdump", "-f", "/nonexistent/dir/x.csv", "osimage"], "Error: The directory of the dump file '/nonexistent/dir/x.csv' does not exist.\n" },
        { ["tabdump", "-f", "/tmp", "osimage"], "Error: The dump file '/tmp' is a directory.\n" },
        { ["lsdef", "-t", "osimage", "-i", "nosuch"], "Error: 'nosuch' is not a valid attribute name for an object type of 'osimage'.\n" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_NamesTheProblemWithoutDotNetWording(string[] args, string expected)
    {
        var result = await _cli.RunAsync(args);

        result.ExitCode.Should().NotBe(0);
        var firstLine = result.Error[..(result.Error.IndexOf('\n', StringComparison.Ordinal) + 1)];
        firstLine.Should().Be(expected);
        result.Error.Should().NotContain("(Parameter '").And.NotContain("Valid values are between").And.NotContain("Actual value was")
            .And.NotContain("The value cannot be an empty string").And.NotContain("Specified argument");
    }

    [Theory]
    [InlineData("{0}//")]
    [InlineData("{1}//compute")]
    [InlineData("{1}/./compute/")]
    [InlineData("{1}/x/../compute")]
    public async Task Packimage_AnySpellingOfRootimgdir_WritesAndKeepsTheArchive(string form)
    {
        await _cli.AddSampleDefinitionsAsync();
        var imageDir = Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "compute");
        Directory.CreateDirectory(Path.Combine(imageDir, "rootimg", "etc"));
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(imageDir)!, "x"));
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg", "etc", "hostname"), "n\n");
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg.gz"), "older");
        var exlist = Path.Combine(_cli.Root, "empty.exlist");
        await File.WriteAllTextAsync(exlist, string.Empty);
        var rootimgdir = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, imageDir, Path.GetDirectoryName(imageDir));
        (await _cli.RunAsync("chdef", "-t", "osimage", Image, $"rootimgdir={rootimgdir}", $"exlist={exlist}")).ShouldSucceed();

        var packed = (await _cli.RunAsync("packimage", Image, "--lock-dir", Path.Combine(_cli.Root, "locks"))).ShouldSucceed();

        var archive = Path.Combine(imageDir, "rootimg.cpio.gz");
        packed.Out.Should().Contain($"Wrote {archive}\n").And.Contain($" in {archive}.sha256\n");
        Directory.GetFiles(imageDir).Select(Path.GetFileName).Should().BeEquivalentTo(["rootimg.cpio.gz", "rootimg.cpio.gz.sha256"]);
        (await _cli.RunAsync("inspect", archive)).ShouldSucceed().Out.Should().Contain(" etc/hostname\n");
    }
}
