namespace Xcat.Imaging.Definitions;

/// <summary>The columns of the <c>linuximage</c> table bound to <see cref="LinuxImage"/> (xCAT's Schema.pm), key excluded.</summary>
internal static class LinuxImageColumns
{
    public static IReadOnlyList<ColumnBinding<LinuxImage>> All { get; } =
    [
        ColumnBinding<LinuxImage>.Text("template", static r => r.Template, static (r, v) => r with { Template = v }),
        ColumnBinding<LinuxImage>.Text("boottarget", static r => r.BootTarget, static (r, v) => r with { BootTarget = v }),
        ColumnBinding<LinuxImage>.Text("addkcmdline", static r => r.AddKernelCommandLine, static (r, v) => r with { AddKernelCommandLine = v }),
        ColumnBinding<LinuxImage>.List("pkglist", static r => r.PackageLists, static (r, v) => r with { PackageLists = v }),
        ColumnBinding<LinuxImage>.List("pkgdir", static r => r.PackageDirectories, static (r, v) => r with { PackageDirectories = v }),
        ColumnBinding<LinuxImage>.List("otherpkglist", static r => r.OtherPackageLists, static (r, v) => r with { OtherPackageLists = v }),
        ColumnBinding<LinuxImage>.List("otherpkgdir", static r => r.OtherPackageDirectories, static (r, v) => r with { OtherPackageDirectories = v }),
        ColumnBinding<LinuxImage>.List("exlist", static r => r.ExcludeLists, static (r, v) => r with { ExcludeLists = v }),
        ColumnBinding<LinuxImage>.List("postinstall", static r => r.PostInstallScripts, static (r, v) => r with { PostInstallScripts = v }),
        ColumnBinding<LinuxImage>.Text("rootimgdir", static r => r.RootImageDirectory, static (r, v) => r with { RootImageDirectory = v }),
        ColumnBinding<LinuxImage>.Text("kerneldir", static r => r.KernelDirectory, static (r, v) => r with { KernelDirectory = v }),
        ColumnBinding<LinuxImage>.Text("nodebootif", static r => r.NodeBootInterface, static (r, v) => r with { NodeBootInterface = v }),
        ColumnBinding<LinuxImage>.Text("otherifce", static r => r.OtherInterfaces, static (r, v) => r with { OtherInterfaces = v }),
        ColumnBinding<LinuxImage>.List("netdrivers", static r => r.NetDrivers, static (r, v) => r with { NetDrivers = v }),
        ColumnBinding<LinuxImage>.Text("kernelver", static r => r.KernelVersion, static (r, v) => r with { KernelVersion = v }),
        ColumnBinding<LinuxImage>.Text("krpmver", static r => r.KernelRpmVersion, static (r, v) => r with { KernelRpmVersion = v }),
        ColumnBinding<LinuxImage>.Text("permission", static r => r.Permission, static (r, v) => r with { Permission = v }),
        ColumnBinding<LinuxImage>.Text("dump", static r => r.Dump, static (r, v) => r with { Dump = v }),
        ColumnBinding<LinuxImage>.Text("crashkernelsize", static r => r.CrashKernelSize, static (r, v) => r with { CrashKernelSize = v }),
        ColumnBinding<LinuxImage>.Text("partitionfile", static r => r.PartitionFile, static (r, v) => r with { PartitionFile = v }),
        ColumnBinding<LinuxImage>.List("driverupdatesrc", static r => r.DriverUpdateSources, static (r, v) => r with { DriverUpdateSources = v }),
        ColumnBinding<LinuxImage>.Text("comments", static r => r.Comments, static (r, v) => r with { Comments = v }),
        ColumnBinding<LinuxImage>.Text("disable", static r => r.Disable, static (r, v) => r with { Disable = v }),
    ];

    public static ColumnBinding<LinuxImage>? Find(string column) => All.FirstOrDefault(b => b.Column == column);
}
