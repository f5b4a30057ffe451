using System.Text;
using System.Text.RegularExpressions;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Tables;

/// <summary>
/// One <c>tabdump -w</c> selection as xCAT's <c>Table.pm::buildWhereClause</c> reads it: <c>==</c>, <c>=~</c> (SQL LIKE,
/// not a regex, surrounding slashes dropped), <c>!=</c>, <c>!~</c> (NOT LIKE), <c>&lt;=</c>, <c>&lt;</c>, <c>&gt;=</c>,
/// <c>&gt;</c>, tried in that order; comparisons are textual, as SQL compares text columns.
/// </summary>
internal sealed partial class RowFilter
{
    private readonly string _column;
    private readonly string _operator;
    private readonly string _value;
    private readonly Regex? _like;

    private RowFilter(string column, string op, string value, Regex? like)
    {
        _column = column;
        _operator = op;
        _value = value;
        _like = like;
    }

    public static RowFilter Parse(string expression, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var match = Selection().Match(expression);
        if (!match.Success)
        {
            throw new ArgumentException($"Unsupported operator in '{expression}'; use attr==val, attr!=val, attr=~val, attr!~val, attr<val, attr<=val, attr>val or attr>=val.", nameof(expression));
        }

        var column = match.Groups["attr"].Value;
        var op = match.Groups["op"].Value;
        var value = match.Groups["val"].Value;

        // Better than xCAT, which hands an unknown column to the database and prints its SQL error.
        if (!schema.HasColumn(column))
        {
            throw new ArgumentException($"The selection '{expression}' names '{column}', which is not a column of table '{schema.Name}'.", nameof(expression));
        }

        Regex? like = null;
        if (op is "=~" or "!~")
        {
            if (value.StartsWith('/'))
            {
                value = value[1..];
            }

            if (value.EndsWith('/'))
            {
                value = value[..^1];
            }

            like = LikePattern(value)
                ?? throw new ArgumentException($"The selection '{DisplayText.Excerpt(expression)}' has a pattern too long to match.", nameof(expression));
        }

        return new RowFilter(column, op, value, like);
    }

    public bool Matches(CatalogRow row)
    {
        // SQL semantics: a NULL column matches no comparison at all.
        if (row[_column] is not { } actual)
        {
            return false;
        }

        var comparison = string.CompareOrdinal(actual, _value);
        return _operator switch
        {
            "==" => comparison == 0,
            "!=" => comparison != 0,
            "=~" => _like!.IsMatch(actual),
            "!~" => !_like!.IsMatch(actual),
            "<=" => comparison <= 0,
            "<" => comparison < 0,
            ">=" => comparison >= 0,
            _ => comparison > 0,
        };
    }

    // SQLite LIKE: % any run, _ one character, ASCII letters case-insensitive.
    private static Regex? LikePattern(string like)
    {
        var pattern = new StringBuilder("^");
        foreach (var c in like)
        {
            pattern.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        // Non-backtracking: %a%a%a...%b against a long value stays linear instead of exploding.
        try
        {
            return new Regex(pattern.Append('$').ToString(),
                RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?:(?<attr>[^=]*)(?<op>==|=~)|(?<attr>[^=!<>]*)(?<op>!=|!~|<=|<|>=|>))(?<val>.*)$", RegexOptions.Singleline)]
    private static partial Regex Selection();
}
