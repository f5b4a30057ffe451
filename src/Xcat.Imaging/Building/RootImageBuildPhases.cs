namespace Xcat.Imaging.Building;

/// <summary>
/// The phases of an image build, in order, as <see cref="ImagingProgress.CurrentPath"/> names them while
/// <see cref="ImagingProgress.Stage"/> is <see cref="ImagingStages.Build"/> (<see cref="ImagingProgress.ItemsDone"/>
/// counts the phases done).
/// </summary>
public static class RootImageBuildPhases
{
    /// <summary>Creating the root and installing the pkglist and otherpkglist.</summary>
    public const string Packages = "packages";

    /// <summary>Finding the kernel and copying it to <c>&lt;rootimgdir&gt;/kernel</c>.</summary>
    public const string Kernel = "kernel";

    /// <summary>Running the postinstall scripts.</summary>
    public const string PostInstall = "postinstall";

    /// <summary>Making <c>initrd-stateless.gz</c>.</summary>
    public const string Initrd = "initrd";

    /// <summary>Putting the new tree, kernel and initrd in place and copying them to the tftp directory.</summary>
    public const string Commit = "commit";

    /// <summary>Gets every phase in order.</summary>
    public static IReadOnlyList<string> All { get; } = [Packages, Kernel, PostInstall, Initrd, Commit];
}
