namespace Xcat.Imaging.Schema;

/// <summary>
/// xCAT's comma-separated attribute values (groups, pkglist, postscripts, kitcomponents, ...): split on every <c>,</c> with
/// empty items dropped and nothing trimmed, as xCAT's <c>DBobjUtils.pm</c> (setobjdefs) and <c>imgport.pm</c> split them.
/// The one place the library splits or joins such a value.
/// </summary>
public static class CommaList
{
    /// <summary>Splits an attribute value into its items.</summary>
    /// <param name="value">The value, such as <c>a.pkglist,b.pkglist</c>; <see langword="null"/> or empty for none.</param>
    /// <returns>The non-empty items, in order (duplicates kept).</returns>
    public static IReadOnlyList<string> Split(string? value)
        => string.IsNullOrEmpty(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Joins items into an attribute value.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The items joined by <c>,</c>, or <see langword="null"/> when there are none (an unset attribute).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    public static string? Join(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var joined = string.Join(',', items);
        return joined.Length == 0 ? null : joined;
    }
}
