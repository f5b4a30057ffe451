using System.IO.Abstractions;

namespace Xcat.Imaging.Building.Layout;

/// <summary>
/// Finds the kernel of an image root as genimage does (xCAT's <c>netboot/rh/genimage</c>): the version from
/// <c>boot/vmlinuz-*</c> or else <c>lib/modules/*</c>, and the kernel file of a version.
/// </summary>
/// <param name="fileSystem">The file system the root is read from; the real one when <see langword="null"/>.</param>
public sealed class KernelLocator(IFileSystem? fileSystem = null)
{
    private static readonly string[] KernelFiles = ["boot/vmlinux-{0}", "boot/vmlinuz-{0}", "boot/image-{0}", "lib/modules/{0}/vmlinuz"];

    private readonly IFileSystem _fileSystem = fileSystem ?? new FileSystem();

    /// <summary>
    /// Gets the newest kernel version of the root: the last <c>boot/vmlinuz-*</c> name in ordinal order, without its
    /// <c>vmlinuz-</c> prefix, else the last <c>lib/modules/*</c> entry. Debian's <c>/vmlinuz</c> link at the top of the
    /// root does not count.
    /// </summary>
    /// <param name="rootDirectory">The image root (<c>rootimg/</c>).</param>
    /// <returns>The version, e.g. <c>5.14.0-427.13.1.el9_4.x86_64</c> or <c>6.1.0-28-amd64</c>, or <see langword="null"/>
    /// when the root holds no kernel (xCAT then falls back to the host's <c>uname -r</c>, the caller's choice).</returns>
    public string? FindVersion(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        const string Prefix = "vmlinuz-";
        var kernels = Entries(rootDirectory, "boot", Prefix + "*").Select(name => name[Prefix.Length..]).Where(v => v.Length > 0).ToList();
        if (kernels.Count == 0)
        {
            kernels = Entries(rootDirectory, "lib/modules", "*");
        }

        return kernels.Count == 0 ? null : kernels.Max(StringComparer.Ordinal);
    }

    /// <summary>Gets the kernel file of <paramref name="version"/>: the first existing of <c>boot/vmlinux-</c>,
    /// <c>boot/vmlinuz-</c>, <c>boot/image-</c> and <c>lib/modules/&lt;version&gt;/vmlinuz</c>.</summary>
    /// <param name="rootDirectory">The image root (<c>rootimg/</c>).</param>
    /// <param name="version">The kernel version.</param>
    /// <returns>The file's path under <paramref name="rootDirectory"/>.</returns>
    /// <exception cref="FileNotFoundException">No such file; the message is genimage's
    /// <c>couldn't find the kernel file matched &lt;version&gt; in &lt;root&gt;/boot</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="version"/> is empty or not a single path component.</exception>
    public string FindKernelFile(string rootDirectory, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentException.ThrowIfNullOrEmpty(version);
        if (version.Contains('/', StringComparison.Ordinal) || version is "." or "..")
        {
            throw new ArgumentException($"The kernel version '{version}' must be a single path component.", nameof(version));
        }

        foreach (var pattern in KernelFiles)
        {
            var path = _fileSystem.Path.Combine(rootDirectory, string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, version));
            if (_fileSystem.File.Exists(path))
            {
                return path;
            }
        }

        var root = rootDirectory.TrimEnd('/');
        throw new FileNotFoundException($"couldn't find the kernel file matched {version} in {root}/boot");
    }

    private List<string> Entries(string rootDirectory, string directory, string pattern)
    {
        var path = _fileSystem.Path.Combine(rootDirectory, directory);
        if (!_fileSystem.Directory.Exists(path))
        {
            return [];
        }

        // A shell glob: hidden names (Fedora's .vmlinuz-*.hmac) never match "*".
        return [.. _fileSystem.Directory.EnumerateFileSystemEntries(path, pattern)
            .Select(entry => _fileSystem.Path.GetFileName(entry))
            .Where(name => !name.StartsWith('.'))];
    }
}
