using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Cli.Tests;

/// <summary>A tar with members of vendor types unpacks the rest and says on stderr how many it skipped.</summary>
public sealed class UnpackVendorTypeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Unpack_TarWithVendorTypes_SkipsThemAndSaysHowMany()
    {
        var archive = Path.Combine(_cli.Root, "solaris.tar");
        await File.WriteAllBytesAsync(archive, new RawTar().Entry("etc/acl", 'A', new byte[40]).Entry("etc/x", 'X', new byte[3]).File("etc/kept", "kept").ToArray());
        var destination = Path.Combine(_cli.Root, "out");

        var result = await _cli.RunAsync("unpack", archive, "-C", destination);

        result.ExitCode.Should().Be(0, result.Error);
        result.Error.Should().Be("skipped 2 members of unsupported types\n");
        result.Out.Should().StartWith("1 entries: 1 files, 0 directories");
        Directory.GetFileSystemEntries(destination, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(destination, p))
            .Should().BeEquivalentTo("etc", "etc/kept");
    }
}
