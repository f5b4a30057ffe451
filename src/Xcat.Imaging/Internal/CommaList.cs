namespace Xcat.Imaging.Internal;

/// <summary>xCAT's comma-separated attribute values: split on every <c>,</c>, empty items dropped (xCAT's DBobjUtils.pm, setobjdefs).</summary>
internal static class CommaList
{
    public static IReadOnlyList<string> Split(string? value)
        => string.IsNullOrEmpty(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static string? Join(IReadOnlyList<string> items) => items.Count == 0 ? null : string.Join(',', items);
}
