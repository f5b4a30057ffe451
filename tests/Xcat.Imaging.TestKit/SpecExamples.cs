namespace Xcat.Imaging.TestKit;

/// <summary>Outputs quoted in xcat-behaviour.md, which ours must match byte for byte.</summary>
public static class SpecExamples
{
    /// <summary>§6.5: <c>lsdef -t osimage -l</c> of <see cref="Some.NetbootImage"/>.</summary>
    public const string LsdefLong =
        "Object name: rhels7.1-x86_64-netboot-compute\n" +
        "    exlist=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.exlist\n" +
        "    imagetype=linux\n" +
        "    osarch=x86_64\n" +
        "    osdistroname=rhels7.1-x86_64\n" +
        "    osname=Linux\n" +
        "    osvers=rhels7.1\n" +
        "    otherpkgdir=/install/post/otherpkgs/rhels7.1/x86_64\n" +
        "    pkgdir=/install/rhels7.1/x86_64\n" +
        "    pkglist=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist\n" +
        "    postinstall=/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.postinstall\n" +
        "    profile=compute\n" +
        "    provmethod=netboot\n" +
        "    rootimgdir=/install/netboot/rhels7.1/x86_64/compute\n";

    /// <summary>§1.4: the manifest.xml of <see cref="Some.NetbootImage"/> exported with <c>-p</c> and two <c>-e</c>.</summary>
    public const string ManifestNetboot =
        "<?xml version=\"1.0\"?>\n" +
        "<xcatimage>\n" +
        "  <extra>\n" +
        "    <dest>/install/postscripts</dest>\n" +
        "    <src>/install/postscripts/myscript1</src>\n" +
        "  </extra>\n" +
        "  <extra>\n" +
        "    <dest>/usr/mydir</dest>\n" +
        "    <src>/tmp/mydir</src>\n" +
        "  </extra>\n" +
        "  <kernel>/install/netboot/rhels7.1/x86_64/compute/kernel</kernel>\n" +
        "  <linuximage>\n" +
        "    <addkcmdline>quiet</addkcmdline>\n" +
        "    <exlist>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.exlist</exlist>\n" +
        "    <imagename>rhels7.1-x86_64-netboot-compute</imagename>\n" +
        "    <otherpkgdir>/install/post/otherpkgs/rhels7.1/x86_64</otherpkgdir>\n" +
        "    <pkgdir>/install/rhels7.1/x86_64</pkgdir>\n" +
        "    <pkglist>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.pkglist</pkglist>\n" +
        "    <postinstall>/opt/xcat/share/xcat/netboot/rh/compute.rhels7.x86_64.postinstall</postinstall>\n" +
        "    <rootimgdir>/install/netboot/rhels7.1/x86_64/compute</rootimgdir>\n" +
        "  </linuximage>\n" +
        "  <osimage>\n" +
        "    <imagename>rhels7.1-x86_64-netboot-compute</imagename>\n" +
        "    <imagetype>linux</imagetype>\n" +
        "    <osarch>x86_64</osarch>\n" +
        "    <osdistroname>rhels7.1-x86_64</osdistroname>\n" +
        "    <osname>Linux</osname>\n" +
        "    <osvers>rhels7.1</osvers>\n" +
        "    <profile>compute</profile>\n" +
        "    <provmethod>netboot</provmethod>\n" +
        "    <synclists>/install/custom/netboot/compute.synclist</synclists>\n" +
        "  </osimage>\n" +
        "  <postbootscripts>otherpkgs</postbootscripts>\n" +
        "  <postscripts>syslog,remoteshell,syncfiles,otherpkgs</postscripts>\n" +
        "  <ramdisk>/install/netboot/rhels7.1/x86_64/compute/initrd-stateless.gz</ramdisk>\n" +
        "  <rootimg>/install/netboot/rhels7.1/x86_64/compute/rootimg.cpio.gz</rootimg>\n" +
        "</xcatimage>\n";
}
