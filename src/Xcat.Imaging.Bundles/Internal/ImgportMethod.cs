using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// A <c>provmethod</c> as imgexport and imgimport use it, over core's one classification (<see cref="ProvisioningMethodNames"/>):
/// they handle install, netboot, statelite, raw and sysclone. xCAT's imgport.pm tests the value with unanchored regexes
/// (<c>/netboot/</c>), so <c>mynetboot2</c> would pass as netboot; we match whole names, the only values xCAT's schema allows.
/// </summary>
internal readonly record struct ImgportMethod(string Name)
{
    /// <summary>Gets the parsed method, or <see langword="null"/> when the name is no provisioning method.</summary>
    public ProvisioningMethod? Method => ProvisioningMethodNames.TryParse(Name, out var method) ? method : null;

    public bool IsInstall => Method == ProvisioningMethod.Install;

    public bool IsNetboot => Method == ProvisioningMethod.Netboot;

    public bool IsStatelite => Method == ProvisioningMethod.Statelite;

    public bool IsRawOrSysClone => Method is ProvisioningMethod.Raw or ProvisioningMethod.SysClone;

    public bool IsSysClone => Method == ProvisioningMethod.SysClone;

    /// <summary>Whether imgexport and imgimport handle the method (sysclone only on s390x, which each checks with its own message).</summary>
    public bool IsKnown => Method is ProvisioningMethod.Install or ProvisioningMethod.Netboot or ProvisioningMethod.Statelite
        or ProvisioningMethod.Raw or ProvisioningMethod.SysClone;

    /// <summary>s390x keeps raw and sysclone images as <c>*.img</c> files in <c>&lt;installdir&gt;/&lt;provmethod&gt;/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c>.</summary>
    public string ImageFileDirectory(string installDirectory, string osVersion, string osArch, string profile) =>
        $"{installDirectory}/{Name}/{osVersion}/{osArch}/{profile}";

    public static bool IsS390x(string osArch) => osArch.Contains("s390x", StringComparison.Ordinal);

    /// <summary>ESXi images carry none of the netboot or raw files (xCAT's imgport.pm, get_files and verify_manifest).</summary>
    public static bool IsEsx(string osVersion) => osVersion.Contains("esx", StringComparison.Ordinal);
}
