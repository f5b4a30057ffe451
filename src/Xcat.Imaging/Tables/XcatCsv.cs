using System.Text;

namespace Xcat.Imaging.Tables;

/// <summary>xCAT's table CSV: what tabdump writes and tabrestore reads (spec §6.4). The format lives only here.</summary>
internal static class XcatCsv
{
    /// <summary>Line 1 of a dump: <c>#</c> and the column names joined by commas.</summary>
    public static string FormatHeader(IEnumerable<string> columns) => "#" + string.Join(',', columns);

    /// <summary>
    /// One row: empty values give nothing, others are quoted with every <c>"</c> doubled; N columns give N-1 commas.
    /// Newlines inside values are written raw.
    /// </summary>
    public static string FormatRow(IEnumerable<string?> values)
    {
        var line = new StringBuilder();
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                line.Append(',');
            }

            first = false;
            if (!string.IsNullOrEmpty(value))
            {
                line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return line.ToString();
    }

    /// <summary>Parses the header line of a restore file into column names.</summary>
    /// <exception cref="InvalidDataException">The line does not start with <c>#</c>.</exception>
    public static IReadOnlyList<string> ParseHeader(string? line)
    {
        if (line is null || !line.StartsWith('#'))
        {
            throw new InvalidDataException("Data missing header line starting with #");
        }

        return line[1..].TrimEnd().Replace("\"", string.Empty, StringComparison.Ordinal).Split(',');
    }

    /// <summary>
    /// Reads the data rows after the header. A quoted field may span lines and has <c>""</c> for <c>"</c>; an unquoted
    /// field runs to the next comma; an empty field is NULL; trailing whitespace of each line is ignored.
    /// </summary>
    /// <param name="reader">The text after the header line.</param>
    /// <param name="columnCount">The number of columns in the header.</param>
    /// <param name="firstLineNumber">The line number of the first data line, for messages.</param>
    /// <exception cref="InvalidDataException">A row is malformed; the message names the line.</exception>
    public static IEnumerable<(int LineNumber, string?[] Fields)> ParseRows(TextReader reader, int columnCount, int firstLineNumber)
    {
        var lineNumber = firstLineNumber - 1;
        while (reader.ReadLine() is { } physical)
        {
            lineNumber++;
            var line = physical.TrimEnd();
            if (line.Length == 0)
            {
                continue;
            }

            var startLine = lineNumber;
            var original = line;
            var fields = new List<string?>();
            var position = 0;
            while (true)
            {
                string? field;
                var fieldStart = position;
                if (position < line.Length && line[position] == '"')
                {
                    var value = new StringBuilder();
                    position++;
                    while (true)
                    {
                        if (position >= line.Length)
                        {
                            // The quoted value goes on in the next physical line.
                            var next = reader.ReadLine()
                                ?? throw new InvalidDataException($"CSV unmatched \" in record on line {startLine}, character {fieldStart}: {original}");
                            lineNumber++;
                            value.Append('\n');
                            line = next.TrimEnd();
                            original += "\n" + line;
                            position = 0;
                            continue;
                        }

                        var c = line[position++];
                        if (c != '"')
                        {
                            value.Append(c);
                        }
                        else if (position < line.Length && line[position] == '"')
                        {
                            value.Append('"');
                            position++;
                        }
                        else
                        {
                            break;
                        }
                    }

                    if (position < line.Length && line[position] != ',')
                    {
                        throw new InvalidDataException($"CSV unescaped \" in record on line {startLine}, character {fieldStart}: {original}");
                    }

                    field = value.Length == 0 ? null : value.ToString();
                }
                else
                {
                    var comma = line.IndexOf(',', position);
                    var end = comma < 0 ? line.Length : comma;
                    var raw = line[position..end];
                    if (raw.Contains('"', StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"CSV missing opening \" for record with \" characters on line {startLine}, character {fieldStart}: {original}");
                    }

                    position = end;
                    field = raw.Length == 0 ? null : raw;
                }

                fields.Add(field);
                if (fields.Count > columnCount)
                {
                    throw new InvalidDataException($"Too many fields on line {startLine}: {original}");
                }

                if (position >= line.Length)
                {
                    break;
                }

                position++; // past the comma
                if (position >= line.Length)
                {
                    fields.Add(null);
                    if (fields.Count > columnCount)
                    {
                        throw new InvalidDataException($"Too many fields on line {startLine}: {original}");
                    }

                    break;
                }
            }

            while (fields.Count < columnCount)
            {
                fields.Add(null);
            }

            yield return (startLine, fields.ToArray());
        }
    }
}
