namespace Xcat.Imaging.Building.Packages;

/// <summary>A parsed pkglist or otherpkglist: its passes in order (at least one when it names any package).</summary>
/// <param name="Passes">The passes, numbered from 1.</param>
public sealed record PackageList(IReadOnlyList<PackagePass> Passes)
{
    /// <summary>Gets a list with no package.</summary>
    public static PackageList Empty { get; } = new([]);

    /// <summary>Gets whether no pass installs or removes anything.</summary>
    public bool IsEmpty => Passes.All(pass => pass.Install.Count == 0 && pass.PreRemove.Count == 0 && pass.PostRemove.Count == 0);
}
