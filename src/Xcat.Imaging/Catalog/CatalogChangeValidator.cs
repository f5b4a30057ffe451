namespace Xcat.Imaging.Catalog;

/// <summary>Checks a batch against the schema before any catalog touches storage, so a bad batch changes nothing.</summary>
internal static class CatalogChangeValidator
{
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
            }

            if (change.Values is { } values)
            {
                CheckColumns(schema, values.Keys, nameof(changes));
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
