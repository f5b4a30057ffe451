using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// Checks a batch against the schema before any catalog touches storage, so a bad batch changes nothing. Every write
/// (mkdef, chdef, tabrestore, imgimport, the library) passes here, so here the columns that become path components
/// are held to <see cref="ImageNaming.PathComponentProblem"/>: a derived root image directory cannot leave the
/// install directory whichever command stored the row.
/// </summary>
internal static class CatalogChangeValidator
{
    private static readonly Dictionary<string, string[]> s_pathComponentColumns = new(StringComparer.Ordinal)
    {
        ["osimage"] = ["imagename", "profile", "osvers", "osarch", "provmethod"],
        ["linuximage"] = ["imagename"],
        ["kit"] = ["kitname"],

        // Node names become file names under tftpdir when nodes are deployed (xCAT's nodeset writes one boot file per node).
        ["nodelist"] = ["node"],
        ["nodetype"] = ["node"],
        ["postscripts"] = ["node"],
    };

    public static void Validate(CatalogChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes.Items)
        {
            var schema = XcatSchema.GetTable(change.Table);
            if (change.Key is { } key)
            {
                CheckColumns(schema, key.Keys, nameof(changes));
                foreach (var keyColumn in schema.Keys)
                {
                    if (!key.TryGetValue(keyColumn, out var value) || string.IsNullOrEmpty(value))
                    {
                        throw new ArgumentException($"The key column '{keyColumn}' of table '{schema.Name}' has no value.", nameof(changes));
                    }
                }

                if (change.Kind != CatalogChangeKind.Delete)
                {
                    CheckPathComponents(schema, key.Select(static p => new KeyValuePair<string, string?>(p.Key, p.Value)));
                }
            }

            if (change.Values is { } values)
            {
                CheckColumns(schema, values.Keys, nameof(changes));
                CheckPathComponents(schema, values);
                if (change.Kind == CatalogChangeKind.Insert)
                {
                    foreach (var keyColumn in schema.Keys)
                    {
                        if (!values.TryGetValue(keyColumn, out var value) || string.IsNullOrEmpty(value))
                        {
                            throw new ArgumentException($"The key column '{keyColumn}' of table '{schema.Name}' has no value.", nameof(changes));
                        }
                    }
                }
            }
        }
    }

    private static void CheckPathComponents(TableSchema schema, IEnumerable<KeyValuePair<string, string?>> values)
    {
        if (!s_pathComponentColumns.TryGetValue(schema.Name, out var columns))
        {
            return;
        }

        foreach (var (column, value) in values)
        {
            // A null or empty non-key value clears the column; a key column's emptiness is checked above.
            if (value is { Length: > 0 } && columns.Contains(column, StringComparer.Ordinal) && ImageNaming.PathComponentProblem(value) is { } problem)
            {
                throw new ArgumentException(
                    $"The {schema.Name} attribute '{column}' is '{DisplayText.Escape(value)}', which {problem}; it must be a single path component.");
            }
        }
    }

    private static void CheckColumns(TableSchema schema, IEnumerable<string> columns, string paramName)
    {
        foreach (var column in columns)
        {
            if (!schema.HasColumn(column))
            {
                throw new ArgumentException($"Table '{schema.Name}' has no column '{column}'.", paramName);
            }
        }
    }
}
