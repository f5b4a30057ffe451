using System.Globalization;
using System.Text.RegularExpressions;
using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Tables;

/// <summary>One <c>tabdump -w</c> selection: a column, an operator and a value.</summary>
internal sealed class RowFilter
{
    // Longest operators first, so that "col>=1" is not read as "col>" "=1".
    private static readonly string[] s_operators = ["==", "!=", "=~", "!~", ">=", "<=", ">", "<"];

    private readonly string _column;
    private readonly string _operator;
    private readonly string _value;
    private readonly Regex? _regex;

    private RowFilter(string column, string op, string value, Regex? regex)
    {
        _column = column;
        _operator = op;
        _value = value;
        _regex = regex;
    }

    public static RowFilter Parse(string expression, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var best = -1;
        string? op = null;
        foreach (var candidate in s_operators)
        {
            var index = expression.IndexOf(candidate, StringComparison.Ordinal);
            if (index > 0 && (best < 0 || index < best))
            {
                best = index;
                op = candidate;
            }
        }

        if (op is null)
        {
            throw new ArgumentException($"The selection '{expression}' has no operator; use attr==val, attr!=val, attr=~regex, attr!~regex, attr>val or attr<val.", nameof(expression));
        }

        var column = expression[..best];
        var value = expression[(best + op.Length)..];
        if (!schema.HasColumn(column))
        {
            throw new ArgumentException($"The selection '{expression}' names '{column}', which is not a column of table '{schema.Name}'.", nameof(expression));
        }

        Regex? regex = null;
        if (op is "=~" or "!~")
        {
            try
            {
                regex = new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"The selection '{expression}' has an invalid regular expression: {ex.Message}", nameof(expression), ex);
            }
        }

        return new RowFilter(column, op, value, regex);
    }

    public bool Matches(CatalogRow row)
    {
        var actual = row[_column] ?? string.Empty;
        return _operator switch
        {
            "==" => actual == _value,
            "!=" => actual != _value,
            "=~" => _regex!.IsMatch(actual),
            "!~" => !_regex!.IsMatch(actual),
            _ => CompareMatches(Compare(actual, _value)),
        };
    }

    private bool CompareMatches(int comparison) => _operator switch
    {
        ">" => comparison > 0,
        ">=" => comparison >= 0,
        "<" => comparison < 0,
        _ => comparison <= 0,
    };

    // Numbers compare as numbers, anything else ordinally.
    private static int Compare(string left, string right)
        => double.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var l)
           && double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
            ? l.CompareTo(r)
            : string.CompareOrdinal(left, right);
}
