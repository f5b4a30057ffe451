using Xcat.Imaging.Definitions;
using Xcat.Imaging.Nodes;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>Typed views of an <see cref="IImageCatalog"/>: image definitions and nodes.</summary>
public static class ImageCatalogExtensions
{
    /// <summary>Reads the site table of <paramref name="catalog"/> (xCAT's <c>site</c> table, the <c>clustersite</c> object).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The settings, with defaults for the keys not set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">A value in the table is not usable; the message names the key.</exception>
    public static async Task<SiteSettings> ReadSiteSettingsAsync(this IImageCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var rows = await catalog.ReadTableAsync(SiteSettings.TableName, cancellationToken).ConfigureAwait(false);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.Where(static r => !r.IsDisabled))
        {
            if (row["key"] is { } key && row["value"] is { } value)
            {
                map[key] = value;
            }
        }

        return SiteSettings.FromTable(map);
    }

    /// <summary>Finds the enabled image definition named <paramref name="name"/>.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The definition, or <see langword="null"/> when there is no such image.</returns>
    public static async Task<ImageDefinition?> FindImageAsync(this IImageCatalog catalog, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var images = await catalog.GetImagesAsync(cancellationToken).ConfigureAwait(false);
        return images.FirstOrDefault(i => i.Name == name);
    }

    /// <summary>Reads every enabled image definition, in the osimage table's order.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The definitions.</returns>
    public static async Task<IReadOnlyList<ImageDefinition>> GetImagesAsync(this IImageCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var linux = new Dictionary<string, CatalogRow>(StringComparer.Ordinal);
        foreach (var row in await catalog.ReadTableAsync("linuximage", cancellationToken).ConfigureAwait(false))
        {
            if (!row.IsDisabled && row["imagename"] is { } key)
            {
                linux.TryAdd(key, row);
            }
        }

        var images = new List<ImageDefinition>();
        foreach (var row in await catalog.ReadTableAsync("osimage", cancellationToken).ConfigureAwait(false))
        {
            if (row.IsDisabled || row["imagename"] is not { } name)
            {
                continue;
            }

            var definition = new ImageDefinition(new OsImage(name));
            foreach (var (column, value) in row.Where(static p => p.Key != "imagename"))
            {
                definition = definition.WithColumn("osimage", column, value);
            }

            if (linux.TryGetValue(name, out var linuxRow))
            {
                foreach (var (column, value) in linuxRow.Where(static p => p.Key != "imagename"))
                {
                    definition = definition.WithColumn("linuximage", column, value);
                }
            }

            images.Add(definition);
        }

        return images;
    }

    /// <summary>
    /// Saves a definition in one transaction: the osimage row and the linuximage row become exactly the definition's
    /// columns (an empty <see cref="LinuxImage"/> removes the linuximage row).
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="definition">The definition.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when the definition is stored.</returns>
    /// <exception cref="ArgumentException">The definition is invalid; the message lists every problem.</exception>
    public static async Task SaveImageAsync(this IImageCatalog catalog, ImageDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(definition);
        definition.ThrowIfInvalid();
        var changes = new CatalogChanges();
        AddImageChanges(changes, definition);
        await catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the changes that make the osimage and linuximage rows exactly the definition's columns, so that a caller
    /// can save an image in the same transaction as other changes (imgimport saves images, kits and nodes at once).
    /// </summary>
    /// <param name="changes">The batch to add to.</param>
    /// <param name="definition">The image.</param>
    public static void AddImageChanges(CatalogChanges changes, ImageDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(definition);
        var key = new Dictionary<string, string>(StringComparer.Ordinal) { ["imagename"] = definition.Name };
        changes.Upsert("osimage", key, Columns(definition, "osimage"));
        if (definition.LinuxImage.IsEmpty)
        {
            changes.Delete("linuximage", key);
        }
        else
        {
            changes.Upsert("linuximage", key, Columns(definition, "linuximage"));
        }
    }

    /// <summary>Returns the postscripts of the enabled <c>xcatdefaults</c> row, which every node runs first (xCAT's <c>postscripts</c> table).</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The default postscripts and postbootscripts; empty when there is no such row.</returns>
    public static async Task<NodePostScripts> GetDefaultPostScriptsAsync(this IImageCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var defaults = (await catalog.ReadTableAsync("postscripts", cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(static r => r["node"] == NodePostScripts.DefaultsRow && !r.IsDisabled);
        return new NodePostScripts(CommaList.Split(defaults?["postscripts"]), CommaList.Split(defaults?["postbootscripts"]));
    }

    /// <summary>Removes an image definition (its osimage and linuximage rows) in one transaction.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns><see langword="true"/> when the image existed.</returns>
    public static async Task<bool> RemoveImageAsync(this IImageCatalog catalog, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var existed = (await catalog.ReadTableAsync("osimage", cancellationToken).ConfigureAwait(false)).Any(r => r["imagename"] == name);
        var changes = new CatalogChanges();
        ObjectStore.AddRemoval(changes, ObjectTypeSpec.OsImage, name);
        await catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        return existed;
    }

    /// <summary>Reads every enabled node with its attributes resolved through its groups.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The nodes, in the nodelist table's order.</returns>
    public static async Task<IReadOnlyList<NodeDefinition>> GetNodesAsync(this IImageCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var entries = await ObjectStore.ReadAllAsync(catalog, ObjectTypeSpec.Node, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(static e => NodeDefinition.FromAttributes(e.Name, e.Resolved))];
    }

    /// <summary>Expands a noderange against the catalog's nodes and groups.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="noderange">The noderange.</param>
    /// <param name="allowUndefined">Whether names of nodes that are not defined yet are allowed.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The node names.</returns>
    /// <exception cref="ArgumentException">The noderange is malformed or names undefined nodes or groups.</exception>
    public static async Task<IReadOnlyList<string>> ExpandNodeRangeAsync(this IImageCatalog catalog, string noderange,
        bool allowUndefined = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var nodes = await catalog.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        return NodeRange.Expand(noderange, nodes.ToDictionary(static n => n.Name, static n => n.Groups, StringComparer.Ordinal), allowUndefined);
    }

    /// <summary>
    /// Returns the postscripts of a node as xCAT runs and exports them (xCAT's imgport.pm, get_files): the <c>xcatdefaults</c> row's lists
    /// followed by the node's own (or its groups').
    /// </summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="node">The node name.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The postscripts and postbootscripts.</returns>
    /// <exception cref="ArgumentException">The node is not defined.</exception>
    public static async Task<NodePostScripts> GetNodePostScriptsAsync(this IImageCatalog catalog, string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(node);
        var nodes = await catalog.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var definition = nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new ArgumentException($"Unable to get postscripts, {node} is not a valid node.", nameof(node));
        var defaults = await catalog.GetDefaultPostScriptsAsync(cancellationToken).ConfigureAwait(false);
        return new NodePostScripts([.. defaults.PostScripts, .. definition.PostScripts], [.. defaults.PostBootScripts, .. definition.PostBootScripts]);
    }

    private static Dictionary<string, string?> Columns(ImageDefinition definition, string table)
        => XcatSchema.GetTable(table).Columns.Where(static c => c != "imagename")
            .ToDictionary(static c => c, c => definition.GetColumn(table, c), StringComparer.Ordinal);
}
