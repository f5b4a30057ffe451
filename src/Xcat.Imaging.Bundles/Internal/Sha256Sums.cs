using System.Text;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Bundles.Internal;

/// <summary>
/// The <c>SHA256SUMS</c> file of a bundle image directory in <c>sha256sum</c>'s text format, so that
/// <c>cd &lt;image&gt; &amp;&amp; sha256sum -c SHA256SUMS</c> checks an extracted bundle. Names holding a backslash or
/// a newline use GNU's escaped form (a leading <c>\</c>). Names are bytes: the file is read and written with
/// <see cref="UnixNameEncoding"/>, so a name that is not UTF-8 is listed as the bytes sha256sum itself prints.
/// </summary>
internal static class Sha256Sums
{
    public const string FileName = "SHA256SUMS";

    /// <summary>Caps the file at a size no honest bundle needs (about 400 bytes a line for a million files).</summary>
    public const long MaximumSize = 512 * 1024 * 1024;

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

    /// <summary>The longest line read: a hash, two separators and a name of PATH_MAX bytes, every byte escaped.</summary>
    public const int MaximumLineLength = 64 + 3 + (2 * 4096);

    /// <summary>
    /// Reads the file line by line, holding one line at a time: a malformed line, or one longer than
    /// <see cref="MaximumLineLength"/>, is an <see cref="InvalidDataException"/> naming it. Empty lines are skipped.
    /// </summary>
    public static IEnumerable<(long LineNumber, string Name, Sha256Value Hash)> Read(Stream stream, string where)
    {
        var buffer = new byte[1 << 16];
        var line = new byte[MaximumLineLength];
        var lineLength = 0;
        long lineNumber = 1;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = buffer.AsSpan(start, read - start).IndexOf((byte)'\n');
                var end = newline < 0 ? read : start + newline;
                var length = end - start;
                if (lineLength + length > line.Length)
                {
                    throw new InvalidDataException($"{where}, line {lineNumber}, is longer than {MaximumLineLength} bytes; it is not a sha256sum line.");
                }

                buffer.AsSpan(start, length).CopyTo(line.AsSpan(lineLength));
                lineLength += length;
                if (newline < 0)
                {
                    break;
                }

                if (lineLength > 0)
                {
                    yield return ParseLine(UnixNameEncoding.GetString(line.AsSpan(0, lineLength)), where, lineNumber);
                }

                lineLength = 0;
                lineNumber++;
                start = end + 1;
            }
        }

        if (lineLength > 0)
        {
            yield return ParseLine(UnixNameEncoding.GetString(line.AsSpan(0, lineLength)), where, lineNumber);
        }
    }

    private static (long LineNumber, string Name, Sha256Value Hash) ParseLine(string raw, string where, long lineNumber)
    {
        var escaped = raw[0] == '\\';
        var line = escaped ? raw[1..] : raw;
        if (line.Length < 66 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || !Sha256Value.TryParseHex(line.AsSpan(0, 64), out var hash))
        {
            throw new InvalidDataException($"{where}, line {lineNumber}, is not a sha256sum line: '{Imaging.DisplayText.Escape(Shorten(raw))}'.");
        }

        var name = line[66..];
        return (lineNumber, escaped ? Unescape(name, where, lineNumber) : name, hash);
    }

    private static string Unescape(string name, string where, long lineNumber)
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

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
