namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// A <c>provmethod</c> classified as imgexport and imgimport classify it: by substring, as xCAT's regexes do
/// (xCAT's imgport.pm, get_image_info and verify_manifest), so <c>raw</c> and <c>sysclone</c> count too. Core's
/// <see cref="Definitions.ProvisioningMethod"/> matches whole names and has no <c>raw</c>.
/// </summary>
internal readonly record struct ImgportMethod(string Name)
{
    private static readonly string[] s_supported = ["install", "netboot", "statelite", "raw", "sysclone"];

    public bool IsInstall => Has("install");

    public bool IsNetboot => Has("netboot");

    public bool IsStatelite => Has("statelite");

    public bool IsRawOrSysClone => Has("raw") || IsSysClone;

    public bool IsSysClone => Has("sysclone");

    /// <summary>Whether the name holds one of the methods imgexport and imgimport handle (sysclone only on s390x, which each checks with its own message).</summary>
    public bool IsKnown => s_supported.Any(Has);

    /// <summary>s390x keeps raw and sysclone images as <c>*.img</c> files in <c>&lt;installdir&gt;/&lt;provmethod&gt;/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c>.</summary>
    public string ImageFileDirectory(string installDirectory, string osVersion, string osArch, string profile) =>
        $"{installDirectory}/{Name}/{osVersion}/{osArch}/{profile}";

    public static bool IsS390x(string osArch) => osArch.Contains("s390x", StringComparison.Ordinal);

    /// <summary>ESXi images carry none of the netboot or raw files (xCAT's imgport.pm, get_files and verify_manifest).</summary>
    public static bool IsEsx(string osVersion) => osVersion.Contains("esx", StringComparison.Ordinal);

    private bool Has(string method) => Name.Contains(method, StringComparison.Ordinal);
}
