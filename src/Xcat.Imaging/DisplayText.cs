using System.Buffers;
using System.Text;

namespace Xcat.Imaging;

/// <summary>
/// Makes text from archives, definitions and other untrusted input safe to print on one line of a listing or a
/// terminal: a newline in a name cannot forge another line and an escape sequence never reaches the terminal.
/// </summary>
/// <remarks>
/// <see cref="Escape"/> follows GNU tar's <c>escape</c> quoting style (its default for listings and diagnostics):
/// <c>\a \b \t \n \v \f \r</c> and <c>\\</c>, and every other control character as the octal <c>\ooo</c> of its UTF-8
/// bytes. Besides the C0 and C1 controls and DEL it escapes the Unicode line and paragraph separators and the
/// bidirectional formatting characters, which can make a line display as something it is not. A byte of a name
/// that is not UTF-8 (see <see cref="Unix.UnixNameEncoding"/>) is shown as the octal <c>\ooo</c> of that byte, as GNU
/// tar shows it. Everything else, non-ASCII letters included, is kept.
/// </remarks>
public static class DisplayText
{
    private static readonly SearchValues<char> s_special = SearchValues.Create(BuildSpecial(withBackslash: true));
    private static readonly SearchValues<char> s_control = SearchValues.Create(BuildSpecial(withBackslash: false));

    /// <summary>Escapes a name or value as GNU tar's <c>escape</c> quoting style does; see <see cref="DisplayText"/>.</summary>
    /// <param name="text">The text; <see langword="null"/> is treated as empty.</param>
    /// <returns><paramref name="text"/> itself when nothing needs escaping, otherwise the escaped copy.</returns>
    public static string Escape(string? text) => EscapeCore(text, s_special);

    /// <summary>
    /// Escapes only the characters <see cref="Escape"/> writes as control escapes, keeping backslashes: for a whole
    /// message whose names are already escaped, so that they are not escaped twice.
    /// </summary>
    /// <param name="text">The text; <see langword="null"/> is treated as empty.</param>
    /// <returns><paramref name="text"/> itself when it has no control characters, otherwise the escaped copy.</returns>
    public static string EscapeControlCharacters(string? text) => EscapeCore(text, s_control);

    /// <summary>
    /// Tells whether <paramref name="text"/> prints as it is: nothing in it but backslashes would be escaped. lsdef and
    /// tabdump print such values raw, keeping xCAT's bytes for values like <c>|\D+(\d+)|</c>.
    /// </summary>
    /// <param name="text">The text; <see langword="null"/> is treated as empty.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> has no character <see cref="EscapeControlCharacters"/> escapes.</returns>
    public static bool HasNoControlCharacters(string? text)
    {
        var span = text.AsSpan();
        for (var at = span.IndexOfAny(s_control); at >= 0; at = span.IndexOfAny(s_control))
        {
            if (!char.IsLowSurrogate(span[at]) || at == 0 || !char.IsHighSurrogate(span[at - 1]))
            {
                return false;
            }

            span = span[(at + 1)..];
        }

        return true;
    }

    /// <summary>
    /// A short, escaped excerpt of <paramref name="text"/> for an error message: at most <paramref name="maxLength"/>
    /// characters of it, then <c>...</c> and the total length when it is longer.
    /// </summary>
    /// <param name="text">The text; <see langword="null"/> is treated as empty.</param>
    /// <param name="maxLength">How many characters of <paramref name="text"/> to keep; at least 2.</param>
    /// <returns>The escaped excerpt.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 2.</exception>
    public static string Excerpt(string? text, int maxLength = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text is null || text.Length <= maxLength)
        {
            return Escape(text);
        }

        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Escape(text[..cut])}... ({text.Length} characters)");
    }

    private static string EscapeCore(string? text, SearchValues<char> special)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = text.AsSpan().IndexOfAny(special);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!special.Contains(c) || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1])))
            {
                builder.Append(c);
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                // A byte of a name that is not UTF-8 (UnixNameEncoding's escape), shown as the byte it is.
                builder.Append('\\').Append(Convert.ToString(c - 0xDC00, 8).PadLeft(3, '0'));
                continue;
            }

            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\a': builder.Append(@"\a"); break;
                case '\b': builder.Append(@"\b"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\v': builder.Append(@"\v"); break;
                case '\f': builder.Append(@"\f"); break;
                case '\r': builder.Append(@"\r"); break;
                default:
                    var length = Encoding.UTF8.GetBytes(new ReadOnlySpan<char>(in c), utf8);
                    foreach (var b in utf8[..length])
                    {
                        builder.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static string BuildSpecial(bool withBackslash)
    {
        var characters = new StringBuilder();
        for (var c = '\0'; c < 0x20; c++)
        {
            characters.Append(c);
        }

        // DEL and the C1 controls (U+009B is a one-byte CSI on some terminals), the line and paragraph separators,
        // and the bidirectional marks, embeddings, overrides and isolates.
        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            characters.Append(c);
        }

        // The bytes of names that are not UTF-8, as UnixNameEncoding escapes them.
        for (var c = '\uDC80'; c <= '\uDCFF'; c++)
        {
            characters.Append(c);
        }

        characters.Append("\u061C\u200E\u200F\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        if (withBackslash)
        {
            characters.Append('\\');
        }

        return characters.ToString();
    }
}
