namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// Installs an image's packages into its root with the distribution's real tool (debootstrap and apt-get, dnf or yum,
/// zypper): one implementation per package manager, chosen by the image's osvers.
/// </summary>
public interface IPackageInstaller
{
    /// <summary>Gets the installer's name as logs and plans show it (<c>apt</c>, <c>dnf</c>, <c>zypper</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Creates the root when the tool does (debootstrap, <c>--installroot</c>) and installs the pkglist, then the
    /// otherpkglist pass by pass, every command through <see cref="PackageInstallContext.Runner"/>.
    /// </summary>
    /// <param name="context">The image root, lists, repositories, cache and runner.</param>
    /// <param name="cancellationToken">Cancels the installation.</param>
    /// <returns>A task that completes when every pass is installed.</returns>
    /// <exception cref="InvalidOperationException">A tool failed; the message names it and quotes its last error lines.</exception>
    /// <exception cref="ArgumentException">A repository (pkgdir, otherpkgdir) is unusable; the message names it.</exception>
    Task InstallAsync(PackageInstallContext context, CancellationToken cancellationToken = default);
}
