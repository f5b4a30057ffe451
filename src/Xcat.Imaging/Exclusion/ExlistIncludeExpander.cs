using System.Text;
using System.Text.RegularExpressions;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Replaces <c>#INCLUDE:name#</c> tags (anywhere in a line, as packimage's substitution does) by the right-trimmed,
/// non-blank lines of the named file, recursively, keeping each line's origin. Unreadable includes and cycles are
/// errors (xCAT's packimage.pm, exlist describes packimage ignoring the first and looping on the second). The same file may be included
/// many times without a cycle, so a diamond of includes grows exponentially: the expansion stops at
/// <see cref="ExcludeList.MaxExpandedLines"/> lines, <see cref="ExcludeList.MaxFileLength"/> × 4 characters and
/// <see cref="ExcludeList.MaxIncludeDepth"/> nested includes, each refusal naming the include chain.
/// </summary>
internal sealed partial class ExlistIncludeExpander(Func<string, string?, (string Identity, string? Text)> resolve)
{
    private const long MaxExpandedLength = 4L * ExcludeList.MaxFileLength;

    private readonly List<string> _chain = [];
    private int _depth;
    private int _lines;
    private long _length;

    /// <summary>The names of the files <paramref name="text"/> includes directly.</summary>
    public static IEnumerable<string> FindIncludes(string text) => IncludeTag().Matches(text).Select(m => m.Groups[1].Value.Trim());

    /// <summary>Expands a top-level exlist; <paramref name="source"/> is its identity (full path), or null for bare text.</summary>
    public List<ExlistLine> Expand(string text, string? source)
    {
        if (source is not null)
        {
            _chain.Add(source);
        }

        try
        {
            return ExpandLines(Lines(text, nonBlankOnly: false), source);
        }
        finally
        {
            if (source is not null)
            {
                _chain.RemoveAt(_chain.Count - 1);
            }
        }
    }

    // packimage: s/#INCLUDE:([^#^\n]+)#/include_file($1,$idir)/eg
    [GeneratedRegex(@"#INCLUDE:([^#^\n]+)#", RegexOptions.CultureInvariant)]
    private static partial Regex IncludeTag();

    private static IEnumerable<(string Text, int LineNumber)> Lines(string text, bool nonBlankOnly)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (nonBlankOnly)
            {
                // include_file: right-trimmed, blank lines skipped.
                line = line.TrimEnd();
                if (line.Length == 0)
                {
                    continue;
                }
            }

            yield return (line, i + 1);
        }
    }

    private List<ExlistLine> ExpandLines(IEnumerable<(string Text, int LineNumber)> lines, string? source)
    {
        var result = new List<ExlistLine>();
        foreach (var (text, lineNumber) in lines)
        {
            var tags = IncludeTag().Matches(text);
            if (tags.Count == 0)
            {
                Count(1, text.Length);
                result.Add(new ExlistLine(text, source, lineNumber));
                continue;
            }

            // Text before the first included line and after the last joins them, as in a textual substitution.
            var current = new StringBuilder();
            var origin = new ExlistLine(string.Empty, source, lineNumber);
            var position = 0;
            var blank = true; // whether current holds only whitespace, kept so as not to rescan it
            foreach (Match tag in tags)
            {
                current.Append(text, position, tag.Index - position);
                blank &= text.AsSpan(position, tag.Index - position).IsWhiteSpace();
                position = tag.Index + tag.Length;
                var included = Include(tag.Groups[1].Value.Trim(), source);
                for (var i = 0; i < included.Count; i++)
                {
                    if (i > 0)
                    {
                        result.Add(origin with { Text = current.ToString() });
                        current.Clear();
                        blank = true;
                    }

                    if (blank)
                    {
                        origin = included[i];
                    }

                    current.Append(included[i].Text);
                    blank &= string.IsNullOrWhiteSpace(included[i].Text);
                }
            }

            current.Append(text, position, text.Length - position);
            Count(0, text.Length - tags.Sum(static t => t.Length));
            result.Add(origin with { Text = current.ToString() });
        }

        return result;
    }

    /// <summary>
    /// Budgets the expansion: each line of a file each time it is expanded, each include done (so that includes of
    /// empty files cost too), and the characters around tags; what ends up in the list is never more.
    /// </summary>
    private void Count(int lines, int length)
    {
        _lines += lines;
        _length += length;
        if (_lines > ExcludeList.MaxExpandedLines || _length > MaxExpandedLength)
        {
            throw TooLarge();
        }
    }

    private InvalidDataException TooLarge() => new(
        $"The exlist is longer than {ExcludeList.MaxExpandedLines} lines or {MaxExpandedLength} characters with its includes " +
        $"expanded (is a file included many times?), at {(_chain.Count == 0 ? "the exlist text" : string.Join(" -> ", _chain))}.");

    private string Chain(string identity) => string.Join(" -> ", _chain.Count == 0 ? [identity] : _chain.Append(identity));

    private List<ExlistLine> Include(string name, string? includingFile)
    {
        var (identity, text) = resolve(name, includingFile);
        if (text is null)
        {
            throw new FileNotFoundException(
                $"The exlist include '{name}' in {(includingFile is null ? "the exlist text" : $"'{includingFile}'")} cannot be read.",
                identity);
        }

        if (_chain.Contains(identity, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"The exlist includes form a cycle: {string.Join(" -> ", _chain.Append(identity))}.");
        }

        if (_depth >= ExcludeList.MaxIncludeDepth)
        {
            throw new InvalidDataException(
                $"The exlist includes nest more than {ExcludeList.MaxIncludeDepth} deep: {Chain(identity)}.");
        }

        if (text.Length > ExcludeList.MaxFileLength)
        {
            throw new InvalidDataException(
                $"The exlist include '{name}' is longer than {ExcludeList.MaxFileLength} characters: {Chain(identity)}.");
        }

        Count(1, 0);
        _chain.Add(identity);
        _depth++;
        try
        {
            return ExpandLines(Lines(text, nonBlankOnly: true), identity);
        }
        finally
        {
            _depth--;
            _chain.RemoveAt(_chain.Count - 1);
        }
    }
}
