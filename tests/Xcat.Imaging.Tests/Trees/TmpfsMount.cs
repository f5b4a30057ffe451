using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Trees;

/// <summary>A tmpfs mounted on an existing directory for the life of a test (root only); unmounted on dispose.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private readonly string _path;

    public TmpfsMount(string path)
    {
        _path = path;
        HostCommand.Run("mount", "-t", "tmpfs", "-o", "size=1m", "none", path);
    }

    public void Dispose() => HostCommand.TryRun("umount", "-l", _path);
}
