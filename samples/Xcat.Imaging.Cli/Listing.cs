namespace Xcat.Imaging.Cli;

/// <summary>Lists of values as refusals word them.</summary>
internal static class Listing
{
    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string OneOf(IReadOnlyList<string> values) => values.Count switch
    {
        0 => string.Empty,
        1 => values[0],
        _ => string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1],
    };

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="word"/>, when it is near enough to be a typo.</summary>
    public static string? NearMiss(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Two edits (a swap counts as one) or a prefix of three letters or more, as git's "did you mean" roughly does.
        return best is not null && (bestDistance <= Math.Min(2, Math.Max(1, word.Length / 3))
            || (word.Length >= 3 && best.StartsWith(word, StringComparison.Ordinal))) ? best : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
