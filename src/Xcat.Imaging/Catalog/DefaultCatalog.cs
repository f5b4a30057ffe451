using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// The rows a new catalog starts with, embedded as tabdump CSV files: what xCAT's <c>xcatconfig</c> writes at install
/// time before any <c>copycds</c> — the <c>site</c> table's <c>installdir</c> and <c>tftpdir</c>, and the
/// <c>xcatdefaults</c> and <c>service</c> postscripts rows. No image, node or distribution is defined.
/// </summary>
internal static class DefaultCatalog
{
    private const string ResourcePrefix = "Xcat.Imaging.DefaultCatalog.";

    public static CatalogChanges CreateChanges()
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
                    values[columns[i]] = fields[i];
                }

                changes.Insert(schema.Name, values);
            }
        }

        return changes;
    }
}
