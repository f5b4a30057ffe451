namespace Xcat.Imaging.Definitions;

/// <summary>
/// A row of xCAT's <c>linuximage</c> table (xCAT's Schema.pm) without its key, which is the owning image's name. Comma-list
/// columns are lists; unknown columns are kept in <see cref="OtherAttributes"/>.
/// </summary>
public sealed record LinuxImage
{
    /// <summary>Gets an empty row.</summary>
    public static LinuxImage Empty { get; } = new();

    /// <summary>Gets the kickstart or autoyast template of an install image (<c>template</c>).</summary>
    public string? Template { get; init; }

    /// <summary>Gets the boot target (<c>boottarget</c>).</summary>
    public string? BootTarget { get; init; }

    /// <summary>Gets extra kernel command-line arguments (<c>addkcmdline</c>).</summary>
    public string? AddKernelCommandLine { get; init; }

    /// <summary>Gets the OS package list files (<c>pkglist</c>).</summary>
    public IReadOnlyList<string> PackageLists { get; init; } = [];

    /// <summary>Gets the OS package repositories (<c>pkgdir</c>).</summary>
    public IReadOnlyList<string> PackageDirectories { get; init; } = [];

    /// <summary>Gets the other-package list files (<c>otherpkglist</c>).</summary>
    public IReadOnlyList<string> OtherPackageLists { get; init; } = [];

    /// <summary>Gets the other-package repositories (<c>otherpkgdir</c>).</summary>
    public IReadOnlyList<string> OtherPackageDirectories { get; init; } = [];

    /// <summary>Gets the exclusion list files that packimage reads (<c>exlist</c>).</summary>
    public IReadOnlyList<string> ExcludeLists { get; init; } = [];

    /// <summary>Gets the postinstall scripts that genimage runs (<c>postinstall</c>).</summary>
    public IReadOnlyList<string> PostInstallScripts { get; init; } = [];

    /// <summary>Gets the directory holding <c>rootimg/</c> and the packed archives (<c>rootimgdir</c>).</summary>
    public string? RootImageDirectory { get; init; }

    /// <summary>Gets the directory of the kernel (<c>kerneldir</c>).</summary>
    public string? KernelDirectory { get; init; }

    /// <summary>Gets the network interface the node boots from (<c>nodebootif</c>).</summary>
    public string? NodeBootInterface { get; init; }

    /// <summary>Gets the other network interfaces (<c>otherifce</c>).</summary>
    public string? OtherInterfaces { get; init; }

    /// <summary>Gets the network drivers put into the initrd (<c>netdrivers</c>).</summary>
    public IReadOnlyList<string> NetDrivers { get; init; } = [];

    /// <summary>Gets the kernel version (<c>kernelver</c>).</summary>
    public string? KernelVersion { get; init; }

    /// <summary>Gets the kernel RPM version (<c>krpmver</c>).</summary>
    public string? KernelRpmVersion { get; init; }

    /// <summary>Gets the mount permission of the statelite <c>/.statelite</c> directory, such as <c>755</c> (<c>permission</c>).</summary>
    public string? Permission { get; init; }

    /// <summary>Gets the kdump target (<c>dump</c>).</summary>
    public string? Dump { get; init; }

    /// <summary>Gets the crash kernel size (<c>crashkernelsize</c>).</summary>
    public string? CrashKernelSize { get; init; }

    /// <summary>Gets the partition file (<c>partitionfile</c>).</summary>
    public string? PartitionFile { get; init; }

    /// <summary>Gets the driver update sources (<c>driverupdatesrc</c>).</summary>
    public IReadOnlyList<string> DriverUpdateSources { get; init; } = [];

    /// <summary>Gets the row's comments (<c>comments</c>; the object attribute <c>usercomment</c>).</summary>
    public string? Comments { get; init; }

    /// <summary>Gets the row's <c>disable</c> column.</summary>
    public string? Disable { get; init; }

    /// <summary>Gets columns this version does not model, by name; they round-trip unchanged.</summary>
    public IReadOnlyDictionary<string, string> OtherAttributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets whether every column is empty.</summary>
    public bool IsEmpty => LinuxImageColumns.All.All(binding => binding.Get(this) is null) && OtherAttributes.Count == 0;
}
