namespace Xcat.Imaging.Building.Packages;

/// <summary>
/// One entry of a pkglist (xCAT's <c>imgutils.pm::get_package_names</c>): a package, an <c>@group</c> or an
/// <c>@module:stream</c>, from the repository of <see cref="Repository"/> (<c>.</c> for the main ones, else the
/// otherpkgdir subdirectory written as <c>subdir/name</c>).
/// </summary>
/// <param name="Name">The name as written, <c>@</c> included for groups and modules.</param>
/// <param name="Repository"><c>.</c>, or the subdirectory of otherpkgdir that holds the package's repository.</param>
public sealed record PackageName(string Name, string Repository = ".")
{
    /// <summary>The key of entries without a subdirectory.</summary>
    public const string MainRepository = ".";

    /// <summary>Gets whether the entry is a group or a module (<c>@...</c>).</summary>
    public bool IsGroup => Name.StartsWith('@');

    /// <summary>Gets whether the entry is a module stream (<c>@module:stream</c>).</summary>
    public bool IsModule => IsGroup && Name.Contains(':', StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Repository == MainRepository ? Name : Repository + "/" + Name;
}
