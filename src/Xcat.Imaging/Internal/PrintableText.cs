using System.Text;

namespace Xcat.Imaging.Internal;

/// <summary>
/// Escapes untrusted text (member names, manifest values) for one-line messages, as GNU tar quotes names: a backslash
/// and the C escapes for backslash, newline, tab and the like, octal <c>\ooo</c> for other control characters.
/// </summary>
internal static class PrintableText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var clean = true;
        foreach (var c in text)
        {
            if (c == '\\' || char.IsControl(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\a': builder.Append(@"\a"); break;
                case '\b': builder.Append(@"\b"); break;
                case '\f': builder.Append(@"\f"); break;
                case '\v': builder.Append(@"\v"); break;
                default:
                    if (char.IsControl(c))
                    {
                        foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                        {
                            builder.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                        }
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
