using Xcat.Imaging.Building.Execution;
using Xcat.Imaging.Building.Packages;

namespace Xcat.Imaging.Building;

/// <summary>Options for <see cref="RootImageBuilder"/>: genimage's command-line options that are not the image's attributes.</summary>
public sealed class RootImageBuildOptions
{
    /// <summary>The default package cache directory, outside every rootimg.</summary>
    public const string DefaultCacheDirectory = "/var/cache/xcatimg/packages";

    /// <summary>Gets or sets whether nothing is run or changed: the commands and files are only planned (<c>--dryrun</c>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets whether only the kernel and initrd are made again from the existing rootimg (<c>--onlyinitrd</c>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool OnlyInitrd { get; set; }

    /// <summary>Gets or sets the initrd's network drivers (<c>-n</c>), written back to netdrivers; <see langword="null"/> for the image's.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyList<string>? NetDrivers { get; set; }

    /// <summary>Gets or sets the kernel version (<c>-k</c>), written back to kernelver; <see langword="null"/> for the image's, else the newest in the image.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? KernelVersion { get; set; }

    /// <summary>Gets or sets the node's boot interface (<c>-i</c>), written back to nodebootif.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? NodeBootInterface { get; set; }

    /// <summary>Gets or sets the other interfaces (<c>-r</c>), written back to otherifce.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? OtherInterfaces { get; set; }

    /// <summary>Gets or sets whether installed otherpkgs are not updated (<c>--noupdate</c>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool NoUpdate { get; set; }

    /// <summary>Gets or sets which tool makes the initrd: dracut when the image has it, else initramfs-tools, unless chosen.</summary>
    /// <value>The default is <see cref="InitrdTool.Automatic"/>.</value>
    public InitrdTool InitrdTool { get; set; } = InitrdTool.Automatic;

    /// <summary>Gets or sets the directory of the per-image locks shared with packimage (xCAT's <c>/var/lock/xcat</c>).</summary>
    /// <value>The default is <c>/var/lock/xcat</c>.</value>
    public string LockDirectory { get; set; } = "/var/lock/xcat";

    /// <summary>Gets or sets the package cache, kept outside rootimg so that packages are neither packed nor downloaded twice.</summary>
    /// <value>The default is <see cref="DefaultCacheDirectory"/>.</value>
    public string CacheDirectory { get; set; } = DefaultCacheDirectory;

    /// <summary>Gets or sets whether a rootimgdir outside the site's install directory is accepted.</summary>
    /// <value>The default is <see langword="false"/>: such an image is refused, as a typo there would build anywhere.</value>
    public bool AllowOutsideInstallDirectory { get; set; }

    /// <summary>Gets or sets the runner of the build's commands; <see langword="null"/> for the real one (or, with <see cref="DryRun"/>, a recording one).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IBuildCommandRunner? Runner { get; set; }

    /// <summary>Gets or sets the package installer; <see langword="null"/> to choose by the image's osvers (apt, dnf, zypper).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IPackageInstaller? Installer { get; set; }
}
