using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.TestKit;

/// <summary>Deterministic test data.</summary>
public static class Some
{
    /// <summary>The spec §6.5 example image, rhels7.1 netboot compute.</summary>
    public static ImageDefinition NetbootImage(string name = "rhels7.1-x86_64-netboot-compute") => new(
        new OsImage(name)
        {
            ImageType = "linux",
            ProvMethod = "netboot",
            Profile = "compute",
            OsName = "Linux",
            OsVersion = "rhels7.1",
            OsArch = "x86_64",
            OsDistroName = "rhels7.1-x86_64",
        },
        new LinuxImage
        {
            ExcludeLists = ["/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.exlist"],
            OtherPackageDirectories = ["/install/post/otherpkgs/rhels7.1/x86_64"],
            PackageDirectories = ["/install/rhels7.1/x86_64"],
            PackageLists = ["/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist"],
            PostInstallScripts = ["/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.postinstall"],
            RootImageDirectory = "/install/netboot/rhels7.1/x86_64/compute",
        });
}
