using Xcat.Imaging.Catalog;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// Sample definitions for tests: what copycds and xCAT's shipped templates leave for Debian 12 and RHEL 9.4 on x86_64
/// (six osimages, their linuximage rows and two osdistros), restored with <c>tabrestore -a</c> semantics. A new catalog
/// holds none of them; tests that need them add them.
/// </summary>
public static class SampleDefinitions
{
    /// <summary>The names of the sample images, sorted.</summary>
    public static IReadOnlyList<string> ImageNames { get; } =
    [
        "debian12-x86_64-netboot-compute", "debian12-x86_64-statelite-compute", "rhels9.4-x86_64-install-compute",
        "rhels9.4-x86_64-install-service", "rhels9.4-x86_64-netboot-compute", "rhels9.4-x86_64-statelite-compute",
    ];

    /// <summary>Adds the sample rows to <paramref name="catalog"/>, their <c>/install</c> paths moved under <paramref name="installDirectory"/>.</summary>
    public static async Task AddToAsync(IImageCatalog catalog, string installDirectory = "/install")
    {
        var dump = new TableDump(catalog);
        foreach (var table in new[] { "osimage", "linuximage", "osdistro" })
        {
            await using var stream = typeof(SampleDefinitions).Assembly.GetManifestResourceStream($"Xcat.Imaging.TestKit.SampleCatalog.{table}.csv")
                ?? throw new InvalidOperationException($"The sample {table}.csv is not embedded.");
            using var reader = new StreamReader(stream);
            var text = (await reader.ReadToEndAsync()).Replace("\"/install/", $"\"{installDirectory}/", StringComparison.Ordinal);
            await dump.RestoreAsync(table, new StringReader(text), TableRestoreMode.Add);
        }
    }

    /// <summary>Opens (creating) the SQLite catalog at <paramref name="path"/> and adds the sample rows to it.</summary>
    public static async Task AddToSqliteAsync(string path, string installDirectory = "/install")
        => await AddToAsync(await SqliteImageCatalog.OpenAsync(path), installDirectory);
}
