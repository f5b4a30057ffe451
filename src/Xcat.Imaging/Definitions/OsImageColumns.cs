namespace Xcat.Imaging.Definitions;

/// <summary>The columns of the <c>osimage</c> table bound to <see cref="OsImage"/> (xCAT's Schema.pm), key excluded.</summary>
internal static class OsImageColumns
{
    public static IReadOnlyList<ColumnBinding<OsImage>> All { get; } =
    [
        ColumnBinding<OsImage>.List("groups", static r => r.Groups, static (r, v) => r with { Groups = v }),
        ColumnBinding<OsImage>.Text("profile", static r => r.Profile, static (r, v) => r with { Profile = v }),
        ColumnBinding<OsImage>.Text("imagetype", static r => r.ImageType, static (r, v) => r with { ImageType = v }),
        ColumnBinding<OsImage>.Text("description", static r => r.Description, static (r, v) => r with { Description = v }),
        ColumnBinding<OsImage>.Text("provmethod", static r => r.ProvMethod, static (r, v) => r with { ProvMethod = v }),
        ColumnBinding<OsImage>.Text("rootfstype", static r => r.RootFsType, static (r, v) => r with { RootFsType = v }),
        ColumnBinding<OsImage>.Text("nfsrootopts", static r => r.NfsRootOptions, static (r, v) => r with { NfsRootOptions = v }),
        ColumnBinding<OsImage>.Text("osdistroname", static r => r.OsDistroName, static (r, v) => r with { OsDistroName = v }),
        ColumnBinding<OsImage>.List("osupdatename", static r => r.OsUpdateNames, static (r, v) => r with { OsUpdateNames = v }),
        ColumnBinding<OsImage>.Text("cfmdir", static r => r.CfmDirectory, static (r, v) => r with { CfmDirectory = v }),
        ColumnBinding<OsImage>.Text("osname", static r => r.OsName, static (r, v) => r with { OsName = v }),
        ColumnBinding<OsImage>.Text("osvers", static r => r.OsVersion, static (r, v) => r with { OsVersion = v }),
        ColumnBinding<OsImage>.Text("osarch", static r => r.OsArch, static (r, v) => r with { OsArch = v }),
        ColumnBinding<OsImage>.List("synclists", static r => r.SyncLists, static (r, v) => r with { SyncLists = v }),
        ColumnBinding<OsImage>.List("postscripts", static r => r.PostScripts, static (r, v) => r with { PostScripts = v }),
        ColumnBinding<OsImage>.List("postbootscripts", static r => r.PostBootScripts, static (r, v) => r with { PostBootScripts = v }),
        ColumnBinding<OsImage>.Text("serverrole", static r => r.ServerRole, static (r, v) => r with { ServerRole = v }),
        ColumnBinding<OsImage>.Text("isdeletable", static r => r.IsDeletable, static (r, v) => r with { IsDeletable = v }),
        ColumnBinding<OsImage>.List("kitcomponents", static r => r.KitComponents, static (r, v) => r with { KitComponents = v }),
        ColumnBinding<OsImage>.List("environvar", static r => r.EnvironmentVariables, static (r, v) => r with { EnvironmentVariables = v }),
        ColumnBinding<OsImage>.Text("comments", static r => r.Comments, static (r, v) => r with { Comments = v }),
        ColumnBinding<OsImage>.Text("disable", static r => r.Disable, static (r, v) => r with { Disable = v }),
    ];

    public static ColumnBinding<OsImage>? Find(string column) => All.FirstOrDefault(b => b.Column == column);
}
