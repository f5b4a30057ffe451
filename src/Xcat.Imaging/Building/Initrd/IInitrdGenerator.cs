namespace Xcat.Imaging.Building.Initrd;

/// <summary>
/// Builds a diskless image's <c>initrd-stateless.gz</c> with the image's own initramfs tool, run chrooted into the root:
/// dracut (<see cref="DracutInitrdGenerator"/>) or Debian's initramfs-tools (<see cref="InitramfsToolsInitrdGenerator"/>);
/// <see cref="InitrdGeneratorSelector"/> picks the one the root has.
/// </summary>
/// <remarks>
/// The initrd brings the boot interface up by DHCP (<c>BOOTIF=</c> picks it), streams the archive named by
/// <c>imgurl=</c> into a tmpfs (checked against <c>&lt;imgurl&gt;.sha256</c> when the server has one) and switches
/// to it: the contract of xCAT's netboot initrd (xCAT-server/share/xcat/netboot/rh/dracut_033/xcatroot).
/// </remarks>
public interface IInitrdGenerator
{
    /// <summary>Gets the generator's name as logs and plans show it (<c>dracut</c>, <c>initramfs-tools</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Installs the boot scripts and the network driver list into the root, runs the tool chrooted, and moves its
    /// output to <c>&lt;rootimgdir&gt;/initrd-stateless.gz</c> atomically (a dry run only records the steps).
    /// </summary>
    /// <param name="context">The root, the kernel version, the drivers and the runner.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>The path of the initrd (in a dry run, the path it would have).</returns>
    /// <exception cref="NotSupportedException"><see cref="InitrdBuildContext.Kind"/> is <see cref="InitrdKind.Statelite"/>.</exception>
    /// <exception cref="InvalidOperationException">The tool failed, or the root has no modules for the kernel version.</exception>
    Task<string> GenerateAsync(InitrdBuildContext context, CancellationToken cancellationToken = default);
}
