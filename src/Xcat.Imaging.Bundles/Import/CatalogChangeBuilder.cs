using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Bundles.Import;

/// <summary>
/// The one catalog transaction of an import (xCAT's imgport.pm, set_config and set_postscripts): node postscripts,
/// the image definitions, litefile rows and kit rows.
/// </summary>
internal sealed class CatalogChangeBuilder(IImageCatalog catalog)
{
    /// <summary>Builds the changes of every plan; returns them with the nodes whose postscripts change.</summary>
    /// <exception cref="ArgumentException">None of the <c>-p</c> nodes is defined.</exception>
    public async Task<(CatalogChanges Changes, IReadOnlyList<string> PostScriptNodes)> BuildAsync(IReadOnlyList<ImportPlan> plans, ImageImportOptions options,
        List<string> messages, CancellationToken cancellationToken)
    {
        var changes = new CatalogChanges();
        var postScriptNodes = await AddPostScriptChangesAsync(changes, plans, options, messages, cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            ImageCatalogExtensions.AddImageChanges(changes, plan.Definition);
        }

        await AddLiteFileChangesAsync(changes, plans, cancellationToken).ConfigureAwait(false);
        AddKitChanges(changes, plans);
        return (changes, postScriptNodes);
    }

    private async Task<IReadOnlyList<string>> AddPostScriptChangesAsync(CatalogChanges changes, IReadOnlyList<ImportPlan> plans, ImageImportOptions options,
        List<string> messages, CancellationToken cancellationToken)
    {
        if (options.PostScriptsNodeRange is not { Length: > 0 } noderange)
        {
            return [];
        }

        // xCAT's imgport.pm, set_postscripts.
        var known = await catalog.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        var expanded = Nodes.NodeRange.Expand(noderange, known.ToDictionary(static n => n.Name, static n => n.Groups, StringComparer.Ordinal), allowUndefined: true);
        var defined = known.Select(static n => n.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = expanded.Where(defined.Contains).ToList();
        if (nodes.Count == 0)
        {
            throw new ArgumentException($"The nodes {noderange} are not defined in xCAT DB.");
        }

        if (nodes.Count < expanded.Count)
        {
            messages.Add("The following nodes will be skipped because they are not in the nodelist table.");
            messages.Add("    " + string.Join(',', expanded.Where(n => !defined.Contains(n))));
        }

        var defaults = await catalog.GetDefaultPostScriptsAsync(cancellationToken).ConfigureAwait(false);
        var defaultScripts = defaults.PostScripts.ToHashSet(StringComparer.Ordinal);
        var defaultBootScripts = defaults.PostBootScripts.ToHashSet(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var scripts = CommaList.Split(plan.Manifest.PostScripts).Where(s => !defaultScripts.Contains(s)).ToList();
            var bootScripts = CommaList.Split(plan.Manifest.PostBootScripts).Where(s => !defaultBootScripts.Contains(s)).ToList();
            if (scripts.Count == 0 && bootScripts.Count == 0)
            {
                continue;
            }

            foreach (var node in nodes)
            {
                changes.Upsert("postscripts", new Dictionary<string, string>(StringComparer.Ordinal) { ["node"] = node },
                    new Dictionary<string, string?>(StringComparer.Ordinal)
                    {
                        ["postscripts"] = CommaList.Join(scripts),
                        ["postbootscripts"] = CommaList.Join(bootScripts),
                    });
            }
        }

        return nodes;
    }

    private async Task AddLiteFileChangesAsync(CatalogChanges changes, IReadOnlyList<ImportPlan> plans, CancellationToken cancellationToken)
    {
        if (plans.All(static p => p.LiteFiles.Count == 0))
        {
            return;
        }

        // xCAT's imgport.pm, make_files: rows that 'ALL' already has with the same options are skipped; the rest belong to the image.
        var all = (await catalog.ReadTableAsync("litefile", cancellationToken).ConfigureAwait(false))
            .Where(static r => r["image"] == "ALL").Select(static r => (r["file"], r["options"] ?? string.Empty)).ToHashSet();
        foreach (var plan in plans)
        {
            foreach (var (file, options) in plan.LiteFiles)
            {
                if (all.Contains((file, options)))
                {
                    continue;
                }

                changes.Upsert("litefile", new Dictionary<string, string>(StringComparer.Ordinal) { ["image"] = plan.Definition.Name, ["file"] = file },
                    new Dictionary<string, string?>(StringComparer.Ordinal) { ["options"] = options.Length > 0 ? options : null });
            }
        }
    }

    /// <summary>Kit, kitrepo and kitcomponent rows are upserted by their key, every column the manifest has that the table knows.</summary>
    private static void AddKitChanges(CatalogChanges changes, IReadOnlyList<ImportPlan> plans)
    {
        foreach (var row in plans.SelectMany(static p => p.KitRows))
        {
            var schema = XcatSchema.GetTable(row.Table);
            var values = row.Columns.Where(c => c.Key != row.Key && schema.HasColumn(c.Key))
                .ToDictionary(static c => c.Key, static c => (string?)c.Value, StringComparer.Ordinal);
            changes.Upsert(row.Table, new Dictionary<string, string>(StringComparer.Ordinal) { [row.Key] = row.Name }, values);
        }
    }
}
