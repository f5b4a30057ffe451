using System.IO.Abstractions;
using Xcat.Imaging.Internal;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Internal;

public sealed class ImageLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fs = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LockFileName_FollowsXcat()
        => ImageLock.LockFileName("/install/netboot/rh/x86_64/compute/rootimg")
            .Should().Be(".install.netboot.rh.x86_64.compute.rootimg.bb974daa6bfe946e56eecf5cba6ee19c");

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Acquire_Twice_FailsWithXcatMessageNamingTheHolder()
    {
        using var first = ImageLock.Acquire(_fs, _temp.Path, "/install/netboot/x/rootimg");
        var holder = await ExternalTool.RunAsync("cat", [first.Path]);
        holder.Output.Should().Be(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var act = () => ImageLock.Acquire(_fs, _temp.Path, "/install/netboot/x/rootimg");

        act.Should().Throw<IOException>().WithMessage(
            $"failed to acquire lock, seems there is another genimage/packimage/rmimage process {Environment.ProcessId} running on root image dir \"/install/netboot/x/rootimg\"");
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Acquire_IsTheFlockXcatTakes_SoOtherProcessesAreExcluded()
    {
        string path;
        using (var held = ImageLock.Acquire(_fs, _temp.Path, "/img/rootimg"))
        {
            path = held.Path;
            (await ExternalTool.RunAsync("flock", ["-n", path, "true"])).ExitCode.Should().Be(1);
        }

        (await ExternalTool.RunAsync("flock", ["-n", path, "true"])).ExitCode.Should().Be(0);
        using var again = ImageLock.Acquire(_fs, _temp.Path, "/img/rootimg");
    }
}
