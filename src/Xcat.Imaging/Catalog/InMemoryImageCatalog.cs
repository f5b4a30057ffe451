using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// An <see cref="IImageCatalog"/> held in memory, for unit tests and embedders that keep definitions elsewhere.
/// It is thread-safe and transactional like the SQLite catalog, but nothing survives the process.
/// </summary>
public sealed class InMemoryImageCatalog : IImageCatalog
{
    private readonly Lock _gate = new();
    private Dictionary<string, List<Dictionary<string, string?>>> _tables = [];

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CatalogRow>> ReadTableAsync(string table, CancellationToken cancellationToken = default)
    {
        var schema = XcatSchema.GetTable(table);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<CatalogRow> rows = _tables.TryGetValue(schema.Name, out var list)
                ? [.. list.Select(static row => new CatalogRow(row))]
                : [];
            return ValueTask.FromResult(rows);
        }
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(CatalogChanges changes, CancellationToken cancellationToken = default)
    {
        CatalogChangeValidator.Validate(changes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Work on a deep copy and swap it in at the end: a failing change leaves the catalog as it was.
            var copy = _tables.ToDictionary(
                static pair => pair.Key,
                static pair => pair.Value.Select(static row => new Dictionary<string, string?>(row, StringComparer.Ordinal)).ToList(),
                StringComparer.Ordinal);
            foreach (var change in changes.Items)
            {
                Apply(copy, change);
            }

            _tables = copy;
        }

        return ValueTask.CompletedTask;
    }

    private static void Apply(Dictionary<string, List<Dictionary<string, string?>>> tables, CatalogChange change)
    {
        var schema = XcatSchema.GetTable(change.Table);
        if (!tables.TryGetValue(schema.Name, out var rows))
        {
            rows = [];
            tables.Add(schema.Name, rows);
        }

        switch (change.Kind)
        {
            case CatalogChangeKind.DeleteAll:
                rows.Clear();
                break;
            case CatalogChangeKind.Delete:
                rows.RemoveAll(row => Matches(schema, row, change.Key!));
                break;
            case CatalogChangeKind.Insert:
                var keyOfNew = schema.Keys.ToDictionary(static k => k, k => change.Values![k]!, StringComparer.Ordinal);
                if (rows.Any(row => Matches(schema, row, keyOfNew)))
                {
                    throw new InvalidOperationException(DuplicateKeyMessage(schema, keyOfNew));
                }

                rows.Add(Normalize(change.Values!));
                break;
            case CatalogChangeKind.Upsert:
                var existing = rows.Find(row => Matches(schema, row, change.Key!));
                if (existing is null)
                {
                    existing = Normalize(change.Key!.ToDictionary(static p => p.Key, static p => (string?)p.Value));
                    rows.Add(existing);
                }

                foreach (var (column, value) in change.Values!)
                {
                    if (!schema.Keys.Contains(column))
                    {
                        existing[column] = string.IsNullOrEmpty(value) ? null : value;
                    }
                }

                break;
        }
    }

    private static bool Matches(TableSchema schema, Dictionary<string, string?> row, IReadOnlyDictionary<string, string> key)
        => schema.Keys.All(k => string.Equals(row.GetValueOrDefault(k), key[k], StringComparison.Ordinal));

    private static Dictionary<string, string?> Normalize(IReadOnlyDictionary<string, string?> values)
        => values.ToDictionary(static p => p.Key, static p => string.IsNullOrEmpty(p.Value) ? null : p.Value, StringComparer.Ordinal);

    internal static string DuplicateKeyMessage(TableSchema schema, IReadOnlyDictionary<string, string> key)
        => $"Table '{schema.Name}' already has a row with {string.Join(", ", schema.Keys.Select(k => $"{k}='{key[k]}'"))}.";
}
