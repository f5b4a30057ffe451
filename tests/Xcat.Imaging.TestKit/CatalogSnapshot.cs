using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.TestKit;

/// <summary>Every table of a catalog dumped as text: equal snapshots mean an unchanged catalog.</summary>
public static class CatalogSnapshot
{
    public static async Task<string> TakeAsync(IImageCatalog catalog)
    {
        var dump = new TableDump(catalog);
        using var writer = new StringWriter();
        foreach (var table in XcatSchema.Tables)
        {
            await dump.DumpAsync(table.Name, writer);
        }

        return writer.ToString();
    }
}
