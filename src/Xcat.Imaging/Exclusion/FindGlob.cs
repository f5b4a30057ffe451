namespace Xcat.Imaging.Exclusion;

/// <summary>
/// One compiled <c>find -path</c> pattern. GNU find calls <c>fnmatch(pattern, path, 0)</c>: without
/// <c>FNM_PATHNAME</c> and <c>FNM_PERIOD</c>, so <c>*</c>, <c>?</c> and bracket expressions also match <c>/</c> and
/// leading dots; backslash escapes. Details follow glibc's <c>fnmatch_loop.c</c>: <c>[!...]</c> and <c>[^...]</c>
/// negate, <c>]</c> first in a bracket is literal, an unterminated <c>[</c> is a literal <c>[</c>, a trailing <c>\</c>
/// and an unknown <c>[:class:]</c> never match. Character classes use the C locale (ASCII).
/// </summary>
/// <remarks>
/// The pattern is split into its literal prefix (what <see cref="GlobSet"/> indexes) and fixed-length segments
/// between stars. Every token but <c>*</c> matches exactly one character, so the leftmost occurrence of each middle
/// segment is always a right choice and a match costs at most path length × pattern length, with no backtracking.
/// </remarks>
internal sealed class FindGlob
{
    private readonly Segment[] _segments;
    private readonly bool _starred;
    private readonly int _minimumRestLength;
    private readonly int _restStart;

    private FindGlob(string pattern, FindGlobKind kind, string prefix, Segment[] segments, bool starred, int restStart)
    {
        _restStart = restStart;
        Pattern = pattern;
        Kind = kind;
        Prefix = prefix;
        _segments = segments;
        _starred = starred;
        _minimumRestLength = segments.Sum(static s => s.Length);
        Factors = [.. segments.SelectMany(static s => s.LiteralRuns()).Distinct(StringComparer.Ordinal)];
        var last = segments[^1].Tests;
        var literalTail = last.Length - Array.FindLastIndex(last, static t => !t.IsLiteral) - 1;
        Suffix = new string([.. last[^literalTail..].Select(static t => t.Low)]);
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    public FindGlobKind Kind { get; }

    /// <summary>The characters every match starts with: the pattern up to its first <c>*</c>, <c>?</c> or bracket, unescaped.</summary>
    public string Prefix { get; }

    /// <summary>
    /// The literal runs after <see cref="Prefix"/>, such as <c>/site-packages/</c> in
    /// <c>./usr/lib/python3*/site-packages/*</c>: a path can only match if it contains each of them.
    /// </summary>
    public IReadOnlyList<string> Factors { get; }

    /// <summary>
    /// The characters every match ends with: the literal run that ends the pattern (<c>.pyc</c> in <c>*.pyc</c>), empty
    /// when it ends with <c>*</c>, <c>?</c> or a bracket. Like <see cref="Prefix"/> it is anchored, so an index can use it.
    /// </summary>
    public string Suffix { get; }

    public static FindGlob Compile(string pattern)
    {
        var prefix = new List<char>();
        var segments = new List<Segment>();
        var current = new List<CharTest>();
        var starred = false;
        var restStart = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            var tokenStart = i;
            CharTest test;
            switch (c)
            {
                case '*':
                    restStart = restStart < 0 ? tokenStart : restStart;
                    while (i < pattern.Length && pattern[i] == '*')
                    {
                        i++;
                    }

                    segments.Add(new Segment([.. current]));
                    current.Clear();
                    starred = true;
                    continue;
                case '?':
                    test = CharTest.Any;
                    i++;
                    break;
                case '\\':
                    if (i + 1 == pattern.Length)
                    {
                        // glibc: "Trailing \ loses."
                        return Never(pattern);
                    }

                    test = CharTest.Literal(pattern[i + 1]);
                    i += 2;
                    break;
                case '[':
                    var end = ParseBracket(pattern, i, out var bracket, out var valid);
                    if (!valid)
                    {
                        return Never(pattern);
                    }

                    if (end < 0)
                    {
                        // Unterminated: the '[' is an ordinary character.
                        test = CharTest.Literal('[');
                        i++;
                    }
                    else if (bracket is null)
                    {
                        // An empty set such as [z-a]: no character matches it.
                        return Never(pattern);
                    }
                    else
                    {
                        test = bracket.Value;
                        i = end;
                    }

                    break;
                default:
                    test = CharTest.Literal(c);
                    i++;
                    break;
            }

            if (!starred && segments.Count == 0 && current.Count == prefix.Count && test.IsLiteral)
            {
                prefix.Add(test.Low);
            }
            else if (restStart < 0)
            {
                restStart = tokenStart;
            }

            current.Add(test);
        }

        segments.Add(new Segment([.. current]));
        var prefixText = new string([.. prefix]);

        // The prefix is matched by the caller (or the set's index), so the first segment keeps only what follows it.
        segments[0] = new Segment(segments[0].Tests[prefix.Count..]);
        var kind = !starred && segments[0].Length == 0 ? FindGlobKind.Literal
            : starred && segments.TrueForAll(static s => s.Length == 0) ? FindGlobKind.Prefix
            : FindGlobKind.Pattern;
        return new FindGlob(pattern, kind, prefixText, [.. segments], starred, restStart < 0 ? pattern.Length : restStart);
    }

    /// <summary>The pattern after <see cref="Prefix"/>: it matches what follows the prefix in the paths this one matches.</summary>
    public FindGlob CompileRest() => Compile(Pattern[_restStart..]);

    /// <summary>Tests a whole path, as <c>find -path</c> does.</summary>
    public bool IsMatch(ReadOnlySpan<char> path)
        => Kind != FindGlobKind.Never && path.StartsWith(Prefix, StringComparison.Ordinal) && IsRestMatch(path[Prefix.Length..]);

    /// <summary>Tests what follows <see cref="Prefix"/> in a path that starts with it.</summary>
    public bool IsRestMatch(ReadOnlySpan<char> rest)
    {
        if (Kind == FindGlobKind.Never || rest.Length < _minimumRestLength)
        {
            return false;
        }

        var first = _segments[0];
        if (!_starred)
        {
            return rest.Length == first.Length && first.MatchesAt(rest, 0);
        }

        var last = _segments[^1];
        if (!first.MatchesAt(rest, 0) || !last.MatchesAt(rest, rest.Length - last.Length))
        {
            return false;
        }

        var position = first.Length;
        var end = rest.Length - last.Length;
        for (var i = 1; i < _segments.Length - 1; i++)
        {
            var segment = _segments[i];
            var found = segment.IndexIn(rest[position..end]);
            if (found < 0)
            {
                return false;
            }

            position += found + segment.Length;
        }

        return true;
    }

    public override string ToString() => Pattern;

    private static FindGlob Never(string pattern) => new(pattern, FindGlobKind.Never, string.Empty, [new Segment([])], starred: false, restStart: 0);

    /// <summary>
    /// Parses the bracket expression at <paramref name="start"/>; returns the index after its <c>]</c>, or -1 when it is
    /// unterminated. <paramref name="valid"/> is false for an unknown character class; <paramref name="test"/> is null
    /// for a set that matches nothing.
    /// </summary>
    private static int ParseBracket(string pattern, int start, out CharTest? test, out bool valid)
    {
        test = null;
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
            test = negate ? CharTest.Any : null;
            return i;
        }

        test = CharTest.Set([.. ranges], negate);
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

    /// <summary>A token that matches exactly one character: a literal, <c>?</c> or a bracket expression.</summary>
    private readonly record struct CharTest(char Low, (char Low, char High)[]? Ranges, bool Negate, bool IsAny)
    {
        public static CharTest Any => new('\0', null, false, true);

        public bool IsLiteral => !IsAny && Ranges is null;

        public static CharTest Literal(char c) => new(c, null, false, false);

        public static CharTest Set((char Low, char High)[] ranges, bool negate) => new('\0', ranges, negate, false);

        public bool Matches(char c)
        {
            if (IsAny)
            {
                return true;
            }

            if (Ranges is null)
            {
                return c == Low;
            }

            foreach (var (low, high) in Ranges)
            {
                if (c >= low && c <= high)
                {
                    return !Negate;
                }
            }

            return Negate;
        }
    }

    /// <summary>The tokens between two stars; <see cref="Literal"/> when they are all literal characters.</summary>
    private sealed class Segment
    {
        public Segment(CharTest[] tests)
        {
            Tests = tests;
            if (Array.TrueForAll(tests, static t => t.IsLiteral))
            {
                Literal = new string([.. tests.Select(static t => t.Low)]);
            }
        }

        public CharTest[] Tests { get; }

        public string? Literal { get; }

        public int Length => Tests.Length;

        public bool MatchesAt(ReadOnlySpan<char> text, int offset)
        {
            if (Literal is not null)
            {
                return text.Slice(offset, Literal.Length).SequenceEqual(Literal);
            }

            for (var i = 0; i < Tests.Length; i++)
            {
                if (!Tests[i].Matches(text[offset + i]))
                {
                    return false;
                }
            }

            return true;
        }

        public IEnumerable<string> LiteralRuns()
        {
            var start = 0;
            for (var i = 0; i <= Tests.Length; i++)
            {
                if (i == Tests.Length || !Tests[i].IsLiteral)
                {
                    if (i > start)
                    {
                        yield return new string([.. Tests[start..i].Select(static t => t.Low)]);
                    }

                    start = i + 1;
                }
            }
        }

        public int IndexIn(ReadOnlySpan<char> text)
        {
            if (Literal is not null)
            {
                return text.IndexOf(Literal, StringComparison.Ordinal);
            }

            for (var start = 0; start + Tests.Length <= text.Length; start++)
            {
                if (MatchesAt(text, start))
                {
                    return start;
                }
            }

            return -1;
        }
    }
}
