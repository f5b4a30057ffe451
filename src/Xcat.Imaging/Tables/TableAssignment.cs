using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Tables;

/// <summary>
/// One <c>table.column=value</c> (or <c>table.column+=value</c>) of chtab and tabch (xCAT's <c>chtab</c> man page).
/// </summary>
public sealed class TableAssignment
{
    /// <summary>Initializes an assignment.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="column">The column name.</param>
    /// <param name="value">The new value; empty clears the column.</param>
    /// <param name="mode"><see cref="AttributeChangeMode.Replace"/> (<c>=</c>) or <see cref="AttributeChangeMode.Plus"/> (<c>+=</c>).</param>
    /// <exception cref="ArgumentException">The table or column is empty, or the mode is <see cref="AttributeChangeMode.Minus"/>.</exception>
    public TableAssignment(string table, string column, string value, AttributeChangeMode mode = AttributeChangeMode.Replace)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        if (mode is not (AttributeChangeMode.Replace or AttributeChangeMode.Plus))
        {
            throw new ArgumentException("chtab assigns with '=' or appends with '+='; it has no '-='.", nameof(mode));
        }

        Table = table;
        Column = column;
        Value = value;
        Mode = mode;
    }

    /// <summary>Gets the table name.</summary>
    public string Table { get; }

    /// <summary>Gets the column name.</summary>
    public string Column { get; }

    /// <summary>Gets the new value (with <see cref="AttributeChangeMode.Plus"/>, the comma-list items to append).</summary>
    public string Value { get; }

    /// <summary>Gets whether the value replaces the column or is appended to its comma list.</summary>
    public AttributeChangeMode Mode { get; }

    /// <summary>
    /// Parses <c>table.column=value</c> or <c>table.column+=value</c>: the table ends at the first <c>.</c>, the value
    /// starts after the first <c>+=</c> or else the first <c>=</c>, as xCAT's chtab splits it.
    /// </summary>
    /// <param name="text">The argument.</param>
    /// <returns>The assignment.</returns>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static TableAssignment Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var rest = dot < 0 ? string.Empty : text[(dot + 1)..];
        var plus = rest.IndexOf("+=", StringComparison.Ordinal);
        var eq = rest.IndexOf('=', StringComparison.Ordinal);
        var append = plus >= 0 && plus < eq;
        var column = append ? rest[..plus] : eq >= 0 ? rest[..eq] : string.Empty;
        if (dot <= 0 || column.Length == 0)
        {
            throw new ArgumentException($"'{text}' is not of the form table.column=value.", nameof(text));
        }

        var value = append ? rest[(plus + 2)..] : rest[(eq + 1)..];
        return new TableAssignment(text[..dot], column, value, append ? AttributeChangeMode.Plus : AttributeChangeMode.Replace);
    }
}
