using System.IO.Abstractions;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>Picks the initrd generator an image root can run, as genimage's "dracut mode" test does.</summary>
public static class InitrdGeneratorSelector
{
    /// <summary>Returns dracut's generator when the root has <c>usr/lib/dracut</c> or <c>usr/share/dracut</c>, else
    /// initramfs-tools' when it has <c>usr/sbin/mkinitramfs</c>.</summary>
    /// <param name="rootDirectory">The image root.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="InvalidOperationException">The root has neither tool.</exception>
    public static IInitrdGenerator ForRoot(string rootDirectory, IFileSystem? fileSystem = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        var fs = fileSystem ?? new FileSystem();
        if (fs.Directory.Exists(fs.Path.Combine(rootDirectory, "usr", "lib", "dracut"))
            || fs.Directory.Exists(fs.Path.Combine(rootDirectory, "usr", "share", "dracut")))
        {
            return new DracutInitrdGenerator();
        }

        if (fs.File.Exists(fs.Path.Combine(rootDirectory, "usr", "sbin", "mkinitramfs")))
        {
            return new InitramfsToolsInitrdGenerator();
        }

        throw new InvalidOperationException(
            $"The image {rootDirectory} has neither dracut (usr/lib/dracut, usr/share/dracut) nor initramfs-tools (usr/sbin/mkinitramfs): add dracut-core or initramfs-tools-core to its pkglist.");
    }
}
