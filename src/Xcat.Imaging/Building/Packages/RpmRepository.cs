namespace Xcat.Imaging.Building.Packages;

/// <summary>One repository handed to dnf, yum or zypper: a section of the generated configuration.</summary>
/// <param name="Id">The section name and repo id, e.g. <c>rhels9.4-x86_64-0</c> or <c>otherpkgs1</c>.</param>
/// <param name="BaseUrl">The base URL: <c>file://&lt;dir&gt;</c> for a local directory, else the pkgdir or otherpkgdir URL.</param>
public sealed record RpmRepository(string Id, string BaseUrl)
{
    /// <summary>The type of a repository with <c>repodata/</c>.</summary>
    public const string RpmMetadata = "rpm-md";

    /// <summary>The type of a directory of RPMs without metadata (sles/genimage's <c>ar -t Plaindir</c> for otherpkgdir).</summary>
    public const string PlainDirectory = "plaindir";

    /// <summary>Gets the zypper repository type: <see cref="RpmMetadata"/>, <see cref="PlainDirectory"/>, or
    /// <see langword="null"/> to let zypper detect it (SUSE media in the susetags format); dnf reads only rpm-md.</summary>
    public string? Type { get; init; } = RpmMetadata;
}
