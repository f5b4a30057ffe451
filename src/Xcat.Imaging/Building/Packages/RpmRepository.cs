namespace Xcat.Imaging.Building.Packages;

/// <summary>One repository handed to dnf, yum or zypper: a section of the generated configuration.</summary>
/// <param name="Id">The section name and repo id, e.g. <c>rhels9.4-x86_64-0</c> or <c>otherpkgs1</c>.</param>
/// <param name="BaseUrl">The base URL: <c>file://&lt;dir&gt;</c> for a local directory, else the pkgdir or otherpkgdir URL.</param>
public sealed record RpmRepository(string Id, string BaseUrl)
{
    /// <summary>Gets whether the repository has <c>repodata/repomd.xml</c>; a local otherpkgdir subdirectory without it is a
    /// plain directory of RPMs, which zypper reads as <c>type=plaindir</c> (sles/genimage's <c>ar -t Plaindir</c>) and dnf cannot.</summary>
    public bool HasMetadata { get; init; } = true;
}
