using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Nodes;

/// <summary>
/// Expands xCAT noderanges: node and group names, comma lists, bracket ranges such as <c>node[01-10]</c> (several
/// brackets multiply), dash ranges such as <c>node01-node10</c>, plus ranges such as <c>node1+3</c>, <c>/regex</c>
/// over defined nodes, and <c>-element</c> to take nodes out again. Padding follows the first number's width.
/// </summary>
public static partial class NodeRange
{
    /// <summary>The most names one range may produce, to refuse typing mistakes such as <c>n[1-99999999]</c>.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>Expands <paramref name="noderange"/> into node names, in order of appearance without duplicates.</summary>
    /// <param name="noderange">The noderange, such as <c>compute,node[01-04],-node03</c>.</param>
    /// <param name="nodeGroups">The defined nodes and their groups, node name to group names.</param>
    /// <param name="allowUndefined">
    /// Whether names that are neither a defined node nor a group are returned (mkdef/chdef create them) rather than
    /// refused (lsdef, rmdef and most commands).
    /// </param>
    /// <returns>The node names.</returns>
    /// <exception cref="ArgumentException">
    /// The noderange is empty or malformed, names an undefined node or group while <paramref name="allowUndefined"/> is
    /// off, or expands to more than <see cref="MaxNodes"/> names. The message names the offending part.
    /// </exception>
    public static IReadOnlyList<string> Expand(string noderange, IReadOnlyDictionary<string, IReadOnlyList<string>> nodeGroups, bool allowUndefined = false)
    {
        ArgumentNullException.ThrowIfNull(noderange);
        ArgumentNullException.ThrowIfNull(nodeGroups);
        if (string.IsNullOrWhiteSpace(noderange))
        {
            throw new ArgumentException("The noderange is empty.", nameof(noderange));
        }

        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var undefined = new List<string>();
        foreach (var element in SplitTopLevel(noderange))
        {
            if (element.Length == 0)
            {
                throw new ArgumentException($"The noderange '{noderange}' has an empty element.", nameof(noderange));
            }

            var exclude = element.StartsWith('-') && element.Length > 1;
            List<string> names;
            try
            {
                names = ExpandElement(exclude ? element[1..] : element, nodeGroups, allowUndefined, undefined);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException(ex.Message, nameof(noderange), ex);
            }

            if (exclude)
            {
                var removed = new HashSet<string>(names, StringComparer.Ordinal);
                result.RemoveAll(removed.Contains);
                seen.ExceptWith(removed);
                continue;
            }

            foreach (var name in names)
            {
                if (seen.Add(name))
                {
                    result.Add(name);
                }
            }

            if (result.Count > MaxNodes)
            {
                throw new ArgumentException($"The noderange '{noderange}' expands to more than {MaxNodes} nodes.", nameof(noderange));
            }
        }

        if (undefined.Count > 0)
        {
            throw new ArgumentException($"Invalid nodes and/or groups in noderange: {string.Join(',', undefined)}", nameof(noderange));
        }

        return result;
    }

    private static List<string> ExpandElement(string element, IReadOnlyDictionary<string, IReadOnlyList<string>> nodeGroups,
        bool allowUndefined, List<string> undefined)
    {
        if (nodeGroups.ContainsKey(element))
        {
            return [element];
        }

        var members = nodeGroups.Where(p => p.Value.Contains(element, StringComparer.Ordinal)).Select(static p => p.Key).ToList();
        if (members.Count > 0)
        {
            return members;
        }

        if (element.StartsWith('/'))
        {
            Regex regex;
            try
            {
                regex = new Regex(element[1..], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"The noderange element '{element}' is not a valid regular expression: {ex.Message}", ex);
            }

            return [.. nodeGroups.Keys.Where(n => regex.IsMatch(n)).Order(StringComparer.Ordinal)];
        }

        List<string> candidates;
        if (element.Contains('[', StringComparison.Ordinal) || element.Contains(']', StringComparison.Ordinal))
        {
            candidates = ExpandBrackets(element);
        }
        else if (PlusRange().Match(element) is { Success: true } plus)
        {
            candidates = NumberRange(element, plus.Groups[1].Value, plus.Groups[2].Value,
                AddCount(element, plus.Groups[2].Value, plus.Groups[3].Value), string.Empty);
        }
        else if (DashRange().Match(element) is { Success: true } dash
            && dash.Groups["p1"].Value == dash.Groups["p2"].Value && dash.Groups["s1"].Value == dash.Groups["s2"].Value)
        {
            candidates = NumberRange(element, dash.Groups["p1"].Value, dash.Groups["n1"].Value, dash.Groups["n2"].Value, dash.Groups["s1"].Value);
        }
        else
        {
            candidates = [element];
        }

        foreach (var candidate in candidates)
        {
            if (ImageDefinition.NameProblem(candidate) is not null)
            {
                throw new FormatException($"The noderange element '{element}' gives '{candidate}', which is not a valid node name.");
            }
        }

        if (!allowUndefined)
        {
            undefined.AddRange(candidates.Where(c => !nodeGroups.ContainsKey(c)));
            return [.. candidates.Where(nodeGroups.ContainsKey)];
        }

        return candidates;
    }

    private static List<string> ExpandBrackets(string element)
    {
        var open = element.IndexOf('[', StringComparison.Ordinal);
        var close = element.IndexOf(']', StringComparison.Ordinal);
        if (open < 0 || close < open)
        {
            throw new FormatException($"The noderange element '{element}' has unbalanced brackets.");
        }

        var prefix = element[..open];
        var body = element[(open + 1)..close];
        var rest = element[(close + 1)..];
        var tails = rest.Contains('[', StringComparison.Ordinal) || rest.Contains(']', StringComparison.Ordinal) ? ExpandBrackets(rest) : [rest];
        var heads = new List<string>();
        foreach (var part in body.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length == 1 && Digits().IsMatch(bounds[0]))
            {
                heads.Add(prefix + bounds[0]);
            }
            else if (bounds.Length == 2 && Digits().IsMatch(bounds[0]) && Digits().IsMatch(bounds[1]))
            {
                heads.AddRange(NumberRange(element, prefix, bounds[0], bounds[1], string.Empty));
            }
            else
            {
                throw new FormatException($"The noderange element '{element}' has '[{body}]', which is not a number range such as [01-10].");
            }
        }

        var result = new List<string>(heads.Count * tails.Count);
        foreach (var head in heads)
        {
            foreach (var tail in tails)
            {
                result.Add(head + tail);
                if (result.Count > MaxNodes)
                {
                    throw new FormatException($"The noderange element '{element}' expands to more than {MaxNodes} nodes.");
                }
            }
        }

        return result;
    }

    private static List<string> NumberRange(string element, string prefix, string first, string last, string suffix)
    {
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            throw new FormatException($"The noderange element '{element}' has a number that is too large.");
        }

        if (to < from)
        {
            throw new FormatException($"The noderange element '{element}' counts down from {first} to {last}.");
        }

        if (to - from >= MaxNodes)
        {
            throw new FormatException($"The noderange element '{element}' expands to more than {MaxNodes} nodes.");
        }

        var width = first.Length;
        var names = new List<string>((int)(to - from + 1));
        var name = new StringBuilder();
        for (var i = from; i <= to; i++)
        {
            name.Clear().Append(prefix).Append(i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')).Append(suffix);
            names.Add(name.ToString());
        }

        return names;
    }

    private static string AddCount(string element, string first, string count)
    {
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxNodes)
        {
            throw new FormatException($"The noderange element '{element}' has a count that is not between 1 and {MaxNodes}.");
        }

        return (from + n - 1).ToString(CultureInfo.InvariantCulture);
    }

    private static List<string> SplitTopLevel(string noderange)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < noderange.Length; i++)
        {
            switch (noderange[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(noderange[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new ArgumentException($"The noderange '{noderange}' has unbalanced brackets.", nameof(noderange));
        }

        parts.Add(noderange[start..].Trim());
        return parts;
    }

    [GeneratedRegex(@"^(?<p1>.*?)(?<n1>\d+)(?<s1>[^0-9-]*)-(?<p2>.*?)(?<n2>\d+)(?<s2>[^0-9-]*)$")]
    private static partial Regex DashRange();

    [GeneratedRegex(@"^(.*?)(\d+)\+(\d+)$")]
    private static partial Regex PlusRange();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Digits();
}
