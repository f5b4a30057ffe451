using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Definitions;

/// <summary>Binds one table column to one property of a row record.</summary>
internal sealed record ColumnBinding<T>(string Column, Func<T, string?> Get, Func<T, string?, T> Set)
{
    public static ColumnBinding<T> Text(string column, Func<T, string?> get, Func<T, string?, T> set)
        => new(column, r => string.IsNullOrEmpty(get(r)) ? null : get(r), (r, v) => set(r, string.IsNullOrEmpty(v) ? null : v));

    public static ColumnBinding<T> List(string column, Func<T, IReadOnlyList<string>> get, Func<T, IReadOnlyList<string>, T> set)
        => new(column, r => CommaList.Join(get(r)), (r, v) => set(r, CommaList.Split(v)));
}
