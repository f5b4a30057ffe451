using Xcat.Imaging.TestKit;
using Xunit.Abstractions;

namespace Xcat.Imaging.Tests.Building.Initrd;

/// <summary>
/// A Debian image booted diskless under qemu (TCG) from the initrds our generators build: each fetches the packed
/// image from an HTTP server on the host by imgurl=, checks its .sha256, unpacks it into RAM and boots it to a login.
/// </summary>
[Trait("Category", "Boot")]
public sealed class DisklessBootTests(DisklessBootFixture fixture, ITestOutputHelper output) : IClassFixture<DisklessBootFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    [NetbootBootFact]
    public async Task DracutInitrd_BootsTheImageToALogin()
    {
        var boot = await Boot(fixture.DracutInitrd, "good/rootimg.cpio.gz");

        boot.MatchedText.Should().Be("login:", boot.Console);
        boot.Console.Should().Contain("xcatimg: unpacked rootimg.cpio.gz into /sysroot");
        fixture.Server.RequestCount("/good/rootimg.cpio.gz.sha256").Should().BePositive();
    }

    [NetbootBootFact]
    public async Task InitramfsToolsInitrd_BootsTheImageToALogin()
    {
        var boot = await Boot(fixture.InitramfsToolsInitrd, "good/rootimg.cpio.gz");

        boot.MatchedText.Should().Be("login:", boot.Console);
        boot.Console.Should().Contain("xcatimg: unpacked rootimg.cpio.gz into /root");
    }

    [NetbootBootFact]
    public async Task AWrongChecksum_IsRefused_AndTheNodeDoesNotBoot()
    {
        var boot = await Boot(fixture.DracutInitrd, "bad/rootimg.cpio.gz", settle: TimeSpan.FromSeconds(20));

        boot.MatchedText.Should().Be("image checksum mismatch", boot.Console);
        boot.Console.Should().Contain($"xcatimg: image checksum mismatch for {fixture.Server.GuestUrl}/bad/rootimg.cpio.gz: expected {new string('0', 64)}")
            .And.Contain("refusing to boot")
            .And.NotContain("login:")
            .And.NotContain("xcatimg: unpacked");
    }

    [NetbootBootFact]
    public async Task ATarZstdImage_BootsWithGnuTar()
    {
        var boot = await Boot(fixture.InitramfsToolsInitrd, "zst/rootimg.tar.zst");

        boot.MatchedText.Should().Be("login:", boot.Console);
        boot.Console.Should().Contain("xcatimg: unpacked rootimg.tar.zst into /root").And.NotContain("extended attributes are not restored");
    }

    private async Task<QemuBootResult> Boot(string initrd, string archive, TimeSpan? settle = null)
    {
        output.WriteLine($"image and initrds built in {fixture.BuildTime.TotalSeconds:F0} s");
        var boot = await QemuNetBoot.BootAsync(fixture.Kernel, initrd, fixture.CommandLine(archive),
            ["login:", "image checksum mismatch"], s_timeout, settle: settle);
        output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(initrd))} {archive}: '{boot.MatchedText}' after {boot.Elapsed.TotalSeconds:F0} s");
        return boot;
    }
}
