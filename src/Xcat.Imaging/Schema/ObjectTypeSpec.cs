namespace Xcat.Imaging.Schema;

/// <summary>An xCAT object type as lsdef/chdef see it: its tables (each keyed by the object name) and attributes.</summary>
internal sealed class ObjectTypeSpec
{
    private ObjectTypeSpec(string name, string primaryTable, IReadOnlyList<string> tables, IReadOnlyList<ObjectAttributeBinding> attributes)
    {
        Name = name;
        PrimaryTable = primaryTable;
        Tables = tables;
        Attributes = attributes;
        ByName = attributes.ToDictionary(static a => a.Attribute, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>The table whose row makes the object exist.</summary>
    public string PrimaryTable { get; }

    public IReadOnlyList<string> Tables { get; }

    /// <summary>The attributes in defspec order.</summary>
    public IReadOnlyList<ObjectAttributeBinding> Attributes { get; }

    public IReadOnlyDictionary<string, ObjectAttributeBinding> ByName { get; }

    public static string KeyColumn(string table) => XcatSchema.GetTable(table).Keys[0];

    /// <summary>osimage: <c>%defspec{osimage}</c> restricted to the osimage and linuximage tables (xCAT's Schema.pm, %defspec).</summary>
    public static ObjectTypeSpec OsImage { get; } = new(
        "osimage",
        "osimage",
        ["osimage", "linuximage"],
        [
            new("groups", "osimage", "groups"),
            new("imagetype", "osimage", "imagetype"),
            new("description", "osimage", "description"),
            new("provmethod", "osimage", "provmethod"),
            new("osdistroname", "osimage", "osdistroname"),
            new("osupdatename", "osimage", "osupdatename"),
            new("cfmdir", "osimage", "cfmdir"),
            new("rootfstype", "osimage", "rootfstype", LinuxOnly: true),
            new("nfsrootopts", "osimage", "nfsrootopts", LinuxOnly: true),
            new("profile", "osimage", "profile"),
            new("osname", "osimage", "osname"),
            new("osvers", "osimage", "osvers"),
            new("osarch", "osimage", "osarch"),
            new("synclists", "osimage", "synclists"),
            new("postscripts", "osimage", "postscripts"),
            new("postbootscripts", "osimage", "postbootscripts"),
            new("serverrole", "osimage", "serverrole"),
            new("isdeletable", "osimage", "isdeletable"),
            new("kitcomponents", "osimage", "kitcomponents"),
            new("template", "linuximage", "template", LinuxOnly: true),
            new("boottarget", "linuximage", "boottarget", LinuxOnly: true),
            new("addkcmdline", "linuximage", "addkcmdline", LinuxOnly: true),
            new("pkglist", "linuximage", "pkglist", LinuxOnly: true),
            new("pkgdir", "linuximage", "pkgdir", LinuxOnly: true),
            new("otherpkglist", "linuximage", "otherpkglist", LinuxOnly: true),
            new("otherpkgdir", "linuximage", "otherpkgdir", LinuxOnly: true),
            new("exlist", "linuximage", "exlist", LinuxOnly: true),
            new("postinstall", "linuximage", "postinstall", LinuxOnly: true),
            new("rootimgdir", "linuximage", "rootimgdir", LinuxOnly: true),
            new("kerneldir", "linuximage", "kerneldir", LinuxOnly: true),
            new("nodebootif", "linuximage", "nodebootif", LinuxOnly: true),
            new("otherifce", "linuximage", "otherifce", LinuxOnly: true),
            new("netdrivers", "linuximage", "netdrivers", LinuxOnly: true),
            new("kernelver", "linuximage", "kernelver", LinuxOnly: true),
            new("krpmver", "linuximage", "krpmver", LinuxOnly: true),
            new("permission", "linuximage", "permission", LinuxOnly: true),
            new("dump", "linuximage", "dump", LinuxOnly: true),
            new("crashkernelsize", "linuximage", "crashkernelsize", LinuxOnly: true),
            new("partitionfile", "linuximage", "partitionfile", LinuxOnly: true),
            new("driverupdatesrc", "linuximage", "driverupdatesrc", LinuxOnly: true),
            new("usercomment", "linuximage", "comments", LinuxOnly: true),
            new("environvar", "osimage", "environvar"),
        ]);

    /// <summary>node: the attributes of <c>%defspec{node}</c> stored in nodelist, nodetype and postscripts.</summary>
    public static ObjectTypeSpec Node { get; } = new(
        "node",
        "nodelist",
        ["nodelist", "nodetype", "postscripts"],
        [
            new("groups", "nodelist", "groups"),
            new("status", "nodelist", "status"),
            new("statustime", "nodelist", "statustime"),
            new("appstatus", "nodelist", "appstatus"),
            new("appstatustime", "nodelist", "appstatustime"),
            new("primarysn", "nodelist", "primarysn"),
            new("hidden", "nodelist", "hidden"),
            new("updatestatus", "nodelist", "updatestatus"),
            new("updatestatustime", "nodelist", "updatestatustime"),
            new("zonename", "nodelist", "zonename"),
            new("usercomment", "nodelist", "comments"),
            new("os", "nodetype", "os"),
            new("arch", "nodetype", "arch"),
            new("profile", "nodetype", "profile"),
            new("provmethod", "nodetype", "provmethod"),
            new("supportedarchs", "nodetype", "supportedarchs"),
            new("nodetype", "nodetype", "nodetype"),
            new("postscripts", "postscripts", "postscripts"),
            new("postbootscripts", "postscripts", "postbootscripts"),
        ]);

    public static IReadOnlyList<ObjectTypeSpec> All { get; } = [OsImage, Node];

    public static ObjectTypeSpec Get(string type)
        => All.FirstOrDefault(t => t.Name == type)
           ?? throw new ArgumentException($"Unknown object type '{type}'; supported types: {string.Join(", ", All.Select(static t => t.Name))}.", nameof(type));
}
