using System.Collections;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// One row of an xCAT table: column name to value. Columns that are NULL or empty are absent, because xCAT treats an
/// empty string as "not set" (xCAT's Table.pm, <c>Table.pm::getAttribs</c>).
/// </summary>
public sealed class CatalogRow : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values;

    /// <summary>Initializes a row from column values; null and empty values are dropped.</summary>
    /// <param name="values">The column values.</param>
    public CatalogRow(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                _values[column] = value;
            }
        }
    }

    /// <summary>Gets the value of <paramref name="column"/>, or <see langword="null"/> when it is not set.</summary>
    /// <param name="column">The column name.</param>
    public string? this[string column] => _values.TryGetValue(column, out var value) ? value : null;

    string IReadOnlyDictionary<string, string>.this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <summary>
    /// Gets whether xCAT hides this row: its <c>disable</c> column holds anything other than <c>0</c> or <c>no</c>
    /// (case-insensitive), xCAT's Table.pm.
    /// </summary>
    public bool IsDisabled => this["disable"] is { } value
        && !value.Equals("0", StringComparison.Ordinal)
        && !value.Equals("no", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
        => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
