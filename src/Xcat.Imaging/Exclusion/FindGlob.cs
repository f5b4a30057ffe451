using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Translates <c>find -path</c> patterns to regular expressions. GNU find calls <c>fnmatch(pattern, path, 0)</c>:
/// without <c>FNM_PATHNAME</c> and <c>FNM_PERIOD</c>, so <c>*</c>, <c>?</c> and bracket expressions also match
/// <c>/</c> and leading dots; backslash escapes. Details follow glibc's <c>fnmatch_loop.c</c>: <c>[!...]</c> and
/// <c>[^...]</c> negate, <c>]</c> first in a bracket is literal, an unterminated <c>[</c> is a literal <c>[</c>, a
/// trailing <c>\</c> and an unknown <c>[:class:]</c> never match. Character classes use the C locale (ASCII).
/// </summary>
internal static class FindGlob
{
    private const string NeverMatches = @"[^\u0000-\uFFFF]";

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline;

    /// <summary>
    /// One regex that matches a whole path when any of <paramref name="patterns"/> does; the non-backtracking engine
    /// keeps a match linear in the path length however many patterns there are.
    /// </summary>
    public static Regex ToRegex(IEnumerable<string> patterns)
    {
        var builder = new StringBuilder(@"\A(?:");
        var first = true;
        foreach (var pattern in patterns)
        {
            if (!first)
            {
                builder.Append('|');
            }

            first = false;
            builder.Append(Translate(pattern));
        }

        return new Regex(builder.Append(@")\z").ToString(), Options);
    }

    /// <summary>The regex body for one pattern.</summary>
    public static string Translate(string pattern)
    {
        var builder = new StringBuilder(pattern.Length * 2);
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    while (i < pattern.Length && pattern[i] == '*')
                    {
                        i++;
                    }

                    builder.Append(".*");
                    break;
                case '?':
                    builder.Append('.');
                    i++;
                    break;
                case '\\':
                    if (i + 1 == pattern.Length)
                    {
                        // glibc: "Trailing \ loses."
                        return NeverMatches;
                    }

                    AppendLiteral(builder, pattern[i + 1]);
                    i += 2;
                    break;
                case '[':
                    var end = TryTranslateBracket(pattern, i, builder, out var valid);
                    if (!valid)
                    {
                        return NeverMatches;
                    }

                    if (end < 0)
                    {
                        // Unterminated: the '[' is an ordinary character.
                        AppendLiteral(builder, '[');
                        i++;
                    }
                    else
                    {
                        i = end;
                    }

                    break;
                default:
                    AppendLiteral(builder, c);
                    i++;
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Translates the bracket expression at <paramref name="start"/>; returns the index after its <c>]</c>, or -1 when
    /// it is unterminated (nothing appended). <paramref name="valid"/> is false for an unknown character class.
    /// </summary>
    private static int TryTranslateBracket(string pattern, int start, StringBuilder output, out bool valid)
    {
        valid = true;
        var i = start + 1;
        var negate = i < pattern.Length && pattern[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var ranges = new List<(char Low, char High)>();
        var firstItem = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                return -1;
            }

            var c = pattern[i];
            if (c == ']' && !firstItem)
            {
                i++;
                break;
            }

            firstItem = false;
            char low;
            if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] is ':' or '=' or '.')
            {
                var kind = pattern[i + 1];
                var close = pattern.IndexOf(string.Concat(kind.ToString(), "]"), i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return -1;
                }

                var name = pattern[(i + 2)..close];
                i = close + 2;
                if (kind == ':')
                {
                    if (!AddClass(name, ranges))
                    {
                        valid = false;
                        return -1;
                    }

                    continue;
                }

                // [=c=] and [.c.]: a single character (no multi-character collating elements in the C locale).
                if (name.Length != 1)
                {
                    valid = false;
                    return -1;
                }

                low = name[0];
            }
            else if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    return -1;
                }

                low = pattern[i + 1];
                i += 2;
            }
            else
            {
                low = c;
                i++;
            }

            // A range: '-' followed by anything but the closing ']'.
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                var high = pattern[i + 1];
                i += 2;
                if (high == '\\' && i < pattern.Length)
                {
                    high = pattern[i];
                    i++;
                }

                if (low <= high)
                {
                    ranges.Add((low, high));
                }

                continue;
            }

            ranges.Add((low, low));
        }

        if (ranges.Count == 0)
        {
            output.Append(negate ? @"[\u0000-\uFFFF]" : NeverMatches);
            return i;
        }

        output.Append('[');
        if (negate)
        {
            output.Append('^');
        }

        foreach (var (low, high) in ranges)
        {
            AppendClassChar(output, low);
            if (high != low)
            {
                output.Append('-');
                AppendClassChar(output, high);
            }
        }

        output.Append(']');
        return i;
    }

    private static bool AddClass(string name, List<(char Low, char High)> ranges)
    {
        switch (name)
        {
            case "alpha":
                ranges.Add(('A', 'Z'));
                ranges.Add(('a', 'z'));
                return true;
            case "digit":
                ranges.Add(('0', '9'));
                return true;
            case "alnum":
                ranges.Add(('0', '9'));
                ranges.Add(('A', 'Z'));
                ranges.Add(('a', 'z'));
                return true;
            case "upper":
                ranges.Add(('A', 'Z'));
                return true;
            case "lower":
                ranges.Add(('a', 'z'));
                return true;
            case "xdigit":
                ranges.Add(('0', '9'));
                ranges.Add(('A', 'F'));
                ranges.Add(('a', 'f'));
                return true;
            case "space":
                ranges.Add(('\t', '\r'));
                ranges.Add((' ', ' '));
                return true;
            case "blank":
                ranges.Add(('\t', '\t'));
                ranges.Add((' ', ' '));
                return true;
            case "punct":
                ranges.Add(('!', '/'));
                ranges.Add((':', '@'));
                ranges.Add(('[', '`'));
                ranges.Add(('{', '~'));
                return true;
            case "print":
                ranges.Add((' ', '~'));
                return true;
            case "graph":
                ranges.Add(('!', '~'));
                return true;
            case "cntrl":
                ranges.Add(('\0', '\u001f'));
                ranges.Add(('\u007f', '\u007f'));
                return true;
            default:
                return false;
        }
    }

    private static void AppendLiteral(StringBuilder builder, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or ',' or ':' or '@' or '%' or '=' or '~' or '<' or '>' or '\'' or '"' or '!' or '&' or ';')
        {
            builder.Append(c);
        }
        else
        {
            builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
    }

    private static void AppendClassChar(StringBuilder builder, char c) =>
        builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
