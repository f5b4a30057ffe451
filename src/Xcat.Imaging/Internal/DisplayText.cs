using System.Globalization;
using System.Text;

namespace Xcat.Imaging.Internal;

/// <summary>
/// Makes text from files, archives and the catalog safe to print on a terminal or in a line-oriented listing, with
/// GNU tar's <c>--quoting-style=escape</c>: a backslash becomes <c>\\</c>, the C escapes <c>\a \b \t \n \v \f \r</c>
/// stand for themselves, and every other control character (C0, DEL, C1) and the Unicode line separators and bidi
/// controls are written as <c>\ooo</c>, the octal value of each of their UTF-8 bytes. Printable text, non-ASCII
/// letters included, is unchanged. So a newline cannot start a forged line and no escape sequence reaches a terminal.
/// </summary>
internal static class DisplayText
{
    /// <summary>Escapes <paramref name="value"/> for display.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (HasNoControlCharacters(value) && !value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\a':
                    builder.Append(@"\a");
                    break;
                case '\b':
                    builder.Append(@"\b");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\v':
                    builder.Append(@"\v");
                    break;
                case '\f':
                    builder.Append(@"\f");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                default:
                    if (!NeedsEscape(c))
                    {
                        builder.Append(c);
                        break;
                    }

                    var length = Encoding.UTF8.GetBytes([c], utf8);
                    foreach (var b in utf8[..length])
                    {
                        builder.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Tells whether <paramref name="value"/> has nothing that <see cref="Escape"/> would change but backslashes: such
    /// text prints as it is. lsdef prints these raw, keeping xCAT's bytes for values like <c>|\D+(\d+)|</c>.
    /// </summary>
    public static bool HasNoControlCharacters(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A short, escaped excerpt of <paramref name="value"/> for an error message: at most
    /// <paramref name="maxLength"/> characters of it, then <c>...</c> and the total length when it is longer.
    /// </summary>
    public static string Excerpt(string value, int maxLength = 64)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= maxLength)
        {
            return Escape(value);
        }

        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(CultureInfo.InvariantCulture, $"{Escape(value[..cut])}... ({value.Length} characters)");
    }

    private static bool NeedsEscape(char c)
        => char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
