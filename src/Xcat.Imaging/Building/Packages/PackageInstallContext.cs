using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Packages;

/// <summary>What an <see cref="IPackageInstaller"/> works with: the root being built and the image's lists and repositories.</summary>
public sealed class PackageInstallContext
{
    /// <summary>Gets the absolute path of the root being built (the future <c>rootimg/</c>).</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Gets the image's osvers, e.g. <c>rhels9.4</c>, <c>sles15.5</c>, <c>debian12</c>, <c>ubuntu22.04</c>.</summary>
    public required string OsVersion { get; init; }

    /// <summary>Gets the image's osarch, e.g. <c>x86_64</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Gets the image's profile, e.g. <c>compute</c>.</summary>
    public string Profile { get; init; } = "compute";

    /// <summary>Gets the pkgdir entries: local directories, <c>http(s)://</c>/<c>ftp://</c> URLs, or for Debian and Ubuntu
    /// <c>http(s)://mirror suite components</c>.</summary>
    public IReadOnlyList<string> PackageDirectories { get; init; } = [];

    /// <summary>Gets the otherpkgdir entries: at most one local directory, plus URLs.</summary>
    public IReadOnlyList<string> OtherPackageDirectories { get; init; } = [];

    /// <summary>Gets the parsed pkglist.</summary>
    public PackageList Packages { get; init; } = PackageList.Empty;

    /// <summary>Gets the parsed otherpkglist.</summary>
    public PackageList OtherPackages { get; init; } = PackageList.Empty;

    /// <summary>Gets a directory outside the root for the tool's package cache, so that packages are neither packed
    /// nor downloaded twice; shared by the builds of one host.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Gets the image's environvar assignments, exported to the package commands.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets whether otherpkgs are not updated after they are installed (<c>--noupdate</c>).</summary>
    public bool NoUpdate { get; init; }

    /// <summary>Gets the kernel version asked for (<c>-k</c>, kernelver), or <see langword="null"/>.</summary>
    public string? KernelVersion { get; init; }

    /// <summary>Gets the runner every command and configuration file goes through.</summary>
    public required IBuildCommandRunner Runner { get; init; }

    /// <summary>Gets the file system the lists and directories are read from.</summary>
    public IFileSystem FileSystem { get; init; } = new FileSystem();

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
