namespace Xcat.Imaging.Definitions;

/// <summary>
/// A row of xCAT's <c>osimage</c> table (xCAT's Schema.pm), one typed property per column. Comma-list columns are lists;
/// columns this version does not know are kept in <see cref="OtherAttributes"/> so that nothing is lost on a round trip.
/// </summary>
/// <remarks>Record equality compares the lists by reference; compare <see cref="ImageDefinition.ToAttributes"/> instead.</remarks>
/// <param name="ImageName">The image name (<c>imagename</c>, the table key).</param>
public sealed record OsImage(string ImageName)
{
    /// <summary>Gets the groups the image belongs to (<c>groups</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets the profile, such as <c>compute</c> (<c>profile</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>Gets the image type: <c>linux</c>, <c>windows</c> or <c>NIM</c> (<c>imagetype</c>).</summary>
    public string? ImageType { get; init; }

    /// <summary>Gets the free-text description (<c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Gets the provisioning method as stored, such as <c>netboot</c> (<c>provmethod</c>); see <see cref="Method"/>.</summary>
    public string? ProvMethod { get; init; }

    /// <summary>Gets the root file system type of a statelite image: <c>nfs</c> or <c>ramdisk</c> (<c>rootfstype</c>).</summary>
    public string? RootFsType { get; init; }

    /// <summary>Gets the NFS mount options of a statelite root (<c>nfsrootopts</c>).</summary>
    public string? NfsRootOptions { get; init; }

    /// <summary>Gets the name of the <c>osdistro</c> row the image is built from (<c>osdistroname</c>).</summary>
    public string? OsDistroName { get; init; }

    /// <summary>Gets the names of the <c>osdistroupdate</c> rows applied (<c>osupdatename</c>).</summary>
    public IReadOnlyList<string> OsUpdateNames { get; init; } = [];

    /// <summary>Gets the CFM directory (<c>cfmdir</c>).</summary>
    public string? CfmDirectory { get; init; }

    /// <summary>Gets the operating system name, such as <c>Linux</c> (<c>osname</c>).</summary>
    public string? OsName { get; init; }

    /// <summary>Gets the operating system version, such as <c>rhels9.4</c> (<c>osvers</c>).</summary>
    public string? OsVersion { get; init; }

    /// <summary>Gets the architecture, such as <c>x86_64</c> (<c>osarch</c>).</summary>
    public string? OsArch { get; init; }

    /// <summary>Gets the synclist files (<c>synclists</c>).</summary>
    public IReadOnlyList<string> SyncLists { get; init; } = [];

    /// <summary>Gets the postscripts run at install or boot (<c>postscripts</c>).</summary>
    public IReadOnlyList<string> PostScripts { get; init; } = [];

    /// <summary>Gets the postscripts run after boot (<c>postbootscripts</c>).</summary>
    public IReadOnlyList<string> PostBootScripts { get; init; } = [];

    /// <summary>Gets the server role (<c>serverrole</c>).</summary>
    public string? ServerRole { get; init; }

    /// <summary>Gets whether the image may be deleted (<c>isdeletable</c>).</summary>
    public string? IsDeletable { get; init; }

    /// <summary>Gets the kit components (<c>kitcomponents</c>).</summary>
    public IReadOnlyList<string> KitComponents { get; init; } = [];

    /// <summary>Gets the environment variables as <c>NAME=value</c> items (<c>environvar</c>).</summary>
    public IReadOnlyList<string> EnvironmentVariables { get; init; } = [];

    /// <summary>Gets the row's comments (<c>comments</c>).</summary>
    public string? Comments { get; init; }

    /// <summary>Gets the row's <c>disable</c> column.</summary>
    public string? Disable { get; init; }

    /// <summary>Gets attributes or columns this version does not model, by name; they round-trip unchanged.</summary>
    public IReadOnlyDictionary<string, string> OtherAttributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets <see cref="ProvMethod"/> parsed, or <see langword="null"/> when it is empty or unknown.</summary>
    public ProvisioningMethod? Method => ProvisioningMethodNames.TryParse(ProvMethod, out var method) ? method : null;
}
