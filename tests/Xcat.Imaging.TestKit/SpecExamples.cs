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
}
