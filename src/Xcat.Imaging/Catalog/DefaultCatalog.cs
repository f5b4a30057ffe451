using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// The definitions a new catalog starts with, embedded as tabdump CSV files: what copycds leaves behind for Debian 12
/// and RHEL 9.4 on x86_64 (spec §5.4) and xCAT's <c>xcatdefaults</c> postscripts row.
/// </summary>
internal static class DefaultCatalog
{
    private const string ResourcePrefix = "Xcat.Imaging.DefaultCatalog.";
    private const string DefaultInstallDirectory = "/install";

    public static CatalogChanges CreateChanges(string installDirectory)
    {
        var changes = new CatalogChanges();
        var assembly = typeof(DefaultCatalog).Assembly;
        foreach (var schema in XcatSchema.Tables)
        {
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + schema.Name + ".csv");
            if (stream is null)
            {
                continue;
            }

            using var reader = new StreamReader(stream);
            var columns = XcatCsv.ParseHeader(reader.ReadLine());
            foreach (var (_, fields) in XcatCsv.ParseRows(reader, columns.Count, 2))
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    values[columns[i]] = Relocate(fields[i], installDirectory);
                }

                changes.Insert(schema.Name, values);
            }
        }

        return changes;
    }

    /// <summary>Moves each comma-list item under <c>/install</c> to the same place under <paramref name="installDirectory"/>.</summary>
    internal static string? Relocate(string? value, string installDirectory)
    {
        if (value is null || installDirectory == DefaultInstallDirectory)
        {
            return value;
        }

        var items = value.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] == DefaultInstallDirectory || items[i].StartsWith(DefaultInstallDirectory + "/", StringComparison.Ordinal))
            {
                items[i] = installDirectory.TrimEnd('/') + items[i][DefaultInstallDirectory.Length..];
            }
        }

        return string.Join(',', items);
    }
}
