using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>
/// pack names its format from the output's name and refuses a contradiction; cpio says what it dropped; unpack into a
/// tree that is not empty needs --overwrite and is refused untouched without it (issue 11, item 7).
/// </summary>
public sealed class PackUnpackOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("x.tar.zst", "compression zstd", "ustar")]
    [InlineData("x.tar.xz", "compression xz", "ustar")]
    [InlineData("x.tgz", "compression gzip", "ustar")]
    [InlineData("x.cpio", "compression none", "070701")]
    [InlineData("x.cpio.gz", "compression gzip", "070701")]
    public async Task Pack_WithoutMethodOrCompression_TakesThemFromTheOutputName(string output, string compression, string magic)
    {
        (await _cli.RunAsync("pack", MakeTree(), "-o", output)).ShouldSucceed();

        (await _cli.RunAsync("inspect", output)).ShouldSucceed().Out.Should().Contain(compression);
        var unpacked = Path.Combine(_cli.Root, "plain");
        (await _cli.RunAsync("unpack", output, "-C", unpacked)).ShouldSucceed();
        File.ReadAllText(Path.Combine(unpacked, "etc", "hostname")).Should().Be("node01\n");
        var raw = await DecompressAsync(Path.Combine(_cli.Root, output));
        System.Text.Encoding.ASCII.GetString(raw).Should().Contain(magic);
    }

    [Theory]
    [InlineData("x.tar.zst", "The output 'x.tar.zst' is named as a tar archive but -m is cpio; rename the output or leave -m out.", "-m", "cpio")]
    [InlineData("x.tar.zst", "The output 'x.tar.zst' is named as zstd but -c is gzip; rename the output or leave -c out.", "-c", "gzip")]
    [InlineData("x.cpio", "The output 'x.cpio' is named as uncompressed but -c is xz; rename the output or leave -c out.", "-c", "xz")]
    [InlineData("x.cpio.gz", "The output 'x.cpio.gz' is named as a cpio archive but -m is tar; rename the output or leave -m out.", "-m", "tar")]
    public async Task Pack_MethodThatContradictsTheName_IsRefusedWithExitTwo(string output, string message, params string[] options)
    {
        var result = await _cli.RunAsync(["pack", MakeTree(), "-o", output, .. options]);

        result.ExitCode.Should().Be(2);
        result.Error.Should().StartWith($"Error: {message}\n");
        File.Exists(Path.Combine(_cli.Root, output)).Should().BeFalse();
    }

    [Fact]
    public async Task Pack_MatchingOrUnnamedOutput_KeepsTheGivenOptions()
    {
        (await _cli.RunAsync("pack", MakeTree(), "-o", "x.tar.gz", "-m", "tar", "-c", "pigz")).ShouldSucceed();
        (await _cli.RunAsync("pack", MakeTree(), "-o", "x.img", "-m", "tar", "-c", "xz")).ShouldSucceed();

        (await _cli.RunAsync("inspect", "x.img")).ShouldSucceed().Out.Should().Contain("compression xz");
    }

    [Fact]
    public async Task Pack_CpioOfATreeWithExtendedAttributes_SaysHowManyMembersLostThem()
    {
        var directory = ExtendedAttributeOracle.FindSupportingDirectory();
        using var temp = new TempDirectoryIn(directory);
        var root = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        await File.WriteAllTextAsync(Path.Combine(root, "bin", "ping"), "x");
        await File.WriteAllTextAsync(Path.Combine(root, "bin", "arping"), "x");
        await File.WriteAllTextAsync(Path.Combine(root, "bin", "plain"), "x");
        ExtendedAttributeOracle.Write(Path.Combine(root, "bin", "ping"), "user.cap", [1]);
        ExtendedAttributeOracle.Write(Path.Combine(root, "bin", "arping"), "user.cap", [2]);

        var cpio = await _cli.RunAsync("pack", root, "-o", Path.Combine(temp.Path, "x.cpio.gz"));
        var tar = await _cli.RunAsync("pack", root, "-o", Path.Combine(temp.Path, "x.tar.gz"));

        cpio.ExitCode.Should().Be(0, cpio.Error);
        cpio.Error.Should().Be("Warning: 2 members lost their extended attributes (file capabilities such as ping's cap_net_raw), which cpio cannot hold; pack with -m tar to keep them.\n");
        tar.ShouldSucceed();
    }

    [Fact]
    public async Task Pack_CpioOfATreeWithOneMemberWithExtendedAttributes_SaysSoInTheSingular()
    {
        var directory = ExtendedAttributeOracle.FindSupportingDirectory();
        using var temp = new TempDirectoryIn(directory);
        var root = Path.Combine(temp.Path, "tree");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "ping"), "x");
        ExtendedAttributeOracle.Write(Path.Combine(root, "ping"), "user.cap", [1]);

        var cpio = await _cli.RunAsync("pack", root, "-o", Path.Combine(temp.Path, "x.cpio.gz"));

        cpio.ExitCode.Should().Be(0, cpio.Error);
        cpio.Error.Should().Be("Warning: 1 member lost its extended attributes (file capabilities such as ping's cap_net_raw), which cpio cannot hold; pack with -m tar to keep them.\n");
    }

    [Fact]
    public async Task Unpack_IntoATreeThatIsNotEmpty_IsRefusedUntouched_AndOverwriteReplaces()
    {
        var archive = Path.Combine(_cli.Root, "x.tar.gz");
        (await _cli.RunAsync("pack", MakeTree(), "-o", archive)).ShouldSucceed();
        var destination = Path.Combine(_cli.Root, "existing");
        Directory.CreateDirectory(Path.Combine(destination, "etc"));
        await File.WriteAllTextAsync(Path.Combine(destination, "etc", "hostname"), "old\n");
        await File.WriteAllTextAsync(Path.Combine(destination, "keep"), "mine\n");
        var before = TreeSnapshot.Capture(destination);

        var refused = await _cli.RunAsync("unpack", archive, "-C", destination);

        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Be($"Error: The destination '{destination}' is not empty; use --overwrite to extract into it.\n");
        new TreeComparer().AssertEqual(before, TreeSnapshot.Capture(destination));

        (await _cli.RunAsync("unpack", archive, "-C", destination, "--overwrite")).ShouldSucceed();
        File.ReadAllText(Path.Combine(destination, "etc", "hostname")).Should().Be("node01\n");
        File.ReadAllText(Path.Combine(destination, "keep")).Should().Be("mine\n");
    }

    [Fact]
    public async Task Unpack_RefusedArchive_LeavesNoHalfExtractedTree()
    {
        // A good member, then one that escapes the destination: the extractor refuses it after writing the first.
        var archive = Path.Combine(_cli.Root, "bad.tar");
        await File.WriteAllBytesAsync(archive, new RawTar().File("etc/first", "1").File("../escape", "2").ToArray());
        var destination = Path.Combine(_cli.Root, "dest");
        var around = Directory.GetFileSystemEntries(_cli.Root).Order(StringComparer.Ordinal).ToList();

        var result = await _cli.RunAsync("unpack", archive, "-C", destination);

        result.ExitCode.Should().Be(1);
        result.Error.Should().StartWith("Error: ").And.NotContain(".xcatimg-unpack-");
        result.Error.Count(static c => c == '\n').Should().Be(1);
        Directory.Exists(destination).Should().BeFalse();
        Directory.GetFileSystemEntries(_cli.Root).Order(StringComparer.Ordinal).Should().Equal(around, "no staging directory is left");
    }

    [Fact]
    public async Task Unpack_IntoAnEmptyDirectory_Extracts()
    {
        var archive = Path.Combine(_cli.Root, "x.tar.gz");
        (await _cli.RunAsync("pack", MakeTree(), "-o", archive)).ShouldSucceed();
        var destination = Path.Combine(_cli.Root, "empty");
        Directory.CreateDirectory(destination);

        (await _cli.RunAsync("unpack", archive, "-C", destination)).ShouldSucceed();

        File.ReadAllText(Path.Combine(destination, "etc", "hostname")).Should().Be("node01\n");
    }

    private string MakeTree()
    {
        var root = Path.Combine(_cli.Root, "tree");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "node01\n");
        return root;
    }

    private static async Task<byte[]> DecompressAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var plain = Compression.CompressionStreams.OpenDecompressor(file);
        using var memory = new MemoryStream();
        await plain.CopyToAsync(memory);
        return memory.ToArray();
    }

    private sealed class TempDirectoryIn : IDisposable
    {
        public TempDirectoryIn(string parent) => Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, "xcatimg-cli-" + Guid.NewGuid().ToString("N"))).FullName;

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
