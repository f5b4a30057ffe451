namespace Xcat.Imaging.Exclusion;

/// <summary>Brings image paths into the form <c>find .</c> prints, which exlist patterns are written against.</summary>
internal static class ImagePath
{
    /// <summary>
    /// <c>./usr/x</c> stays; <c>usr/x</c> and <c>/usr/x</c> become <c>./usr/x</c>; the root (<c>""</c>, <c>.</c>,
    /// <c>./</c>, <c>/</c>) becomes <c>.</c>; a trailing <c>/</c> is dropped, because find never prints one.
    /// </summary>
    public static string Normalize(string path)
    {
        var end = path.Length;
        while (end > 0 && path[end - 1] == '/')
        {
            end--;
        }

        var span = path.AsSpan(0, end);
        if (span.StartsWith("./", StringComparison.Ordinal))
        {
            return end == path.Length ? path : span.ToString();
        }

        if (span.IsEmpty || span is ".")
        {
            return ".";
        }

        return span[0] == '/' ? string.Concat(".", span) : string.Concat("./", span);
    }
}
