namespace Xcat.Imaging.Catalog;

/// <summary>
/// A batch of table changes that <see cref="IImageCatalog.ApplyAsync"/> applies in one transaction: all of them or none.
/// Changes are applied in the order they were added.
/// </summary>
public sealed class CatalogChanges
{
    private readonly List<CatalogChange> _changes = [];

    /// <summary>Gets the changes in the order they were added.</summary>
    internal IReadOnlyList<CatalogChange> Items => _changes;

    /// <summary>Gets the number of changes in the batch.</summary>
    public int Count => _changes.Count;

    /// <summary>
    /// Adds an upsert keyed on the table's key columns that touches only the columns given, as xCAT's
    /// <c>setAttribs</c> does (xCAT's Table.pm). A <see langword="null"/> or empty value clears that column.
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="key">The value of every key column.</param>
    /// <param name="values">The columns to set; other columns of an existing row keep their value.</param>
    /// <returns>This batch, for chaining.</returns>
    public CatalogChanges Upsert(string table, IReadOnlyDictionary<string, string> key, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        _changes.Add(new CatalogChange(CatalogChangeKind.Upsert, table, Copy(key), Copy(values)));
        return this;
    }

    /// <summary>Adds the insertion of a whole new row; a row with the same key makes the batch fail.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="values">The column values of the new row.</param>
    /// <returns>This batch, for chaining.</returns>
    public CatalogChanges Insert(string table, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(values);
        _changes.Add(new CatalogChange(CatalogChangeKind.Insert, table, null, Copy(values)));
        return this;
    }

    /// <summary>Adds the removal of the row with the given key; removing a missing row is not an error.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="key">The value of every key column.</param>
    /// <returns>This batch, for chaining.</returns>
    public CatalogChanges Delete(string table, IReadOnlyDictionary<string, string> key)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(key);
        _changes.Add(new CatalogChange(CatalogChangeKind.Delete, table, Copy(key), null));
        return this;
    }

    /// <summary>Adds the removal of every row of a table.</summary>
    /// <param name="table">The table name.</param>
    /// <returns>This batch, for chaining.</returns>
    public CatalogChanges DeleteAll(string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        _changes.Add(new CatalogChange(CatalogChangeKind.DeleteAll, table, null, null));
        return this;
    }

    private static Dictionary<string, TValue> Copy<TValue>(IReadOnlyDictionary<string, TValue> source)
        => new(source, StringComparer.Ordinal);
}
