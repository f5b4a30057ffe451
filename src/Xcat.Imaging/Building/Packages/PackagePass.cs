namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// One install pass of a pkglist: the entries up to a <c>#NEW_INSTALL_LIST#</c> line, installed by one package-manager
/// invocation, with the <c>#ENV:...#</c> assignments prefixed to that pass's commands, <c>-name</c> entries removed
/// before it and <c>--name</c> entries after it.
/// </summary>
/// <param name="Number">The pass number, from 1.</param>
public sealed record PackagePass(int Number)
{
    /// <summary>Gets the <c>#ENV:...#</c> texts of the pass, in order (each may hold several <c>NAME=value</c> words).</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Gets the entries installed by the pass, in list order, without duplicates.</summary>
    public IReadOnlyList<PackageName> Install { get; init; } = [];

    /// <summary>Gets the <c>-name</c> entries, removed before the pass installs.</summary>
    public IReadOnlyList<PackageName> PreRemove { get; init; } = [];

    /// <summary>Gets the <c>--name</c> entries, removed after the pass installs.</summary>
    public IReadOnlyList<PackageName> PostRemove { get; init; } = [];
}
