namespace Xcat.Imaging.Tables;

/// <summary>One value that gettab found: the table, the column and the value of the selected row.</summary>
public sealed class TableColumnValue
{
    /// <summary>Initializes a value.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="column">The column name.</param>
    /// <param name="value">The value, or <see langword="null"/> when the column is not set.</param>
    public TableColumnValue(string table, string column, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(column);
        Table = table;
        Column = column;
        Value = value;
    }

    /// <summary>Gets the table name.</summary>
    public string Table { get; }

    /// <summary>Gets the column name.</summary>
    public string Column { get; }

    /// <summary>Gets the value, or <see langword="null"/> when the column is not set.</summary>
    public string? Value { get; }
}
