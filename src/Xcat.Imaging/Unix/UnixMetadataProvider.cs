using System.IO.Abstractions;

namespace Xcat.Imaging.Unix;

/// <summary>Picks the <see cref="IUnixMetadataWriter"/> that fits a file system.</summary>
public static class UnixMetadataProvider
{
    private static readonly Lazy<IUnixMetadataWriter> s_default = new(() => For(new FileSystem()));

    /// <summary>
    /// Gets the provider for the real file system: <see cref="LinuxUnixMetadataProvider"/> on Linux, otherwise a
    /// <see cref="FileSystemUnixMetadataProvider"/> over <see cref="FileSystem"/>.
    /// </summary>
    public static IUnixMetadataWriter Default => s_default.Value;

    /// <summary>
    /// Gets the provider for <paramref name="fileSystem"/>: <see cref="LinuxUnixMetadataProvider"/> on Linux when
    /// <paramref name="fileSystem"/> is the real <see cref="FileSystem"/>, otherwise a
    /// <see cref="FileSystemUnixMetadataProvider"/> over it (owner 0:0).
    /// </summary>
    /// <param name="fileSystem">The file system the paths belong to.</param>
    /// <returns>The provider.</returns>
    public static IUnixMetadataWriter For(IFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return OperatingSystem.IsLinux() && fileSystem is FileSystem
            ? LinuxUnixMetadataProvider.Instance
            : new FileSystemUnixMetadataProvider(fileSystem);
    }
}
