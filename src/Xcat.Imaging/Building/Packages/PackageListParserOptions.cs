namespace Xcat.Imaging.Building.Packages;

/// <summary>How <see cref="PackageListParser"/> reads a pkglist.</summary>
public sealed class PackageListParserOptions
{
    /// <summary>
    /// Gets whether <c>-name</c> and <c>--name</c> entries become removals. genimage honours them only for the
    /// otherpkglist (xCAT's <c>netboot/rh/genimage</c>); for the OS pkglist they are dropped.
    /// </summary>
    public bool HonourRemovals { get; init; }

    /// <summary>
    /// Gets the variables substituted for <c>$VAR</c> and <c>${VAR}</c> in <c>#INCLUDE:...#</c> paths, or
    /// <see langword="null"/> for the process environment (xCAT's <c>imgutils.pm::include_file</c> uses <c>%ENV</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
