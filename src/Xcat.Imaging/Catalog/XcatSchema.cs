namespace Xcat.Imaging.Catalog;

/// <summary>
/// The xCAT tables this library keeps, with xCAT's columns, keys and descriptions (spec §6.1–6.2, from xCAT's
/// <c>Schema.pm</c>): osimage, linuximage, nodelist, nodetype, postscripts, osdistro and litefile.
/// </summary>
public static class XcatSchema
{
    private static readonly Dictionary<string, TableSchema> s_byName = new(StringComparer.Ordinal);

    static XcatSchema()
    {
        foreach (var table in Tables)
        {
            s_byName.Add(table.Name, table);
        }
    }

    /// <summary>Gets the tables in a stable order.</summary>
    public static IReadOnlyList<TableSchema> Tables { get; } =
    [
        new(
            "osimage",
            ["imagename", "groups", "profile", "imagetype", "description", "provmethod", "rootfstype", "nfsrootopts", "osdistroname", "osupdatename", "cfmdir", "osname", "osvers", "osarch", "synclists", "postscripts", "postbootscripts", "serverrole", "isdeletable", "kitcomponents", "environvar", "comments", "disable"],
            ["imagename"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "linuximage",
            ["imagename", "template", "boottarget", "addkcmdline", "pkglist", "pkgdir", "otherpkglist", "otherpkgdir", "exlist", "postinstall", "rootimgdir", "kerneldir", "nodebootif", "otherifce", "netdrivers", "kernelver", "krpmver", "permission", "dump", "crashkernelsize", "partitionfile", "driverupdatesrc", "comments", "disable"],
            ["imagename"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "nodelist",
            ["node", "groups", "status", "statustime", "appstatus", "appstatustime", "primarysn", "hidden", "updatestatus", "updatestatustime", "zonename", "comments", "disable"],
            ["node"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "nodetype",
            ["node", "os", "arch", "profile", "provmethod", "supportedarchs", "nodetype", "comments", "disable"],
            ["node"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "postscripts",
            ["node", "postscripts", "postbootscripts", "comments", "disable"],
            ["node"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "osdistro",
            ["osdistroname", "basename", "majorversion", "minorversion", "arch", "type", "dirpaths", "comments", "disable"],
            ["osdistroname"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
        new(
            "litefile",
            ["image", "file", "options", "comments", "disable"],
            ["image", "file"],
            "",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
            }),
    ];

    /// <summary>Returns the table named <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The table name (case-sensitive).</param>
    /// <returns>The table layout, or <see langword="null"/> when there is no such table.</returns>
    public static TableSchema? FindTable(string name) => s_byName.GetValueOrDefault(name);

    /// <summary>Returns the table named <paramref name="name"/>.</summary>
    /// <param name="name">The table name (case-sensitive).</param>
    /// <returns>The table layout.</returns>
    /// <exception cref="ArgumentException">There is no such table; the message is xCAT's <c>No such table: name</c>.</exception>
    public static TableSchema GetTable(string name)
        => FindTable(name) ?? throw new ArgumentException($"No such table: {name}", nameof(name));
}

