namespace Xcat.Imaging.Cli.Tests;

public sealed class DemoVerbTests
{
    [Fact]
    public async Task Demo_RunsEveryStepAndLeavesNothingBehind()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "xcatimg-demo-*").ToHashSet();
        var result = await CliHarness.RunProcessAsync(Path.GetTempPath(), "demo");

        result.ExitCode.Should().Be(0, result.Error);
        result.Out.Should().Contain("$ xcatimg lsdef -t osimage -l debian12-x86_64-netboot-demo")
            .And.Contain("Object name: clustersite\n    installdir=/install\n    tftpdir=/tftpboot\n")
            .And.Contain("Error: Could not get objects of type 'osimage'.")
            .And.Contain("Error: The site attribute httpport is 'http', which is not a TCP port number (1 to 65535).")
            .And.Contain("\"timezone\",\"UTC\",,\n")
            .And.Contain("Error: nosuchscript is not in the attribute of 'postscripts'")
            .And.Contain("Error: evil: profile: '../../etc' contains '/'; it must be a single path component.")
            .And.Contain("nests parentheses or brackets more than 32 deep.")
            .And.Contain("$ xcatimg gettab node=node01 nodetype.comments\nfirst node\n")
            .And.Contain("$ xcatimg nodels compute nodetype.os groups\nnode01: nodetype.os: debian12\nnode01: groups: compute,all\n")
            .And.Contain("\nrootimgdir:\t")
            .And.Contain(" etc/caf\\351\n").And.Contain(" debian12-x86_64-netboot-demo/rootimg/etc/caf\\351\n")
            .And.EndWith("# demo finished: every step behaved as expected.\n");
        Directory.GetDirectories(Path.GetTempPath(), "xcatimg-demo-*").Should().BeSubsetOf(before);
    }
}
