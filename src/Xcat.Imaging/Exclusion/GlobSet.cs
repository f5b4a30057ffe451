using System.Buffers;

namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Tells whether any of many <see cref="FindGlob"/> patterns matches a path, in time that grows with the path, not with
/// the number of patterns. Literal patterns and <c>prefix*</c> patterns, most of any exlist, are looked up in a trie
/// of their prefixes, walked once along the path. Every other glob is indexed by its longest literal key and tried
/// only on paths that have it: its prefix (<c>./usr/share/vim/vim*/doc*</c> waits at <c>./usr/share/vim/vim</c> in
/// the same trie), its suffix (<c>*.pyc</c>, in a trie of reversed suffixes walked back from the end of the path), or
/// else a factor that may stand anywhere (<c>*/__pycache__/*</c>, found by one vectorized multi-string search).
/// </summary>
/// <remarks>Immutable once built, so thread-safe.</remarks>
internal sealed class GlobSet
{
    private const byte ExactFlag = 1;
    private const byte PrefixFlag = 2;

    private const int NestAbove = 4;

    private readonly Trie _prefixes;
    private readonly Dictionary<int, GlobSet>? _nested;
    private readonly Trie? _suffixes;
    private readonly Trie? _factors;
    private readonly SearchValues<string>? _factorSearch;

    public GlobSet(IEnumerable<FindGlob> globs)
    {
        // The same pattern twice is one test (long site lists repeat lines, often through includes).
        var list = globs.Where(static g => g.Kind != FindGlobKind.Never).DistinctBy(static g => g.Pattern, StringComparer.Ordinal).ToList();
        var prefixEntries = new List<(string Key, byte Flags, FindGlob? Glob)>();
        var suffixEntries = new List<(string Key, byte Flags, FindGlob? Glob)>();
        var factorEntries = new List<(string Key, byte Flags, FindGlob? Glob)>();
        foreach (var glob in list)
        {
            switch (glob.Kind)
            {
                case FindGlobKind.Literal:
                    prefixEntries.Add((glob.Prefix, ExactFlag, null));
                    break;
                case FindGlobKind.Prefix:
                    prefixEntries.Add((glob.Prefix, PrefixFlag, null));
                    break;
                default:
                    // Indexed by its longest literal key; the anchored ones (prefix, suffix) win ties, being more
                    // selective than a factor that may occur anywhere.
                    var factor = glob.Factors.MaxBy(static f => f.Length) ?? string.Empty;
                    if (glob.Prefix.Length >= glob.Suffix.Length && glob.Prefix.Length >= factor.Length)
                    {
                        prefixEntries.Add((glob.Prefix, 0, glob));
                    }
                    else if (glob.Suffix.Length >= factor.Length)
                    {
                        suffixEntries.Add((Reverse(glob.Suffix), 0, glob));
                    }
                    else
                    {
                        factorEntries.Add((factor, 0, glob));
                    }

                    break;
            }
        }

        _prefixes = new Trie(prefixEntries);

        // Many globs behind one prefix (./usr/*/a, ./usr/*/b, ...) are a set of their own, indexed by suffix or factor.
        // Not at the root: there the rests are the globs themselves.
        for (var node = 1; node < _prefixes.NodeCount; node++)
        {
            var attached = _prefixes.Globs(node);
            if (attached.Length > NestAbove)
            {
                _nested ??= [];
                _nested[node] = new GlobSet([.. attached.ToArray().Select(static g => g.CompileRest())]);
            }
        }
        if (suffixEntries.Count > 0)
        {
            _suffixes = new Trie(suffixEntries);
        }

        if (factorEntries.Count > 0)
        {
            _factors = new Trie(factorEntries);
            _factorSearch = SearchValues.Create([.. factorEntries.Select(static e => e.Key).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
        }
    }

    /// <summary>Tells whether any pattern matches the whole <paramref name="path"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> path) => MatchesByPrefix(path) || MatchesBySuffix(path) || MatchesByFactor(path);

    private static string Reverse(string text)
    {
        var chars = text.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    private bool MatchesByPrefix(ReadOnlySpan<char> path)
    {
        var trie = _prefixes;
        var node = 0;
        for (var depth = 0; ; depth++)
        {
            var flags = trie.Flags(node);
            if ((flags & PrefixFlag) != 0)
            {
                return true;
            }

            var attached = trie.Globs(node);
            if (node != 0 && attached.Length > NestAbove)
            {
                if (_nested![node].IsMatch(path[depth..]))
                {
                    return true;
                }
            }
            else
            {
                foreach (var glob in attached)
                {
                    if (glob.IsRestMatch(path[depth..]))
                    {
                        return true;
                    }
                }
            }

            if (depth == path.Length)
            {
                return (flags & ExactFlag) != 0;
            }

            node = trie.Child(node, path[depth]);
            if (node < 0)
            {
                return false;
            }
        }
    }

    private bool MatchesBySuffix(ReadOnlySpan<char> path)
    {
        if (_suffixes is null)
        {
            return false;
        }

        var node = 0;
        for (var i = path.Length - 1; i >= 0; i--)
        {
            node = _suffixes.Child(node, path[i]);
            if (node < 0)
            {
                return false;
            }

            foreach (var glob in _suffixes.Globs(node))
            {
                if (glob.IsMatch(path))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool MatchesByFactor(ReadOnlySpan<char> path)
    {
        if (_factors is null)
        {
            return false;
        }

        var position = 0;
        while (position < path.Length)
        {
            var found = path[position..].IndexOfAny(_factorSearch!);
            if (found < 0)
            {
                return false;
            }

            // Every factor that starts here, shortest first: walk the factor trie from this position.
            var start = position + found;
            var node = 0;
            for (var i = start; i < path.Length; i++)
            {
                node = _factors.Child(node, path[i]);
                if (node < 0)
                {
                    break;
                }

                foreach (var glob in _factors.Globs(node))
                {
                    if (glob.IsMatch(path))
                    {
                        return true;
                    }
                }
            }

            position = start + 1;
        }

        return false;
    }

    /// <summary>A character trie in compressed-row form, with flags and globs at its nodes.</summary>
    private sealed class Trie
    {
        // Node n's edges are [_firstEdge[n], _firstEdge[n + 1]), sorted by character; its globs likewise.
        private readonly int[] _firstEdge;
        private readonly char[] _edgeChars;
        private readonly int[] _edgeTargets;
        private readonly byte[] _flags;
        private readonly int[] _firstGlob;
        private readonly FindGlob[] _globs;

        public Trie(List<(string Key, byte Flags, FindGlob? Glob)> entries)
        {
            // Built from the keys in ordinal order: each key shares its nodes with the one before it up to their common
            // part, and a node's children are created in character order, so no per-node map is needed.
            var sorted = entries.Select(static (e, i) => (Entry: e, Index: i))
                .OrderBy(static e => e.Entry.Key, StringComparer.Ordinal).ThenBy(static e => e.Index)
                .Select(static e => e.Entry);
            var parents = new List<int> { -1 };
            var chars = new List<char> { '\0' };
            var flags = new List<byte> { 0 };
            var attached = new List<(int Node, FindGlob Glob)>();
            var path = new List<int> { 0 };
            var previous = string.Empty;
            foreach (var (key, flag, glob) in sorted)
            {
                var common = key.AsSpan().CommonPrefixLength(previous);
                path.RemoveRange(common + 1, path.Count - common - 1);
                for (var d = common; d < key.Length; d++)
                {
                    parents.Add(path[d]);
                    chars.Add(key[d]);
                    flags.Add(0);
                    path.Add(flags.Count - 1);
                }

                previous = key;
                var node = path[key.Length];
                flags[node] |= flag;
                if (glob is not null)
                {
                    attached.Add((node, glob));
                }
            }

            var nodes = flags.Count;
            _flags = [.. flags];
            _firstEdge = Offsets(nodes, parents.Skip(1));
            _edgeChars = new char[nodes - 1];
            _edgeTargets = new int[nodes - 1];
            var fill = _firstEdge[..nodes];
            for (var n = 1; n < nodes; n++)
            {
                var at = fill[parents[n]]++;
                _edgeChars[at] = chars[n];
                _edgeTargets[at] = n;
            }

            _firstGlob = Offsets(nodes, attached.Select(static a => a.Node));
            _globs = new FindGlob[attached.Count];
            var next = _firstGlob[..nodes];
            foreach (var (node, glob) in attached)
            {
                _globs[next[node]++] = glob;
            }
        }

        public int NodeCount => _flags.Length;

        public byte Flags(int node) => _flags[node];

        public ReadOnlySpan<FindGlob> Globs(int node) => _globs.AsSpan(_firstGlob[node], _firstGlob[node + 1] - _firstGlob[node]);

        public int Child(int node, char c)
        {
            var start = _firstEdge[node];
            var count = _firstEdge[node + 1] - start;
            if (count <= 8)
            {
                for (var i = start; i < start + count; i++)
                {
                    if (_edgeChars[i] == c)
                    {
                        return _edgeTargets[i];
                    }
                }

                return -1;
            }

            var found = _edgeChars.AsSpan(start, count).BinarySearch(c);
            return found < 0 ? -1 : _edgeTargets[start + found];
        }

        /// <summary>Start offsets per node (plus the end) of items grouped by the node they belong to.</summary>
        private static int[] Offsets(int nodes, IEnumerable<int> owners)
        {
            var offsets = new int[nodes + 1];
            foreach (var owner in owners)
            {
                offsets[owner + 1]++;
            }

            for (var n = 0; n < nodes; n++)
            {
                offsets[n + 1] += offsets[n];
            }

            return offsets;
        }
    }
}
