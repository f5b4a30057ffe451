using System.Diagnostics;
using System.Text;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// Hostile text input (issue 9, items 7, 8, 10): noderanges, exlists, CSV files and manifests built to overflow the
/// stack, hang or exhaust memory. Each runs xcatimg as a child process under a 256 MiB GC heap and a time limit, so
/// that a regression fails its test instead of the test host; each must end with exit 1, one clear error line, and
/// nothing changed: the catalog and every file under the test's root as they were.
/// </summary>
public sealed class HostileTextInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("lsdef")]
    [InlineData("chdef")]
    [InlineData("mkdef")]
    public async Task Noderange_With100000OpenParentheses_IsOneErrorNotAStackOverflow(string verb)
    {
        await DefineNodeAsync("n1");
        string[] rest = verb == "lsdef" ? [] : ["groups=evil"];

        var result = await RunHostileAsync([verb, "-t", "node", new string('(', 100_000) + "n1", .. rest]);

        result.Error.Should().StartWith("Error: The noderange '((((").And.EndWith("nests parentheses or brackets more than 32 deep.\n");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Noderange_WithManyBracketGroups_IsOneError()
    {
        await DefineNodeAsync("n1");

        var result = await RunHostileAsync(["lsdef", "-t", "node", "n" + string.Concat(Enumerable.Repeat("[1]", 40_000))]);

        result.Error.Should().Contain("is longer than 1024 characters");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Noderange_CatastrophicRegex_TimesOutWithAClearError()
    {
        await DefineNodeAsync(new string('a', 40) + "b");
        var clock = Stopwatch.StartNew();

        var result = await RunHostileAsync(["lsdef", "-t", "node", "/(.*a){25}"]);

        result.Error.Should().Be("Error: The noderange regular expression '/(.*a){25}' took more than 1 s to match the node names; simplify it.\n");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Noderange_RegexMatchingNothing_SelectsNothingRatherThanEverything()
    {
        await DefineNodeAsync("n1");

        var result = await _cli.RunAsync("lsdef", "-t", "node", "/^zzz");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be("Error: The noderange selects no nodes.\n");
        result.Out.Should().BeEmpty();
        (await _cli.RunAsync("chdef", "-t", "node", "n1,-n1", "groups=x")).Error.Should().Be("Error: The noderange selects no nodes.\n");
    }

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    [InlineData("diamond")]
    public async Task Exlist_HostileInclude_IsRefusedByNameWithoutHangingOrExhaustingMemory(string kind)
    {
        var root = Path.Combine(_cli.Root, "tree");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "hostname"), "x\n");
        var lists = Path.Combine(_cli.Root, "lists");
        Directory.CreateDirectory(lists);
        string expected;
        switch (kind)
        {
            case "fifo":
                HostCommand.Run("mkfifo", Path.Combine(lists, "pipe.exlist"));
                await File.WriteAllTextAsync(Path.Combine(lists, "main.exlist"), "./tmp*\n#INCLUDE:pipe.exlist#\n");
                expected = $"pipe.exlist' ({Path.Combine(lists, "pipe.exlist")}), included by '{Path.Combine(lists, "main.exlist")}', is a FIFO, not a regular file; refused.";
                break;
            case "/dev/zero":
                await File.WriteAllTextAsync(Path.Combine(lists, "main.exlist"), "./tmp*\n#INCLUDE:/dev/zero#\n");
                expected = "is a character device, not a regular file; refused.";
                break;
            default:
                for (var level = 0; level < 30; level++)
                {
                    await File.WriteAllTextAsync(Path.Combine(lists, level == 0 ? "main.exlist" : $"d{level}.exlist"),
                        $"./level{level}*\n#INCLUDE:d{level + 1}.exlist#\n#INCLUDE:d{level + 1}.exlist#\n");
                }

                await File.WriteAllTextAsync(Path.Combine(lists, "d30.exlist"), string.Concat(Enumerable.Range(0, 1000).Select(static i => $"./leaf/{i}\n")));
                expected = "with its includes expanded (is a file included many times?), at " + Path.Combine(lists, "main.exlist") + " -> ";
                break;
        }

        var output = Path.Combine(_cli.Root, "out", "rootimg.cpio.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var result = await RunHostileAsync(["pack", root, "-o", output, "--exlist", Path.Combine(lists, "main.exlist")]);

        result.Error.Should().Contain(expected);
        Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Should().BeEmpty("no archive and no temp file");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Tabrestore_UnterminatedQuoteIn200000Lines_IsOneShortErrorInLinearTime()
    {
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", "keep", "imagetype=linux", "profile=p")).ShouldSucceed();
        var csv = new StringBuilder("#imagename,profile,description\n\"bad\",\"p\",\"this quote never ends\n");
        for (var i = 0; i < 200_000; i++)
        {
            // Unquoted, so that the open quote runs to the end of the file.
            csv.Append("img").Append(i).Append(",compute,line ").Append(i).Append('\n');
        }

        var path = Path.Combine(_cli.Root, "osimage.csv");
        await File.WriteAllTextAsync(path, csv.ToString());
        var clock = Stopwatch.StartNew();

        var result = await RunHostileAsync(["tabrestore", path]);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        result.Error.Should().StartWith($"Error: {path}: CSV unmatched \" in record on line 2, character 10: \"bad\",\"p\",\"this quote never ends");
        result.Error.Length.Should().BeLessThan(400, "the message quotes the start of the record, not the rest of the file");
        result.Error.Should().NotContain("img1");
    }

    [Fact]
    public async Task Tabrestore_200000GoodLines_Work()
    {
        var csv = new StringBuilder("#imagename,profile\n");
        for (var i = 0; i < 200_000; i++)
        {
            csv.Append("\"img").Append(i).Append("\",\"compute\"\n");
        }

        var path = Path.Combine(_cli.Root, "osimage.csv");
        await File.WriteAllTextAsync(path, csv.ToString());

        var result = await CliHarness.RunProcessAsync(_cli.Root, ProcessLimits.Hostile, [.. Global(), "tabrestore", path]);

        result.ExitCode.Should().Be(0, result.Error);
        (await _cli.RunAsync("lsdef", "-t", "osimage", "img199999", "-i", "profile", "-c")).ShouldSucceed().Out.Should().Be("img199999: profile=compute\n");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Imgimport_ManifestWith100000NestedElements_IsOneErrorNotAStackOverflow()
    {
        var image = Path.Combine(_cli.Root, "bundle", "img");
        Directory.CreateDirectory(image);
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<xcatimage><osimage><imagename>img</imagename></osimage>");
        xml.Insert(xml.Length, "<a>", 100_000).Append("deep");
        xml.Insert(xml.Length, "</a>", 100_000).Append("</xcatimage>\n");
        await File.WriteAllTextAsync(Path.Combine(image, "manifest.xml"), xml.ToString());
        var bundle = Path.Combine(_cli.Root, "deep.tgz");
        (await ExternalTool.RunAsync("tar", ["-czf", bundle, "-C", Path.Combine(_cli.Root, "bundle"), "img"])).EnsureSuccess();

        var result = await RunHostileAsync(["imgimport", bundle], allowProgress: true);

        result.Error.Should().Contain("The manifest element <a> is nested more than 32 levels deep (line 2");
    }

    private string[] Global() => ["--catalog", _cli.CatalogPath, "--install-dir", _cli.InstallDir];

    private async Task DefineNodeAsync(string name) => (await _cli.RunAsync("mkdef", "-t", "node", "-o", name, "groups=all")).ShouldSucceed();

    /// <summary>
    /// Runs xcatimg under <see cref="ProcessLimits.Hostile"/> and checks the invariant: exit 1, one line on stderr,
    /// nothing on stdout (but imgimport's progress), the catalog and the files under the root unchanged.
    /// </summary>
    private async Task<CliResult> RunHostileAsync(string[] args, bool allowProgress = false)
    {
        var before = await StateAsync();

        var result = await CliHarness.RunProcessAsync(_cli.Root, ProcessLimits.Hostile, [.. Global(), .. args]);

        result.ExitCode.Should().Be(1, $"stderr was: {result.Error[..Math.Min(result.Error.Length, 2000)]}");
        if (!allowProgress)
        {
            result.Out.Should().BeEmpty();
        }

        result.Error.Should().StartWith("Error: ").And.EndWith("\n");
        result.Error.Count(static c => c == '\n').Should().Be(1, "the refusal is one line");
        var after = await StateAsync();
        after.Catalog.Should().Be(before.Catalog);
        // The catalog's own files may be touched by opening it; its content is compared above.
        // imgimport stages below the install directory and removes its staging, which leaves that directory's mtime new.
        new TreeComparer(new TreeComparisonOptions
            {
                CompareRoot = false,
                CompareDirectoryModificationTimes = !allowProgress,
                Ignore = static p => p.StartsWith("catalog.db", StringComparison.Ordinal),
            })
            .Compare(before.Files, after.Files).Should().BeEmpty();
        return result;
    }

    private async Task<(string Catalog, TreeSnapshot Files)> StateAsync()
    {
        var opened = await SqliteImageCatalog.OpenAsync(_cli.CatalogPath);
        var catalog = await CatalogSnapshot.TakeAsync(opened);

        Directory.CreateDirectory(_cli.InstallDir);
        return (catalog, TreeSnapshot.Capture(_cli.Root));
    }
}
