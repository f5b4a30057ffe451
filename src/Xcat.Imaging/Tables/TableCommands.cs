using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Tables;

/// <summary>
/// xCAT's row commands over a catalog: chtab and tabch (change or delete rows by key), gettab (read columns by key),
/// nodels (nodes and their attributes), noderm (remove nodes from every table) and tabprune <c>-a</c> (xCAT's
/// tabutils.pm and chtab). Every change is one <see cref="IImageCatalog.ApplyAsync"/>: a refusal changes nothing.
/// </summary>
/// <remarks>
/// Unlike xCAT, an unknown table or column is refused before anything is read, and columns are named exactly (xCAT
/// matches them as a regular expression).
/// </remarks>
public sealed class TableCommands
{
    // Client-given patterns: a pathological one fails instead of hanging the command.
    private static readonly TimeSpan s_regexTime = TimeSpan.FromSeconds(1);

    private readonly IImageCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Initializes the commands over a catalog.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    public TableCommands(IImageCatalog catalog, ILogger<TableCommands>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Parses chtab's and gettab's key, <c>keycolname=keyvalue[,keycolname=keyvalue...]</c>; each pair splits at its first <c>=</c>.
    /// An empty value selects rows where that column is not set.
    /// </summary>
    /// <param name="text">The key argument.</param>
    /// <returns>The column values, in the order given (a repeated column: the last wins).</returns>
    /// <exception cref="ArgumentException">A pair has no <c>=</c> or no column name: xCAT's <c>Incorrect argument "pair".</c></exception>
    public static IReadOnlyDictionary<string, string> ParseKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // xCAT's chtab and tabutils.pm (tabch).
                throw new ArgumentException($"Incorrect argument \"{pair}\".", nameof(text));
            }

            key[pair[..eq]] = pair[(eq + 1)..];
        }

        return key;
    }

    /// <summary>
    /// chtab / tabch: sets columns of the rows that <paramref name="key"/> selects in each table named, or adds a row
    /// when none matches (xCAT's Table.pm, setAttribs). <c>+=</c> appends the comma-list items not yet present.
    /// </summary>
    /// <param name="key">The key columns and values; they may be any columns of the tables, not only their key columns.</param>
    /// <param name="assignments">The columns to set, in command-line order; a column set twice takes the last value.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The number of rows changed or added.</returns>
    /// <exception cref="ArgumentException">
    /// A table or column does not exist, an assignment sets a key column, no row matches and the key does not name
    /// every key column of the table, or the catalog refuses a value (a name column holding <c>/</c>); nothing was changed.
    /// </exception>
    public async Task<int> SetAsync(IReadOnlyDictionary<string, string> key, IReadOnlyList<TableAssignment> assignments,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(assignments);
        if (key.Count == 0)
        {
            throw new ArgumentException("No keycolname=keyvalue pairs were given.", nameof(key));
        }

        if (assignments.Count == 0)
        {
            throw new ArgumentException("No tablename.colname=newvalue pairs were given.", nameof(assignments));
        }

        var byTable = new List<(TableSchema Schema, List<TableAssignment> Assignments)>();
        foreach (var assignment in assignments)
        {
            var schema = GetTable(assignment.Table);
            if (!schema.HasColumn(assignment.Column))
            {
                // xCAT's tabutils.pm (tabch).
                throw new ArgumentException($"{schema.Name}.{assignment.Column} not a valid table.column description", nameof(assignments));
            }

            if (schema.Keys.Contains(assignment.Column, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"{schema.Name}.{assignment.Column} is a key column; remove the row (chtab -d) and add it under the new key instead.", nameof(assignments));
            }

            var entry = byTable.FindIndex(t => t.Schema == schema);
            if (entry < 0)
            {
                byTable.Add((schema, [assignment]));
            }
            else
            {
                byTable[entry].Assignments.Add(assignment);
            }
        }

        var changes = new CatalogChanges();
        var count = 0;
        foreach (var (schema, tableAssignments) in byTable)
        {
            CheckKeyColumns(schema, key);
            var matching = Matching(await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false), key);
            if (matching.Count == 0)
            {
                if (schema.Keys.FirstOrDefault(k => string.IsNullOrEmpty(key.GetValueOrDefault(k))) is { } missing)
                {
                    throw new ArgumentException(
                        $"No row of table '{schema.Name}' matches {FormatKey(key)}; to add one, the key must give its key column '{missing}'.", nameof(key));
                }

                var values = key.Where(p => !schema.Keys.Contains(p.Key, StringComparer.Ordinal))
                    .ToDictionary(static p => p.Key, static p => (string?)p.Value, StringComparer.Ordinal);
                Assign(values, null, tableAssignments);
                changes.Upsert(schema.Name, schema.Keys.ToDictionary(k => k, k => key[k], StringComparer.Ordinal), values);
                count++;
                continue;
            }

            foreach (var row in matching)
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                Assign(values, row, tableAssignments);
                changes.Upsert(schema.Name, PrimaryKey(schema, row), values);
                count++;
            }
        }

        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.RowsChanged(_logger, "chtab", count);
        return count;
    }

    /// <summary>chtab -d / tabch -d: removes the rows that <paramref name="key"/> selects from each table named (xCAT's Table.pm, delEntries).</summary>
    /// <param name="key">The columns and values that select the rows.</param>
    /// <param name="tables">The tables.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The number of rows removed; none matching is not an error.</returns>
    /// <exception cref="ArgumentException">
    /// No key or no table is given, a table does not exist, or the key names a column a table does not have; nothing was removed.
    /// </exception>
    public async Task<int> DeleteAsync(IReadOnlyDictionary<string, string> key, IReadOnlyList<string> tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            // xCAT's chtab and tabutils.pm (tabch).
            throw new ArgumentException("Missing table name.", nameof(tables));
        }

        if (key.Count == 0)
        {
            throw new ArgumentException("No keycolname=keyvalue pairs were given.", nameof(key));
        }

        var schemas = tables.Select(GetTable).Distinct().ToList();
        var changes = new CatalogChanges();
        var count = 0;
        foreach (var schema in schemas)
        {
            CheckKeyColumns(schema, key);
            foreach (var row in Matching(await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false), key))
            {
                changes.Delete(schema.Name, PrimaryKey(schema, row));
                count++;
            }
        }

        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.RowsChanged(_logger, "chtab -d", count);
        return count;
    }

    /// <summary>
    /// gettab: for each table named, the requested columns of the first enabled row that <paramref name="key"/> selects
    /// (xCAT's tabutils.pm, gettab). A table with no such row gives nothing.
    /// </summary>
    /// <param name="key">The columns and values that select the row.</param>
    /// <param name="columns">The columns, each <c>table.column</c>, in the order they are reported (repeats dropped).</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The values found, in the order asked.</returns>
    /// <exception cref="ArgumentException">A column is malformed, or a table, column or key column does not exist (<c>Unknown key k to table</c>).</exception>
    public async Task<IReadOnlyList<TableColumnValue>> GetAsync(IReadOnlyDictionary<string, string> key, IReadOnlyList<string> columns,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(columns);
        var wanted = new List<(TableSchema Schema, string Column)>();
        foreach (var text in columns)
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == text.Length - 1)
            {
                throw new ArgumentException($"'{text}' is not of the form table.column.", nameof(columns));
            }

            var schema = GetTable(text[..dot]);
            var column = text[(dot + 1)..];
            if (!schema.HasColumn(column))
            {
                throw new ArgumentException($"{schema.Name}.{column} not a valid table.column description", nameof(columns));
            }

            foreach (var keyColumn in key.Keys.Where(k => !schema.HasColumn(k)))
            {
                // xCAT's tabutils.pm (gettab).
                throw new ArgumentException($"Unknown key {keyColumn} to {schema.Name}", nameof(key));
            }

            if (!wanted.Contains((schema, column)))
            {
                wanted.Add((schema, column));
            }
        }

        var rows = new Dictionary<string, CatalogRow?>(StringComparer.Ordinal);
        var result = new List<TableColumnValue>();
        foreach (var (schema, column) in wanted)
        {
            if (!rows.TryGetValue(schema.Name, out var row))
            {
                // getAttribs hides disabled rows (xCAT's Table.pm).
                row = Matching(await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false), key).FirstOrDefault(static r => !r.IsDisabled);
                rows[schema.Name] = row;
            }

            if (row is not null)
            {
                result.Add(new TableColumnValue(schema.Name, column, row[column]));
            }
        }

        return result;
    }

    /// <summary>
    /// noderm: removes the nodes of a noderange from every table that has a <c>node</c> column (xCAT's tabutils.pm,
    /// noderm); rows of the groups the noderange names stay.
    /// </summary>
    /// <param name="noderange">The noderange.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The nodes removed, sorted.</returns>
    /// <exception cref="ArgumentException">The noderange names an undefined node or group, or selects no node; nothing was removed.</exception>
    /// <exception cref="FormatException">The noderange is malformed.</exception>
    public async Task<IReadOnlyList<string>> RemoveNodesAsync(string noderange, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(noderange);
        var nodes = await _catalog.ExpandNodeRangeAsync(noderange, allowUndefined: false, cancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            throw new ArgumentException($"The noderange '{DisplayText.Escape(noderange)}' selects no nodes.", nameof(noderange));
        }

        var selected = nodes.ToHashSet(StringComparer.Ordinal);
        var changes = new CatalogChanges();
        foreach (var schema in XcatSchema.Tables.Where(static t => t.HasColumn("node")))
        {
            foreach (var row in await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false))
            {
                if (row["node"] is { } node && selected.Contains(node))
                {
                    changes.Delete(schema.Name, PrimaryKey(schema, row));
                }
            }
        }

        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.RowsChanged(_logger, "noderm", changes.Count);
        return [.. selected.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// nodels: the nodes of a noderange (all nodes when <see langword="null"/>), sorted, each with the attributes asked
    /// for (xCAT's tabutils.pm, nodels). A node's value comes from its own row, else from the first of its groups
    /// whose row sets the column.
    /// </summary>
    /// <param name="noderange">The noderange, or <see langword="null"/> for every node.</param>
    /// <param name="selectors">
    /// <c>table.column</c>, a short name (<c>groups</c>, <c>tags</c>, <c>mgt</c>), a table name for all its columns, or a
    /// selection <c>table.column==value</c>, <c>!=</c>, <c>=~regex</c>, <c>!~regex</c> (the regex may be in slashes).
    /// A selection keeps the nodes that pass it and is not printed unless the column is also named plainly.
    /// </param>
    /// <param name="options">The flags; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>One line per node and attribute, nodes sorted, attributes in the order asked.</returns>
    /// <exception cref="ArgumentException">
    /// A selector is not a column of a table keyed by node, a column has two selections, a regex is invalid, or the
    /// noderange names undefined nodes.
    /// </exception>
    /// <exception cref="FormatException">The noderange is malformed.</exception>
    public async Task<IReadOnlyList<NodeAttributeValue>> ListNodesAsync(string? noderange, IReadOnlyList<string> selectors,
        NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        options ??= new NodeListOptions();
        var (columns, labelled) = ParseSelectors(selectors);
        labelled |= options.WithFieldNames;

        IEnumerable<string> nodes;
        var nodelist = await _catalog.ReadTableAsync("nodelist", cancellationToken).ConfigureAwait(false);
        if (noderange is null)
        {
            nodes = nodelist.Where(static r => !r.IsDisabled).Select(static r => r["node"]!).Distinct(StringComparer.Ordinal);
        }
        else
        {
            nodes = await _catalog.ExpandNodeRangeAsync(noderange, allowUndefined: false, cancellationToken).ConfigureAwait(false);
        }

        var own = nodelist.Where(static r => !r.IsDisabled).GroupBy(static r => r["node"]!, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
        if (!options.ShowHidden)
        {
            // -S: hidden nodes (xCAT's FSP/BPA nodes) are left out unless asked for.
            nodes = nodes.Where(n => own.GetValueOrDefault(n)?["hidden"] != "1");
        }

        var tables = new Dictionary<string, Dictionary<string, CatalogRow>>(StringComparer.Ordinal);
        foreach (var table in columns.Select(static c => c.Table).Distinct(StringComparer.Ordinal))
        {
            var byNode = new Dictionary<string, CatalogRow>(StringComparer.Ordinal);
            foreach (var row in await _catalog.ReadTableAsync(table, cancellationToken).ConfigureAwait(false))
            {
                if (!row.IsDisabled && row["node"] is { } name)
                {
                    byNode.TryAdd(name, row);
                }
            }

            tables[table] = byNode;
        }

        var result = new List<NodeAttributeValue>();
        foreach (var node in nodes.Order(StringComparer.Ordinal))
        {
            var groups = CommaList.Split(own.GetValueOrDefault(node)?["groups"]);
            var values = columns.Select(c => Resolve(tables[c.Table], node, groups, c.Column)).ToList();
            if (!columns.Select((c, i) => c.Passes(values[i].Value)).All(static pass => pass))
            {
                continue;
            }

            var shown = 0;
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Display)
                {
                    result.Add(new NodeAttributeValue(node, labelled ? columns[i].Label : null, values[i].Value ?? string.Empty, values[i].Group));
                    shown++;
                }
            }

            if (shown == 0)
            {
                result.Add(new NodeAttributeValue(node, null, null, null));
            }
        }

        return result;
    }

    /// <summary>
    /// tabprune <c>-a</c>: removes every row of a table, which xCAT allows on any table (xCAT's tabutils.pm, tabprune_all).
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="removedRows">
    /// Where to write the removed rows as tabdump does (<c>-V</c>), header first; nothing is written when <see langword="null"/>.
    /// </param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The number of rows removed.</returns>
    /// <exception cref="ArgumentException">The table does not exist (<c>No such table: name</c>).</exception>
    public async Task<int> PruneAllAsync(string table, TextWriter? removedRows = null, CancellationToken cancellationToken = default)
    {
        var schema = XcatSchema.GetTable(table);
        var rows = await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false);
        await _catalog.ApplyAsync(new CatalogChanges().DeleteAll(schema.Name), cancellationToken).ConfigureAwait(false);
        Log.RowsChanged(_logger, "tabprune", rows.Count);
        if (removedRows is not null)
        {
            await removedRows.WriteAsync(XcatCsv.FormatHeader(schema.Columns) + "\n").ConfigureAwait(false);
            foreach (var row in rows)
            {
                await removedRows.WriteAsync(XcatCsv.FormatRow(schema.Columns.Select(c => row[c])) + "\n").ConfigureAwait(false);
            }
        }

        return rows.Count;
    }

    private static TableSchema GetTable(string name)
        // xCAT's chtab and tabutils.pm (tabch).
        => XcatSchema.FindTable(name) ?? throw new ArgumentException($"Table {name} does not exist.", nameof(name));

    private static void CheckKeyColumns(TableSchema schema, IReadOnlyDictionary<string, string> key)
    {
        foreach (var column in key.Keys.Where(k => !schema.HasColumn(k)))
        {
            // xCAT's tabutils.pm (tabch).
            throw new ArgumentException($"No column \"{column}\" in table \"{schema.Name}\"", nameof(key));
        }
    }

    private static List<CatalogRow> Matching(IReadOnlyList<CatalogRow> rows, IReadOnlyDictionary<string, string> key)
        => [.. rows.Where(r => key.All(p => string.Equals(r[p.Key] ?? string.Empty, p.Value, StringComparison.Ordinal)))];

    private static Dictionary<string, string> PrimaryKey(TableSchema schema, CatalogRow row)
        => schema.Keys.ToDictionary(k => k, k => row[k] ?? string.Empty, StringComparer.Ordinal);

    private static string FormatKey(IReadOnlyDictionary<string, string> key) => string.Join(',', key.Select(static p => $"{p.Key}={p.Value}"));

    private static void Assign(Dictionary<string, string?> values, CatalogRow? row, IReadOnlyList<TableAssignment> assignments)
    {
        foreach (var assignment in assignments)
        {
            var current = values.TryGetValue(assignment.Column, out var assigned) ? assigned : row?[assignment.Column];
            if (assignment.Mode == AttributeChangeMode.Plus && !string.IsNullOrEmpty(current))
            {
                // xCAT's chtab: the old items, then the new ones not yet there; an empty column takes the value as given.
                values[assignment.Column] = string.Join(',', CommaList.Split(current).Concat(CommaList.Split(assignment.Value)).Distinct(StringComparer.Ordinal));
            }
            else
            {
                values[assignment.Column] = assignment.Value;
            }
        }
    }

    private static (string? Value, string? Group) Resolve(Dictionary<string, CatalogRow> rows, string node, IReadOnlyList<string> groups, string column)
    {
        if (column == "node")
        {
            // A group's row reports the node's own name, not the group's (xCAT's Table.pm, getNodeAttribs).
            return (rows.ContainsKey(node) || groups.Any(rows.ContainsKey) ? node : null, null);
        }

        if (rows.TryGetValue(node, out var row) && row[column] is { } value)
        {
            return (value, null);
        }

        foreach (var group in groups)
        {
            if (rows.TryGetValue(group, out var groupRow) && groupRow[column] is { } inherited)
            {
                return (inherited, group);
            }
        }

        return (null, null);
    }

    private static (List<NodeColumn> Columns, bool Labelled) ParseSelectors(IReadOnlyList<string> selectors)
    {
        var columns = new List<NodeColumn>();
        var named = 0;
        var wholeTable = false;
        foreach (var selector in selectors)
        {
            var (name, op, criterion) = SplitCriterion(selector);
            string table, column;
            if (name is "groups" or "tags")
            {
                (table, column) = ("nodelist", "groups");
            }
            else if (name == "mgt")
            {
                (table, column) = ("nodehm", "mgt");
            }
            else if (name.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            {
                (table, column) = (name[..dot], name[(dot + 1)..]);
            }
            else if (op is null && XcatSchema.FindTable(name) is { } whole)
            {
                CheckKeyedByNode(whole, selector);
                wholeTable = true;
                foreach (var each in whole.Columns)
                {
                    AddColumn(columns, whole.Name, each, $"{whole.Name}.{each}", null, null, selector);
                }

                continue;
            }
            else
            {
                // xCAT's tabutils.pm (nodels).
                throw new ArgumentException($"{name} not a valid table.column description", nameof(selectors));
            }

            if (XcatSchema.FindTable(table) is not { } schema || !schema.HasColumn(column))
            {
                throw new ArgumentException($"{table}.{column} not a valid table.column description", nameof(selectors));
            }

            CheckKeyedByNode(schema, selector);
            named++;
            AddColumn(columns, table, column, name, op, criterion, selector);
        }

        // xCAT's nodels labels values when two or more are asked for, or a whole table.
        return (columns, wholeTable || named >= 2);
    }

    private static void CheckKeyedByNode(TableSchema schema, string selector)
    {
        if (!schema.HasColumn("node"))
        {
            throw new ArgumentException($"'{selector}': table '{schema.Name}' has no node column; read it with gettab or tabdump.", nameof(selector));
        }
    }

    private static void AddColumn(List<NodeColumn> columns, string table, string column, string label, string? op, string? criterion, string selector)
    {
        var existing = columns.Find(c => c.Table == table && c.Column == column);
        if (existing is null)
        {
            existing = new NodeColumn(table, column, label);
            columns.Add(existing);
        }

        if (op is null)
        {
            existing.Display = true;
            return;
        }

        if (existing.Operator is not null)
        {
            // xCAT's tabutils.pm (nodels), its spelling kept.
            throw new ArgumentException($"Multiple selection critera for {label}", nameof(selector));
        }

        existing.Operator = op;
        existing.Criterion = criterion;
        if (op is "=~" or "!~")
        {
            try
            {
                existing.Pattern = new Regex(criterion!, RegexOptions.CultureInvariant, s_regexTime);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"'{selector}': '{criterion}' is not a valid regular expression: {ex.Message}", nameof(selector), ex);
            }
        }
    }

    // xCAT's nodels tries !=, =~, ==, !~ in that order; a regex may be written in slashes.
    private static (string Name, string? Operator, string? Criterion) SplitCriterion(string selector)
    {
        foreach (var op in (ReadOnlySpan<string>)["!=", "=~", "==", "!~"])
        {
            var at = selector.IndexOf(op, StringComparison.Ordinal);
            if (at < 0 || (op is "!=" or "=~" && selector.AsSpan(0, at).Contains('=')))
            {
                continue;
            }

            var criterion = selector[(at + 2)..];
            if (op is "=~" or "!~")
            {
                criterion = criterion.StartsWith('/') ? criterion[1..] : criterion;
                criterion = criterion.EndsWith('/') ? criterion[..^1] : criterion;
            }

            return (selector[..at], op, criterion);
        }

        return (selector, null, null);
    }

    private sealed class NodeColumn(string table, string column, string label)
    {
        public string Table { get; } = table;

        public string Column { get; } = column;

        public string Label { get; } = label;

        public bool Display { get; set; }

        public string? Operator { get; set; }

        public string? Criterion { get; set; }

        public Regex? Pattern { get; set; }

        public bool Passes(string? value)
        {
            value ??= string.Empty;
            try
            {
                return Operator switch
                {
                    "==" => value == Criterion,
                    "!=" => value != Criterion,
                    "=~" => Pattern!.IsMatch(value),
                    "!~" => !Pattern!.IsMatch(value),
                    _ => true,
                };
            }
            catch (RegexMatchTimeoutException ex)
            {
                throw new ArgumentException($"The regular expression '{Criterion}' took more than {s_regexTime.TotalSeconds:0} s to match; simplify it.", ex);
            }
        }
    }
}
