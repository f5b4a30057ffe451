using System.Diagnostics;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// Failures reach the user as one plain line (issue 11, item 7): a catalog that is a directory or cannot be created, a
/// shared catalog this user cannot write (read, not changed), an output that is a directory, an input that is a file
/// where a directory is expected; 2 is a usage mistake, 1 a refusal.
/// </summary>
public sealed class PlainFailureTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Catalog_ThatIsADirectory_IsOneLine()
    {
        var directory = Path.Combine(_cli.Root, "catalog-dir");
        Directory.CreateDirectory(directory);

        var result = await CliHarness.RunProcessAsync(_cli.Root, "--catalog", directory, "lsdef", "-t", "osimage");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: The catalog '{directory}' is a directory, not a database file.\n");
    }

    [Fact]
    public async Task Catalog_WhoseDirectoryCannotBeCreated_IsOneLine()
    {
        var blocker = Path.Combine(_cli.Root, "file");
        await File.WriteAllTextAsync(blocker, "a file where the catalog's directory should be");
        var catalog = Path.Combine(blocker, "sub", "catalog.db");

        var result = await CliHarness.RunProcessAsync(_cli.Root, "--catalog", catalog, "lsdef", "-t", "osimage");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: Cannot create the catalog '{catalog}': its directory cannot be created.\n");
    }

    [RootFact]
    public async Task SharedCatalog_ThatThisUserCannotWrite_IsRead_AndAChangeIsRefusedInOneLine()
    {
        // A catalog owned by root, mode 0644, in a directory only root may write; read by 'nobody'.
        var shared = Path.Combine(_cli.Root, "shared");
        Directory.CreateDirectory(shared);
        var catalog = Path.Combine(shared, "catalog.db");
        var home = Path.Combine(_cli.Root, "home");
        Directory.CreateDirectory(home);
        (await CliHarness.RunProcessAsync(_cli.Root, "--catalog", catalog, "mkdef", "-t", "node", "n1", "groups=all")).ExitCode.Should().Be(0);
        File.SetUnixFileMode(_cli.Root, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(shared, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(catalog, (UnixFileMode)0x1A4);
        File.SetUnixFileMode(home, (UnixFileMode)0x1FF);
        var before = await File.ReadAllBytesAsync(catalog);

        var listed = await RunAsNobodyAsync(home, "--catalog", catalog, "lsdef", "-t", "node", "-s");
        var changed = await RunAsNobodyAsync(home, "--catalog", catalog, "chdef", "n1", "groups=other");

        listed.ExitCode.Should().Be(0, listed.Error);
        listed.Out.Should().Be("n1  (node)\n");
        changed.ExitCode.Should().Be(1);
        changed.Error.Should().Be($"Error: The catalog '{catalog}' is read-only for this user: it can be read but not changed; ask its owner, or give --catalog a catalog of your own.\n");
        (await File.ReadAllBytesAsync(catalog)).Should().Equal(before);
        Directory.GetFiles(shared).Should().Equal([catalog], "nothing was created beside the shared catalog");
    }

    [RootFact]
    public async Task Outputs_InADirectoryThisUserCannotWrite_NameTheTarget_NotATempFile()
    {
        // The tree and an output directory owned by root, mode 0755; packed and dumped by 'nobody'.
        var root = MakeTree("tree");
        var locked = Path.Combine(_cli.Root, "locked");
        Directory.CreateDirectory(locked);
        var home = Path.Combine(_cli.Root, "home");
        Directory.CreateDirectory(home);
        (await _cli.RunAsync("lsdef", "-t", "site")).ShouldSucceed();
        foreach (var directory in new[] { _cli.Root, root, Path.Combine(root, "etc"), locked })
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1ED);
        }

        File.SetUnixFileMode(Path.Combine(root, "etc", "hostname"), (UnixFileMode)0x1A4);
        File.SetUnixFileMode(_cli.CatalogPath, (UnixFileMode)0x1A4);
        File.SetUnixFileMode(home, (UnixFileMode)0x1FF);
        var archive = Path.Combine(locked, "x.cpio.gz");
        var dump = Path.Combine(locked, "osimage.csv");

        var packed = await RunAsNobodyAsync(home, "pack", root, "-o", archive);
        var dumped = await RunAsNobodyAsync(home, "--catalog", _cli.CatalogPath, "tabdump", "-f", dump, "osimage");

        packed.ExitCode.Should().Be(1);
        packed.Error.Should().Be($"Error: Cannot create '{archive}': writing in '{locked}' is not permitted.\n");
        dumped.ExitCode.Should().Be(1);
        dumped.Error.Should().Be($"Error: Cannot write the dump file '{dump}': writing in its directory is not permitted.\n");
        Directory.EnumerateFileSystemEntries(locked).Should().BeEmpty();
    }

    [Fact]
    public async Task Pack_OutputThatIsADirectory_IsOneLine()
    {
        var root = MakeTree("tree");
        var output = Path.Combine(_cli.Root, "out");
        Directory.CreateDirectory(output);

        var result = await _cli.RunAsync("pack", root, "-o", output);

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: The output '{output}' is a directory; give the archive's file name.\n");
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty();
    }

    [Fact]
    public async Task Pack_RootThatIsAFile_SaysItIsAFile()
    {
        var file = Path.Combine(_cli.Root, "notes.txt");
        await File.WriteAllTextAsync(file, "x");

        var result = await _cli.RunAsync("pack", file, "-o", "x.cpio.gz");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: {file} is a file, not a directory; the root to pack must be a directory.\n");
        File.Exists(Path.Combine(_cli.Root, "x.cpio.gz")).Should().BeFalse();
    }

    [Fact]
    public async Task Packimage_RootimgThatIsAFile_SaysItIsAFile()
    {
        var imageDir = Path.Combine(_cli.InstallDir, "netboot", "rhels9.4", "x86_64", "filed");
        Directory.CreateDirectory(imageDir);
        await File.WriteAllTextAsync(Path.Combine(imageDir, "rootimg"), "not a tree");
        (await _cli.RunAsync("mkdef", "-t", "osimage", "-o", "rhels9.4-x86_64-netboot-filed", "imagetype=linux", "provmethod=netboot", "profile=filed",
            "osvers=rhels9.4", "osarch=x86_64")).ShouldSucceed();

        var result = await _cli.RunAsync("packimage", "rhels9.4-x86_64-netboot-filed", "--lock-dir", Path.Combine(_cli.Root, "locks"));

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be($"Error: {imageDir}/rootimg is a file, not a directory; the rootimg must be the image's root directory tree.\n");
    }

    [Fact]
    public async Task Unpack_DestinationThatIsAFile_SaysItIsAFile()
    {
        var archive = await PackAsync();
        await File.WriteAllTextAsync(Path.Combine(_cli.Root, "dest"), "x");

        var result = await _cli.RunAsync("unpack", archive, "-C", "dest");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Be("Error: The destination 'dest' is a file, not a directory.\n");
    }

    [Fact]
    public async Task Errors_CarryNoParameterNamesOrStackTraces()
    {
        var results = new[]
        {
            await _cli.RunAsync("pack", "", "-o", "x.cpio"),
            await _cli.RunAsync("unpack", "nosuch.cpio", "-C", "x"),
            await _cli.RunAsync("imgexport", "nosuch"),
            await _cli.RunAsync("lsdef", "-t", "osimage", "-i", "nosuch"),
        };

        foreach (var result in results)
        {
            result.ExitCode.Should().NotBe(0);
            result.Error.Should().StartWith("Error: ").And.NotContain("(Parameter '").And.NotContain("   at ").And.NotContain("Exception");
        }
    }

    private string MakeTree(string name)
    {
        var root = Path.Combine(_cli.Root, name);
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "node01\n");
        return root;
    }

    private async Task<string> PackAsync()
    {
        var archive = Path.Combine(_cli.Root, "tree.tar.gz");
        (await _cli.RunAsync("pack", MakeTree("packed"), "-o", archive)).ShouldSucceed();
        return archive;
    }

    private static async Task<CliResult> RunAsNobodyAsync(string home, params string[] args)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = home };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Path.Combine(AppContext.BaseDirectory, "xcatimg.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
