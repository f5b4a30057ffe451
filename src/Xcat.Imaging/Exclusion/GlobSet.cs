namespace Xcat.Imaging.Exclusion;

/// <summary>
/// Tells whether any of many <see cref="FindGlob"/> patterns matches a path, in time that grows with the path, not with
/// the number of patterns: a trie over the patterns' literal prefixes, walked once along the path. A node marks the
/// literal patterns that end there, the prefix patterns (<c>./usr/share/doc*</c>) that match everything below it, and
/// holds the other patterns whose prefix it is, which are tested on the rest of the path.
/// </summary>
/// <remarks>
/// Exlists are mostly literal paths and <c>prefix*</c> lines; the few remaining globs hang at the end of their own
/// prefix, so a path only meets those that can match it. Immutable once built, so thread-safe.
/// </remarks>
internal sealed class GlobSet
{
    private const byte ExactFlag = 1;
    private const byte PrefixFlag = 2;

    // The trie in compressed-row form: node n's edges are [_firstEdge[n], _firstEdge[n + 1]), sorted by character.
    private readonly int[] _firstEdge;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly byte[] _flags;
    private readonly int[] _firstGlob;
    private readonly FindGlob[] _globs;

    public GlobSet(IEnumerable<FindGlob> globs)
    {
        // Built from the prefixes in ordinal order: each prefix shares its nodes with the one before it up to their
        // common part, and a node's children are created in character order, so no per-node map is needed.
        var sorted = globs.Where(static g => g.Kind != FindGlobKind.Never)
            .Select(static (g, i) => (Glob: g, Index: i))
            .OrderBy(static e => e.Glob.Prefix, StringComparer.Ordinal).ThenBy(static e => e.Index)
            .Select(static e => e.Glob).ToList();
        var parents = new List<int> { -1 };
        var chars = new List<char> { '\0' };
        var flags = new List<byte> { 0 };
        var attached = new List<(int Node, FindGlob Glob)>();
        var path = new List<int> { 0 };
        var previous = string.Empty;
        foreach (var glob in sorted)
        {
            var prefix = glob.Prefix;
            var common = prefix.AsSpan().CommonPrefixLength(previous);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (var d = common; d < prefix.Length; d++)
            {
                parents.Add(path[d]);
                chars.Add(prefix[d]);
                flags.Add(0);
                path.Add(flags.Count - 1);
            }

            previous = prefix;
            var node = path[prefix.Length];
            switch (glob.Kind)
            {
                case FindGlobKind.Literal:
                    flags[node] |= ExactFlag;
                    break;
                case FindGlobKind.Prefix:
                    flags[node] |= PrefixFlag;
                    break;
                default:
                    attached.Add((node, glob));
                    break;
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

    /// <summary>Tells whether any pattern matches the whole <paramref name="path"/>.</summary>
    public bool IsMatch(ReadOnlySpan<char> path)
    {
        var node = 0;
        for (var depth = 0; ; depth++)
        {
            var flags = _flags[node];
            if ((flags & PrefixFlag) != 0)
            {
                return true;
            }

            for (var g = _firstGlob[node]; g < _firstGlob[node + 1]; g++)
            {
                if (_globs[g].IsRestMatch(path[depth..]))
                {
                    return true;
                }
            }

            if (depth == path.Length)
            {
                return (flags & ExactFlag) != 0;
            }

            node = Child(node, path[depth]);
            if (node < 0)
            {
                return false;
            }
        }
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

    private int Child(int node, char c)
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
}
