using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>Reads objects from their tables and turns attribute changes into table changes (xCAT's getobjdefs/setobjdefs).</summary>
internal static class ObjectStore
{
    /// <summary>An object's attributes: its own (stored in its rows) and resolved (with node group inheritance).</summary>
    internal sealed record Entry(string Name, IReadOnlyDictionary<string, string> Own, IReadOnlyDictionary<string, string> Resolved);

    /// <summary>Reads every enabled object of a type, in the primary table's order.</summary>
    public static async Task<IReadOnlyList<Entry>> ReadAllAsync(IImageCatalog catalog, ObjectTypeSpec spec, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, Dictionary<string, CatalogRow>>(StringComparer.Ordinal);
        foreach (var table in spec.Tables)
        {
            var key = ObjectTypeSpec.KeyColumn(table);
            var byKey = new Dictionary<string, CatalogRow>(StringComparer.Ordinal);
            foreach (var row in await catalog.ReadTableAsync(table, cancellationToken).ConfigureAwait(false))
            {
                // Disabled rows are invisible to xCAT's object commands (xCAT's Table.pm).
                if (!row.IsDisabled && row[key] is { } name)
                {
                    byKey.TryAdd(name, row);
                }
            }

            tables.Add(table, byKey);
        }

        var entries = new List<Entry>();
        foreach (var (name, primaryRow) in tables[spec.PrimaryTable])
        {
            var own = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var resolved = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var isLinux = spec != ObjectTypeSpec.OsImage || primaryRow["imagetype"] == "linux";
            var groups = spec == ObjectTypeSpec.Node ? CommaList.Split(primaryRow["groups"]) : [];
            foreach (var binding in spec.Attributes)
            {
                if (binding.LinuxOnly && !isLinux)
                {
                    continue;
                }

                var rows = tables[binding.Table];
                if (rows.TryGetValue(name, out var row) && row[binding.Column] is { } value)
                {
                    own[binding.Attribute] = value;
                    resolved[binding.Attribute] = value;
                }
                else if (binding.Table != spec.PrimaryTable)
                {
                    // Node attributes not set on the node come from its groups' rows, first group first.
                    foreach (var group in groups)
                    {
                        if (rows.TryGetValue(group, out var groupRow) && groupRow[binding.Column] is { } inherited)
                        {
                            resolved[binding.Attribute] = inherited;
                            break;
                        }
                    }
                }
            }

            entries.Add(new Entry(name, own, resolved));
        }

        return entries;
    }

    /// <summary>Adds the upserts that turn <paramref name="before"/> into <paramref name="after"/> for one object.</summary>
    public static void AddChanges(CatalogChanges changes, ObjectTypeSpec spec, string name, bool isNew,
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var perTable = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var binding in spec.Attributes)
        {
            var old = before.GetValueOrDefault(binding.Attribute);
            var now = after.GetValueOrDefault(binding.Attribute);
            if (string.Equals(old, now, StringComparison.Ordinal))
            {
                continue;
            }

            if (!perTable.TryGetValue(binding.Table, out var columns))
            {
                perTable[binding.Table] = columns = new Dictionary<string, string?>(StringComparer.Ordinal);
            }

            columns[binding.Column] = now;
        }

        if (isNew && !perTable.ContainsKey(spec.PrimaryTable))
        {
            perTable[spec.PrimaryTable] = new Dictionary<string, string?>(StringComparer.Ordinal);
        }

        foreach (var table in spec.Tables.Where(perTable.ContainsKey))
        {
            var key = new Dictionary<string, string>(StringComparer.Ordinal) { [ObjectTypeSpec.KeyColumn(table)] = name };
            changes.Upsert(table, key, perTable[table]);
        }
    }

    /// <summary>Adds the removal of every row of one object.</summary>
    public static void AddRemoval(CatalogChanges changes, ObjectTypeSpec spec, string name)
    {
        foreach (var table in spec.Tables)
        {
            changes.Delete(table, new Dictionary<string, string>(StringComparer.Ordinal) { [ObjectTypeSpec.KeyColumn(table)] = name });
        }
    }
}
