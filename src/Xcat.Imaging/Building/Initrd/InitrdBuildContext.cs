using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Building.Execution;

namespace Xcat.Imaging.Building.Initrd;

/// <summary>What an <see cref="IInitrdGenerator"/> works with: the image root, its kernel and the drivers it must carry.</summary>
public sealed class InitrdBuildContext
{
    /// <summary>Gets the absolute path of the image root (<c>&lt;rootimgdir&gt;/rootimg</c>).</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Gets the absolute path of the image's <c>rootimgdir</c>, where <c>initrd-stateless.gz</c> is written.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Gets the kernel version the initrd is built for, as under the root's <c>lib/modules/</c>.</summary>
    public required string KernelVersion { get; init; }

    /// <summary>Gets the drivers asked for (genimage <c>-n</c>, the netdrivers attribute), with or without <c>.ko</c>;
    /// the architecture's defaults are added (see <see cref="NetworkDriverList"/>).</summary>
    public IReadOnlyList<string> NetworkDrivers { get; init; } = [];

    /// <summary>Gets the image's osarch, e.g. <c>x86_64</c>, which picks the default drivers.</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary>Gets the size limit of the node's tmpfs root baked into the initrd (genimage <c>-l</c>, e.g. <c>4g</c>),
    /// or <see langword="null"/>; <c>rootlimit=</c> on the kernel command line wins.</summary>
    public string? RootLimit { get; init; }

    /// <summary>Gets which initrd is asked for; only <see cref="InitrdKind.Stateless"/> is built.</summary>
    public InitrdKind Kind { get; init; } = InitrdKind.Stateless;

    /// <summary>Gets the runner every command and configuration file goes through.</summary>
    public required IBuildCommandRunner Runner { get; init; }

    /// <summary>Gets the file system the root is read from and the initrd moved on.</summary>
    public IFileSystem FileSystem { get; init; } = new FileSystem();

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
