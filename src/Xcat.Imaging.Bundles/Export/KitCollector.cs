using Xcat.Imaging.Bundles.Manifest;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>
/// The kits an image's components belong to (xCAT's imgport.pm, get_image_info): every such kit, with all kitrepo and
/// kitcomponent rows of those kits, for the manifest; each kit's directory for the bundle.
/// </summary>
internal sealed class KitCollector(IImageCatalog catalog)
{
    /// <summary>Adds the kit rows to <paramref name="manifest"/>; returns it with each kit's name and directory.</summary>
    /// <exception cref="InvalidOperationException">A component or kit is not in its table.</exception>
    public async Task<(BundleManifest Manifest, IReadOnlyList<(string Name, string Directory)> KitDirectories)> CollectAsync(BundleManifest manifest,
        IReadOnlyList<string> components, CancellationToken cancellationToken)
    {
        var kitRows = await EnabledRowsAsync("kit", cancellationToken).ConfigureAwait(false);
        var repoRows = await EnabledRowsAsync("kitrepo", cancellationToken).ConfigureAwait(false);
        var componentRows = await EnabledRowsAsync("kitcomponent", cancellationToken).ConfigureAwait(false);
        var kitNames = new List<string>();
        foreach (var component in components)
        {
            var row = componentRows.FirstOrDefault(r => r["kitcompname"] == component)
                ?? throw new InvalidOperationException($"Cannot find kitname of '{component}' from the kitcomponent table.");
            if (row["kitname"] is { Length: > 0 } kitName && !kitNames.Contains(kitName))
            {
                kitNames.Add(kitName);
            }
        }

        var kits = new List<ManifestRecord>();
        var kitDirectories = new List<(string Name, string Directory)>();
        foreach (var kitName in kitNames)
        {
            var row = kitRows.FirstOrDefault(r => r["kitname"] == kitName)
                ?? throw new InvalidOperationException($"Cannot find kit '{kitName}' from the kit table.");
            kits.Add(new ManifestRecord(kitName, row.ToDictionary(StringComparer.Ordinal)));
            if (row["kitdir"] is { Length: > 0 } kitDirectory)
            {
                kitDirectories.Add((kitName, kitDirectory));
            }
        }

        manifest = manifest with
        {
            Kits = kits,
            KitRepos = [.. repoRows.Where(r => kitNames.Contains(r["kitname"] ?? string.Empty))
                .Select(static r => new ManifestRecord(r["kitreponame"]!, r.ToDictionary(StringComparer.Ordinal)))],
            KitComponents = [.. componentRows.Where(r => kitNames.Contains(r["kitname"] ?? string.Empty))
                .Select(static r => new ManifestRecord(r["kitcompname"]!, r.ToDictionary(StringComparer.Ordinal)))],
        };
        return (manifest, kitDirectories);
    }

    private async Task<List<CatalogRow>> EnabledRowsAsync(string table, CancellationToken cancellationToken)
    {
        var key = XcatSchema.GetTable(table).Keys[0];
        return [.. (await catalog.ReadTableAsync(table, cancellationToken).ConfigureAwait(false)).Where(r => !r.IsDisabled && r[key] is { Length: > 0 })];
    }
}
