namespace Xcat.Imaging.Schema;

/// <summary>The layout of one xCAT table: its name, columns in schema order, key columns and descriptions (xCAT's Schema.pm).</summary>
public sealed class TableSchema
{
    private readonly Dictionary<string, int> _columnIndex;

    /// <summary>Initializes a new table layout.</summary>
    /// <param name="name">The table name, such as <c>osimage</c>.</param>
    /// <param name="columns">The columns in schema order.</param>
    /// <param name="keys">The key columns.</param>
    /// <param name="description">The table description that <c>tabdump -d</c> prints.</param>
    /// <param name="columnDescriptions">The description of each column.</param>
    public TableSchema(string name, IReadOnlyList<string> columns, IReadOnlyList<string> keys, string description,
        IReadOnlyDictionary<string, string> columnDescriptions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(columnDescriptions);
        Name = name;
        Columns = [.. columns];
        Keys = [.. keys];
        Description = description ?? string.Empty;
        ColumnDescriptions = new Dictionary<string, string>(columnDescriptions, StringComparer.Ordinal);
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Count; i++)
        {
            _columnIndex.Add(Columns[i], i);
        }

        foreach (var key in Keys)
        {
            if (!_columnIndex.ContainsKey(key))
            {
                throw new ArgumentException($"Key column '{key}' is not a column of table '{name}'.", nameof(keys));
            }
        }
    }

    /// <summary>Gets the table name.</summary>
    public string Name { get; }

    /// <summary>Gets the columns in schema order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Gets the key columns.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Gets the table description.</summary>
    public string Description { get; }

    /// <summary>Gets the description of each column.</summary>
    public IReadOnlyDictionary<string, string> ColumnDescriptions { get; }

    /// <summary>Returns whether <paramref name="column"/> is a column of this table.</summary>
    /// <param name="column">The column name (case-sensitive, as in xCAT).</param>
    /// <returns><see langword="true"/> when the table has that column.</returns>
    public bool HasColumn(string column) => _columnIndex.ContainsKey(column);

    /// <summary>Returns the position of <paramref name="column"/> in schema order, or -1.</summary>
    /// <param name="column">The column name.</param>
    /// <returns>The zero-based index, or -1 when the table has no such column.</returns>
    public int IndexOf(string column) => _columnIndex.TryGetValue(column, out var index) ? index : -1;
}
