using System.Text;

namespace Xcat.Imaging.Schema;

/// <summary>xCAT's table CSV: what tabdump writes and tabrestore reads (xCAT's tabutils.pm, tabdump). The format lives only here.</summary>
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
    /// field runs to the next comma; an empty field is NULL; trailing whitespace of each line is ignored. Lines end at
    /// <c>\n</c> only, as for xCAT's tabrestore, so a <c>\r</c> inside a quoted value is kept. Linear in the input: an
    /// unterminated quote is one error that quotes a short excerpt of its first line, never the rest of the file.
    /// </summary>
    /// <param name="reader">The text after the header line.</param>
    /// <param name="columnCount">The number of columns in the header.</param>
    /// <param name="firstLineNumber">The line number of the first data line, for messages.</param>
    /// <exception cref="InvalidDataException">A row is malformed; the message names the line.</exception>
    public static IEnumerable<(int LineNumber, string?[] Fields)> ParseRows(TextReader reader, int columnCount, int firstLineNumber)
    {
        var lines = new LineReader(reader);
        var lineNumber = firstLineNumber - 1;
        while (lines.ReadLine() is { } physical)
        {
            lineNumber++;
            var line = physical.TrimEnd();
            if (line.Length == 0)
            {
                continue;
            }

            var startLine = lineNumber;
            var first = line;
            var fields = new List<string?>();
            var position = 0;
            while (true)
            {
                string? field;
                var fieldStart = position;
                var fieldLine = lineNumber;
                if (position < line.Length && line[position] == '"')
                {
                    var value = new StringBuilder();
                    position++;
                    while (true)
                    {
                        if (position >= line.Length)
                        {
                            // The quoted value goes on in the next physical line.
                            var next = lines.ReadLine()
                                ?? throw new InvalidDataException(
                                    $"CSV unmatched \" in record on line {startLine}, character {fieldStart}: {Excerpt(first)} (the quote opened on line {fieldLine} never closes)");
                            lineNumber++;
                            value.Append('\n');
                            line = next.TrimEnd();
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
                        throw new InvalidDataException($"CSV unescaped \" in record on line {startLine}, character {fieldStart}: {Excerpt(first)}");
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
                        throw new InvalidDataException($"CSV missing opening \" for record with \" characters on line {startLine}, character {fieldStart}: {Excerpt(first)}");
                    }

                    position = end;
                    field = raw.Length == 0 ? null : raw;
                }

                fields.Add(field);
                if (fields.Count > columnCount)
                {
                    throw new InvalidDataException($"Too many fields on line {startLine}: {Excerpt(first)}");
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
                        throw new InvalidDataException($"Too many fields on line {startLine}: {Excerpt(first)}");
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

    /// <summary>The record's first line as a message quotes it: escaped, cut after 80 characters.</summary>
    private static string Excerpt(string line) => DisplayText.Excerpt(line, 80);

    /// <summary>Splits text at <c>\n</c> only (a <c>\r</c> before it is trailing whitespace, trimmed by the caller).</summary>
    private sealed class LineReader(TextReader reader)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private readonly StringBuilder _line = new();
        private int _position;
        private int _length;

        public string? ReadLine()
        {
            _line.Clear();
            var any = false;
            while (true)
            {
                if (_position == _length)
                {
                    _length = reader.Read(_buffer, 0, _buffer.Length);
                    _position = 0;
                    if (_length == 0)
                    {
                        return any ? _line.ToString() : null;
                    }
                }

                any = true;
                var span = _buffer.AsSpan(_position, _length - _position);
                var newline = span.IndexOf('\n');
                if (newline >= 0)
                {
                    _line.Append(span[..newline]);
                    _position += newline + 1;
                    return _line.ToString();
                }

                _line.Append(span);
                _position = _length;
            }
        }
    }
}
