using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Bundles.Tests.Manifest;

/// <summary>Manifests for the image kinds of spec §1.6.</summary>
internal static class ManifestSamples
{
    /// <summary>The model of spec §1.4's example: a netboot image exported with <c>-p</c> and two <c>-e</c>.</summary>
    public static BundleManifest Netboot()
    {
        var image = Some.NetbootImage();
        const string dir = "/install/netboot/rhels7.1/x86_64/compute";
        return new BundleManifest(image with
        {
            OsImage = image.OsImage with { SyncLists = ["/install/custom/netboot/compute.synclist"] },
            LinuxImage = image.LinuxImage with { AddKernelCommandLine = "quiet" },
        })
        {
            Kernel = $"{dir}/kernel",
            Ramdisk = $"{dir}/initrd-stateless.gz",
            RootImage = $"{dir}/rootimg.cpio.gz",
            PostScripts = "syslog,remoteshell,syncfiles,otherpkgs",
            PostBootScripts = "otherpkgs",
            Extras =
            [
                new("/install/postscripts/myscript1", "/install/postscripts"),
                new("/tmp/mydir", "/usr/mydir"),
            ],
        };
    }

    /// <summary>A statelite image, with the destinations of litefile.csv and rootimgtree.gz and our unpacked tree.</summary>
    public static BundleManifest Statelite()
    {
        const string dir = "/install/netboot/rhels9.4/x86_64/compute";
        var image = new ImageDefinition(
            new OsImage("rhels9.4-x86_64-statelite-compute")
            {
                ImageType = "linux", ProvMethod = "statelite", Profile = "compute", OsName = "Linux", OsVersion = "rhels9.4",
                OsArch = "x86_64", RootFsType = "nfs", Groups = ["lite", "compute"],
            },
            new LinuxImage { RootImageDirectory = dir, Permission = "755", PackageLists = ["/a.pkglist", "/b.pkglist"] });
        return new BundleManifest(image)
        {
            Kernel = $"{dir}/kernel",
            Ramdisk = $"{dir}/initrd-statelite.gz",
            LiteFile = $"{dir}/litefile.csv",
            RootImageTree = $"{dir}/rootimgtree.gz",
            UnpackedRootImage = $"{dir}/rootimg",
        };
    }

    /// <summary>A diskful image with a template, <c>media=required</c> and a kit with its repo and component.</summary>
    public static BundleManifest Install() => new(new ImageDefinition(
        new OsImage("rhels9.4-x86_64-install-compute")
        {
            ImageType = "linux", ProvMethod = "install", Profile = "compute", OsName = "Linux", OsVersion = "rhels9.4", OsArch = "x86_64",
            KitComponents = ["comp1-1.0-1-rhels-9-x86_64"],
        },
        new LinuxImage { Template = "/opt/xcat/share/xcat/install/rh/compute.rhels9.tmpl", PackageDirectories = ["/install/rhels9.4/x86_64"] }))
    {
        Media = "required",
        Kits = [new("mykit-1.0-1", Columns(("kitname", "mykit-1.0-1"), ("basename", "mykit"), ("kitdir", "/install/kits/mykit-1.0-1"), ("version", "1.0")))],
        KitRepos = [new("mykit-1.0-1-rhels-9-x86_64", Columns(("kitname", "mykit-1.0-1"), ("osbasename", "rhels"), ("osmajorversion", "9"), ("osarch", "x86_64")))],
        KitComponents = [new("comp1-1.0-1-rhels-9-x86_64", Columns(("kitname", "mykit-1.0-1"), ("basename", "comp1"), ("kitreponame", "mykit-1.0-1-rhels-9-x86_64")))],
    };

    /// <summary>What <see cref="Install"/> serializes to: <c>&lt;name&gt;</c> first in each kit element, the rest sorted.</summary>
    public const string InstallText =
        "<?xml version=\"1.0\"?>\n" +
        "<xcatimage>\n" +
        "  <kit>\n" +
        "    <name>mykit-1.0-1</name>\n" +
        "    <basename>mykit</basename>\n" +
        "    <kitdir>/install/kits/mykit-1.0-1</kitdir>\n" +
        "    <kitname>mykit-1.0-1</kitname>\n" +
        "    <version>1.0</version>\n" +
        "  </kit>\n" +
        "  <kitcomp>\n" +
        "    <name>comp1-1.0-1-rhels-9-x86_64</name>\n" +
        "    <basename>comp1</basename>\n" +
        "    <kitname>mykit-1.0-1</kitname>\n" +
        "    <kitreponame>mykit-1.0-1-rhels-9-x86_64</kitreponame>\n" +
        "  </kitcomp>\n" +
        "  <kitrepo>\n" +
        "    <name>mykit-1.0-1-rhels-9-x86_64</name>\n" +
        "    <kitname>mykit-1.0-1</kitname>\n" +
        "    <osarch>x86_64</osarch>\n" +
        "    <osbasename>rhels</osbasename>\n" +
        "    <osmajorversion>9</osmajorversion>\n" +
        "  </kitrepo>\n" +
        "  <linuximage>\n" +
        "    <imagename>rhels9.4-x86_64-install-compute</imagename>\n" +
        "    <pkgdir>/install/rhels9.4/x86_64</pkgdir>\n" +
        "    <template>/opt/xcat/share/xcat/install/rh/compute.rhels9.tmpl</template>\n" +
        "  </linuximage>\n" +
        "  <media>required</media>\n" +
        "  <osimage>\n" +
        "    <imagename>rhels9.4-x86_64-install-compute</imagename>\n" +
        "    <imagetype>linux</imagetype>\n" +
        "    <kitcomponents>comp1-1.0-1-rhels-9-x86_64</kitcomponents>\n" +
        "    <osarch>x86_64</osarch>\n" +
        "    <osname>Linux</osname>\n" +
        "    <osvers>rhels9.4</osvers>\n" +
        "    <profile>compute</profile>\n" +
        "    <provmethod>install</provmethod>\n" +
        "  </osimage>\n" +
        "</xcatimage>\n";

    /// <summary>An s390x netboot image, which ships raw image files instead of kernel, ramdisk and rootimg.</summary>
    public static BundleManifest S390x() => new(new ImageDefinition(
        new OsImage("sles15.5-s390x-netboot-compute")
        {
            ImageType = "linux", ProvMethod = "netboot", Profile = "compute", OsName = "Linux", OsVersion = "sles15.5", OsArch = "s390x",
        },
        new LinuxImage { RootImageDirectory = "/install/netboot/sles15.5/s390x/compute" }))
    {
        RawImageFiles = ["/install/raw/sles15.5-s390x-netboot-compute/0100.img", "/install/raw/sles15.5-s390x-netboot-compute/0101.img"],
    };

    /// <summary>A manifest carrying elements and columns a newer xCAT (or another tool) wrote.</summary>
    public static BundleManifest WithOtherElements() => Netboot() with
    {
        Image = Some.NetbootImage() with
        {
            OsImage = Some.NetbootImage().OsImage with { OtherAttributes = new Dictionary<string, string> { ["futurecolumn"] = "x" } },
        },
        OtherElements =
        [
            new("zzfuture", null, [new("b", "2"), new("a", "first a"), new("a", "second a")]),
            new("checksum", "sha256:0123"),
            new("aaa", null),
            new("vendor", null, [new("version", "1"), new("name", "acme")]),
        ],
    };

    public static TheoryData<string> Names => ["Netboot", "Statelite", "Install", "S390x", "WithOtherElements"];

    public static BundleManifest ByName(string name) => name switch
    {
        "Netboot" => Netboot(),
        "Statelite" => Statelite(),
        "Install" => Install(),
        "S390x" => S390x(),
        "WithOtherElements" => WithOtherElements(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Dictionary<string, string> Columns(params (string Name, string Value)[] columns)
        => columns.ToDictionary(static c => c.Name, static c => c.Value, StringComparer.Ordinal);
}
