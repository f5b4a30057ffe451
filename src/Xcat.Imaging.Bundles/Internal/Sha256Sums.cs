using System.Text;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// The <c>SHA256SUMS</c> file of a bundle image directory in <c>sha256sum</c>'s text format, so that
/// <c>cd &lt;image&gt; &amp;&amp; sha256sum -c SHA256SUMS</c> checks an extracted bundle. Names holding a backslash or
/// a newline use GNU's escaped form (a leading <c>\</c>).
/// </summary>
internal static class Sha256Sums
{
    public const string FileName = "SHA256SUMS";

    /// <summary>Caps the file at a size no honest bundle needs (about 400 bytes a line for a million files).</summary>
    public const int MaximumSize = 512 * 1024 * 1024;

    public static string Format(IEnumerable<KeyValuePair<string, string>> hashes)
    {
        var builder = new StringBuilder();
        foreach (var (name, hash) in hashes.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            if (name.Contains('\\', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal))
            {
                builder.Append('\\').Append(hash).Append("  ")
                    .Append(name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }
            else
            {
                builder.Append(hash).Append("  ").Append(name).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>Parses the file; a malformed line is an <see cref="InvalidDataException"/> naming it.</summary>
    public static Dictionary<string, string> Parse(string text, string where)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            if (raw.Length == 0)
            {
                continue;
            }

            var escaped = raw[0] == '\\';
            var line = escaped ? raw[1..] : raw;
            if (line.Length < 66 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || !IsHex(line.AsSpan(0, 64)))
            {
                throw new InvalidDataException($"{where}, line {lineNumber}, is not a sha256sum line: '{Shorten(raw)}'.");
            }

            var name = line[66..];
            if (escaped)
            {
                name = Unescape(name, where, lineNumber);
            }

            if (!result.TryAdd(name, line[..64].ToLowerInvariant()))
            {
                throw new InvalidDataException($"{where} lists '{name}' twice (line {lineNumber}).");
            }
        }

        return result;
    }

    private static string Unescape(string name, string where, int lineNumber)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '\\')
            {
                builder.Append(name[i]);
                continue;
            }

            if (++i == name.Length)
            {
                throw new InvalidDataException($"{where}, line {lineNumber}, ends in a lone backslash.");
            }

            builder.Append(name[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ => throw new InvalidDataException($"{where}, line {lineNumber}, has the unknown escape '\\{name[i]}'."),
            });
        }

        return builder.ToString();
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
