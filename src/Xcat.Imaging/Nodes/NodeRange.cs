using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Nodes;

/// <summary>
/// Expands xCAT noderanges as <c>NodeRange.pm</c> does: node and group names, comma lists, <c>-</c> exclusions (applied
/// last, so they win), <c>@</c> intersections, parentheses, bracket ranges (<c>node[01-10]</c>, <c>node[1,3,5-7]</c>,
/// several brackets multiply), dash or colon ranges (<c>node01-node10</c>, <c>node01:node10</c>, <c>group1-group3</c>),
/// increments (<c>node10+3</c> is node10 to node13), bare numbers (<c>10</c> is node10) and <c>/regex</c> over node names.
/// The result is sorted and without duplicates. Padding follows the first number when it has leading zeros.
/// </summary>
/// <remarks>
/// Differences from xCAT, each to fail loudly where xCAT silently returns nothing: a descending range, a malformed
/// bracket and an unknown name are errors; node list files (<c>^file</c>) and attribute selections (<c>groups==x</c>)
/// are not supported and say so. Hostile noderanges are refused with an <see cref="ArgumentException"/>, never a
/// stack overflow or unbounded work: parentheses and brackets nest at most <see cref="MaxNesting"/> deep, expansion
/// stops at <see cref="MaxNodes"/> names, and a <c>/regex</c> gets one second over all node names.
/// </remarks>
public static partial class NodeRange
{
    /// <summary>The most names one noderange may produce, to refuse typing mistakes such as <c>n[1-99999999]</c>.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The deepest nesting of parentheses and brackets in a noderange.</summary>
    public const int MaxNesting = 32;

    private const string NumberPrefix = "node";

    // Recursion and work bounds that no real noderange reaches: a chain of brackets (n[1][2][3]...) recurses once per
    // bracket, and every atom costs a step.
    private const int MaxDepth = 128;

    // Longer than any host name (253): beyond it the pattern tests below would only cost time.
    private const int MaxAtomLength = 1024;
    private const int MaxSteps = 10 * MaxNodes;
    private static readonly TimeSpan s_regexTime = TimeSpan.FromSeconds(1);

    /// <summary>Expands <paramref name="noderange"/> into node names, sorted ordinally, without duplicates.</summary>
    /// <param name="noderange">The noderange, such as <c>compute,node[01-04],-node03</c>.</param>
    /// <param name="nodeGroups">The defined nodes and their groups: node name to group names.</param>
    /// <param name="allowUndefined">
    /// Whether names that are neither a defined node nor a group are returned (mkdef and chdef create them, as xCAT's
    /// non-verifying noderange does) rather than refused (lsdef, rmdef and most commands).
    /// </param>
    /// <returns>The node names.</returns>
    /// <exception cref="ArgumentException">
    /// The noderange is empty or malformed, names undefined nodes or groups while <paramref name="allowUndefined"/> is
    /// off (<c>Invalid nodes in noderange:a,b</c>), or expands to more than <see cref="MaxNodes"/> names.
    /// </exception>
    public static IReadOnlyList<string> Expand(string noderange, IReadOnlyDictionary<string, IReadOnlyList<string>> nodeGroups, bool allowUndefined = false)
    {
        ArgumentNullException.ThrowIfNull(noderange);
        ArgumentNullException.ThrowIfNull(nodeGroups);
        if (string.IsNullOrWhiteSpace(noderange))
        {
            throw new ArgumentException("The noderange is empty.", nameof(noderange));
        }

        var expander = new Expander(nodeGroups, allowUndefined);
        HashSet<string> nodes;
        try
        {
            CheckNesting(noderange);
            nodes = expander.ExpandRange(noderange.Trim());
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(noderange), ex);
        }

        if (expander.Missing.Count > 0)
        {
            var missing = expander.Missing.Distinct(StringComparer.Ordinal).ToList();
            var shown = string.Join(',', missing.Take(20).Select(static m => DisplayText.Excerpt(m)));
            throw new ArgumentException(
                $"Invalid nodes in noderange:{shown}{(missing.Count > 20 ? $",... ({missing.Count} in all)" : string.Empty)}", nameof(noderange));
        }

        return [.. nodes.Order(StringComparer.Ordinal)];
    }

    /// <summary>Refuses nesting deeper than <see cref="MaxNesting"/> in one linear scan, before any recursion.</summary>
    private static void CheckNesting(string noderange)
    {
        var depth = 0;
        foreach (var c in noderange)
        {
            depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
            if (depth > MaxNesting)
            {
                throw new FormatException($"The noderange '{Quote(noderange)}' nests parentheses or brackets more than {MaxNesting} deep.");
            }
        }
    }

    /// <summary>Input quoted in a message: escaped, and cut when long, so that a message stays one short line.</summary>
    private static string Quote(string text) => DisplayText.Excerpt(text);

    private sealed class Expander(IReadOnlyDictionary<string, IReadOnlyList<string>> nodeGroups, bool allowUndefined)
    {
        private Dictionary<string, HashSet<string>>? _groups;
        private int _depth;
        private int _steps;

        public List<string> Missing { get; } = [];

        public HashSet<string> ExpandRange(string range)
        {
            var elements = Split(range, ',');
            var op = ',';
            if (elements.Count == 1)
            {
                elements = Split(range, '@');
                op = elements.Count > 1 ? '@' : ',';
            }

            var nodes = new HashSet<string>(StringComparer.Ordinal);
            var excluded = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < elements.Count; i++)
            {
                var element = elements[i].Trim();
                if (element.Length == 0)
                {
                    throw new FormatException($"The noderange '{Quote(range)}' has an empty element.");
                }

                var exclude = element.Length > 1 && element[0] == '-';
                var atom = exclude ? element[1..] : element;
                if (atom.StartsWith('^'))
                {
                    throw new FormatException($"The noderange element '{Quote(element)}' reads a node list file, which is not supported.");
                }

                var set = ExpandAtom(atom);
                if (op == '@' && i > 0)
                {
                    nodes.IntersectWith(set);
                }
                else if (exclude)
                {
                    excluded.UnionWith(set);
                }
                else
                {
                    nodes.UnionWith(set);
                }

                if (nodes.Count > MaxNodes)
                {
                    throw new FormatException($"The noderange '{Quote(range)}' expands to more than {MaxNodes} nodes.");
                }
            }

            // Exclusions have precedence over inclusions, wherever they stand (noderange(3)).
            nodes.ExceptWith(excluded);
            return nodes;
        }

        private HashSet<string> ExpandAtom(string atom)
        {
            if (++_steps > MaxSteps)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' takes more than {MaxSteps} steps to expand.");
            }

            if (++_depth > MaxDepth)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' nests more than {MaxDepth} expansions deep.");
            }

            try
            {
                return ExpandAtomCore(atom);
            }
            finally
            {
                _depth--;
            }
        }

        private HashSet<string> ExpandAtomCore(string atom)
        {
            if (nodeGroups.ContainsKey(atom))
            {
                return Set(atom);
            }

            if (atom.StartsWith('(') && atom.EndsWith(')'))
            {
                return ExpandRange(atom[1..^1]);
            }

            // Only an '@' outside brackets and parentheses intersects: n[1@2] is not a@b (and recursing on it never ends).
            if (atom.Contains('@', StringComparison.Ordinal) && Split(atom, '@').Count > 1)
            {
                return ExpandRange(atom);
            }

            if (GroupMembers(atom) is { } members)
            {
                return [.. members];
            }

            if (atom.Contains('=', StringComparison.Ordinal) || atom.Contains('~', StringComparison.Ordinal))
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' is an attribute selection, which is not supported.");
            }

            if (Digits().IsMatch(atom))
            {
                return ExpandAtom(NumberPrefix + atom);
            }

            if (atom.StartsWith('/'))
            {
                return ExpandRegex(atom);
            }

            if (atom.Length > MaxAtomLength)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' is longer than {MaxAtomLength} characters.");
            }

            if (atom.Contains('[', StringComparison.Ordinal) || atom.Contains(']', StringComparison.Ordinal))
            {
                return ExpandBrackets(atom);
            }

            if (atom.Contains('+', StringComparison.Ordinal) && Increment().Match(atom) is { Success: true } increment)
            {
                return ExpandIncrement(atom, increment);
            }

            if (atom.Contains(':', StringComparison.Ordinal) || atom.Contains('-', StringComparison.Ordinal))
            {
                if (ExpandDashRange(atom) is { } range)
                {
                    return range;
                }
            }

            return Undefined(atom);
        }

        // One second for the whole regex over every node name, not one per name, so that n names cost no n seconds.
        private HashSet<string> ExpandRegex(string atom)
        {
            Regex regex;
            try
            {
                regex = new Regex("^(?:" + atom[1..] + ")$", RegexOptions.CultureInvariant, s_regexTime);
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' is not a valid regular expression: {ex.Message}", ex);
            }

            var clock = Stopwatch.StartNew();
            var result = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var node in nodeGroups.Keys)
                {
                    if (regex.IsMatch(node))
                    {
                        result.Add(node);
                    }

                    if (clock.Elapsed > s_regexTime)
                    {
                        throw new RegexMatchTimeoutException(node, regex.ToString(), s_regexTime);
                    }
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                throw new FormatException(
                    $"The noderange regular expression '{Quote(atom)}' took more than {s_regexTime.TotalSeconds:0} s to match the node names; simplify it.", ex);
            }

            return result;
        }

        /// <summary>The nodes of a group, from a group index built on first use (not a scan of every node per atom).</summary>
        private HashSet<string>? GroupMembers(string group)
        {
            if (_groups is null)
            {
                _groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                foreach (var (node, groups) in nodeGroups)
                {
                    foreach (var name in groups)
                    {
                        if (!_groups.TryGetValue(name, out var members))
                        {
                            _groups[name] = members = new HashSet<string>(StringComparer.Ordinal);
                        }

                        members.Add(node);
                    }
                }
            }

            return _groups.GetValueOrDefault(group);
        }

        // node[1,3,5-7]suffix → node1suffix, node3suffix, node5suffix-node7suffix, each expanded again (NodeRange.pm).
        private HashSet<string> ExpandBrackets(string atom)
        {
            var match = Bracket().Match(atom);
            if (!match.Success || match.Groups[2].Value.Contains('[', StringComparison.Ordinal))
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' has unbalanced brackets.");
            }

            var prefix = match.Groups[1].Value;
            var body = match.Groups[2].Value;
            var ending = match.Groups[3].Value;
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in body.Split(','))
            {
                var bounds = part.Split('-', ':');
                if (bounds.Length is < 1 or > 2 || !bounds.All(static b => Digits().IsMatch(b)))
                {
                    throw new FormatException($"The noderange element '{Quote(atom)}' has '[{Quote(body)}]', which is not a number range such as [01-10].");
                }

                var names = bounds.Length == 1 ? [bounds[0]] : Numbers(atom, bounds[0], bounds[1]);
                foreach (var number in names)
                {
                    result.UnionWith(ExpandAtom(prefix + number + ending));
                    if (result.Count > MaxNodes)
                    {
                        throw new FormatException($"The noderange element '{Quote(atom)}' expands to more than {MaxNodes} nodes.");
                    }
                }
            }

            return result;
        }

        // node10+3 → node10..node13; the end is padded to the start's width.
        private HashSet<string> ExpandIncrement(string atom, Match match)
        {
            var prefix = match.Groups["prefix"].Value;
            var start = match.Groups["start"].Value;
            var domain = match.Groups["domain"].Value;
            if (!BigInteger.TryParse(match.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxNodes)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' expands to more than {MaxNodes} nodes.");
            }

            if (prefix.Length == 0 && domain.Length == 0)
            {
                prefix = NumberPrefix;
            }

            var end = (BigInteger.Parse(start, CultureInfo.InvariantCulture) + count).ToString(CultureInfo.InvariantCulture).PadLeft(start.Length, '0');
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var number in Numbers(atom, start, end))
            {
                result.UnionWith(ExpandAtom(prefix + number + domain));
            }

            return result;
        }

        // node01-node10, node1-compute-node9-compute (split at the middle dash), node01:node10, group1-group3.
        private HashSet<string>? ExpandDashRange(string atom)
        {
            string left, right;
            var colon = atom.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                (left, right) = (atom[..colon], atom[(colon + 1)..]);
            }
            else
            {
                var dashes = atom.Count(static c => c == '-');
                if (dashes % 2 == 0)
                {
                    return null;
                }

                var middle = -1;
                for (var seen = 0; seen <= dashes / 2; seen++)
                {
                    middle = atom.IndexOf('-', middle + 1);
                }

                (left, right) = (atom[..middle], atom[(middle + 1)..]);
            }

            if (left.Length == 0 || right.Length == 0)
            {
                return null;
            }

            if (left == right)
            {
                return ExpandAtom(left);
            }

            var leftParts = DigitRuns().Split(left);
            var rightParts = DigitRuns().Split(right);
            if (leftParts.Length != rightParts.Length)
            {
                return null;
            }

            var prefix = string.Empty;
            for (var i = 0; i < leftParts.Length; i++)
            {
                var isNumber = Digits().IsMatch(leftParts[i]) && Digits().IsMatch(rightParts[i]);
                if (isNumber && leftParts[i] != rightParts[i])
                {
                    var suffix = string.Concat(leftParts.Skip(i + 1));
                    if (suffix != string.Concat(rightParts.Skip(i + 1)))
                    {
                        return null;
                    }

                    var result = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var number in Numbers(atom, leftParts[i], rightParts[i]))
                    {
                        result.UnionWith(ExpandAtom(prefix + number + suffix));
                    }

                    return result;
                }

                if (leftParts[i] != rightParts[i])
                {
                    return null;
                }

                prefix += leftParts[i];
            }

            return null;
        }

        private HashSet<string> Undefined(string atom)
        {
            if (!allowUndefined)
            {
                Missing.Add(atom);
                return [];
            }

            if (ImageDefinition.NameProblem(atom) is not null)
            {
                throw new FormatException($"'{Quote(atom)}' is not a valid node name; use letters, digits and . _ - + @ only.");
            }

            return Set(atom);
        }

        private static HashSet<string> Set(string name) => new(StringComparer.Ordinal) { name };

        private static List<string> Numbers(string atom, string first, string last)
        {
            var from = BigInteger.Parse(first, CultureInfo.InvariantCulture);
            var to = BigInteger.Parse(last, CultureInfo.InvariantCulture);
            if (to < from)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' counts down from {Quote(first)} to {Quote(last)}.");
            }

            if (to - from >= MaxNodes)
            {
                throw new FormatException($"The noderange element '{Quote(atom)}' expands to more than {MaxNodes} nodes.");
            }

            // Perl's ".." keeps the width only when the first number has a leading zero.
            var width = first.Length > 1 && first[0] == '0' ? first.Length : 0;
            var numbers = new List<string>((int)(to - from + 1));
            for (var n = from; n <= to; n++)
            {
                numbers.Add(n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            }

            return numbers;
        }

        private static List<string> Split(string range, char separator)
        {
            var parts = new List<string>();
            var brackets = 0;
            var parentheses = 0;
            var start = 0;
            for (var i = 0; i < range.Length; i++)
            {
                switch (range[i])
                {
                    case '[':
                        brackets++;
                        break;
                    case ']':
                        brackets--;
                        break;
                    case '(':
                        parentheses++;
                        break;
                    case ')':
                        parentheses--;
                        break;
                    default:
                        if (range[i] == separator && brackets == 0 && parentheses == 0)
                        {
                            parts.Add(range[start..i]);
                            start = i + 1;
                        }

                        break;
                }

                if (brackets < 0 || parentheses < 0)
                {
                    throw new FormatException($"The noderange '{Quote(range)}' has unbalanced brackets.");
                }
            }

            if (brackets != 0 || parentheses != 0)
            {
                throw new FormatException($"The noderange '{Quote(range)}' has unbalanced brackets.");
            }

            parts.Add(range[start..]);
            return parts;
        }
    }

    [GeneratedRegex(@"^(.+?)\[([^\]]*)\](.*)$")]
    private static partial Regex Bracket();

    [GeneratedRegex(@"^(?<prefix>.*?)(?<start>\d+)(?<domain>\..+)?\+(?<count>\d+)$")]
    private static partial Regex Increment();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(\d+)")]
    private static partial Regex DigitRuns();
}
