using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Tables;

/// <summary>
/// xCAT's <c>tabdump</c> and <c>tabrestore</c> over a catalog, byte-compatible with xCAT's CSV (xCAT's tabutils.pm, tabdump).
/// </summary>
public sealed class TableDump
{
    private readonly IImageCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Initializes the commands over a catalog.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    public TableDump(IImageCatalog catalog, ILogger<TableDump>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// tabdump: writes the header line and every row (disabled rows included) in database order. Values are always
    /// quoted with <c>"</c> doubled inside; empty values give nothing; lines end in <c>\n</c>. A newline inside a value
    /// stays raw inside its quotes, as xCAT writes it: a CSV reader, tabrestore included, reads it as part of the value,
    /// never as a new row (see <see cref="TableDumpOptions.EscapeControlCharacters"/> for a terminal).
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="options">Row filters; <see langword="null"/> for every row.</param>
    /// <param name="cancellationToken">A token to cancel the dump.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">The table does not exist (<c>No such table: name</c>) or a filter is malformed.</exception>
    public async Task<int> DumpAsync(string table, TextWriter output, TableDumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var schema = XcatSchema.GetTable(table);
        var filters = (options?.Where ?? []).Select(w => RowFilter.Parse(w, schema)).ToList();
        var rows = await _catalog.ReadTableAsync(schema.Name, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(XcatCsv.FormatHeader(schema.Columns) + "\n").ConfigureAwait(false);
        var count = 0;
        // Like xCAT's getAllAttribsWhere, a filtered dump leaves disabled rows out.
        foreach (var row in rows.Where(r => filters.Count == 0 || (!r.IsDisabled && filters.TrueForAll(f => f.Matches(r)))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = schema.Columns.Select(c => row[c]);
            if (options?.EscapeControlCharacters == true)
            {
                values = values.Select(static v => v is null || DisplayText.HasNoControlCharacters(v) ? v : DisplayText.Escape(v));
            }

            await output.WriteAsync(XcatCsv.FormatRow(values) + "\n").ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>
    /// tabdump -d: writes the description of each column, as xCAT prints it: <c>col:</c>, two tabs when the name is
    /// shorter than 7 characters (else one), the description, and a blank line between columns.
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentException">The table does not exist (<c>table name does not exist.</c>).</exception>
    public static void WriteDescriptions(string table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var schema = XcatSchema.FindTable(table) ?? throw new ArgumentException($"table {table} does not exist.", nameof(table));
        WriteDescriptionLines(schema.Columns.Select(c => (c, schema.ColumnDescriptions.GetValueOrDefault(c, string.Empty))), output);
    }

    /// <summary>tabdump -d without a table: the description of every table, sorted, in the same layout.</summary>
    /// <param name="output">Where to write.</param>
    public static void WriteTableDescriptions(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteDescriptionLines(XcatSchema.Tables.Select(static t => (t.Name, t.Description)).OrderBy(static p => p.Name, StringComparer.Ordinal), output);
    }

    // tabutils.pm: each entry is "name:" + tabs + text + "\n", the last one chopped; the client adds "\n" after each.
    private static void WriteDescriptionLines(IEnumerable<(string Name, string Text)> entries, TextWriter output)
    {
        var first = true;
        foreach (var (name, text) in entries)
        {
            if (!first)
            {
                output.Write('\n');
            }

            first = false;
            output.Write($"{name}:{(name.Length < 7 ? "\t\t" : "\t")}{text}\n");
        }
    }

    /// <summary>
    /// tabrestore: replaces the rows of a table with those of a CSV file (or adds them, with
    /// <see cref="TableRestoreMode.Add"/>), all or nothing. The header must start with <c>#</c> and name columns of the table.
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="input">The CSV text, header first.</param>
    /// <param name="mode">Whether the rows replace the table's contents (the default) or are added to them (<c>-a</c>).</param>
    /// <param name="cancellationToken">A token to cancel the restore.</param>
    /// <returns>The number of rows restored.</returns>
    /// <exception cref="ArgumentException">The table does not exist.</exception>
    /// <exception cref="InvalidDataException">The CSV is malformed; the message names the line. Nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">Two rows share a key; nothing was changed.</exception>
    public async Task<int> RestoreAsync(string table, TextReader input, TableRestoreMode mode = TableRestoreMode.Replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schema = XcatSchema.GetTable(table);
        var columns = XcatCsv.ParseHeader(await input.ReadLineAsync(cancellationToken).ConfigureAwait(false));
        foreach (var column in columns)
        {
            if (!schema.HasColumn(column))
            {
                throw new InvalidDataException($"The header line indicates that column '{column}' should exist, which is not defined in the schema for '{schema.Name}'");
            }
        }

        var changes = new CatalogChanges();
        if (mode != TableRestoreMode.Add)
        {
            changes.DeleteAll(schema.Name);
        }

        var count = 0;
        foreach (var (lineNumber, fields) in XcatCsv.ParseRows(input, columns.Count, 2))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                values[columns[i]] = fields[i];
            }

            foreach (var key in schema.Keys.Where(k => string.IsNullOrEmpty(values.GetValueOrDefault(k))))
            {
                throw new InvalidDataException($"The key column '{key}' is empty on line {lineNumber}.");
            }

            changes.Insert(schema.Name, values);
            count++;
        }

        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.TableRestored(_logger, schema.Name, count);
        return count;
    }

    /// <summary>Returns the table a restore file is for: its file name up to the first <c>.</c>, as tabrestore does.</summary>
    /// <param name="path">The file path, such as <c>/tmp/osimage.csv</c>.</param>
    /// <returns>The table name, such as <c>osimage</c>.</returns>
    public static string TableNameFromFileName(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Trees.TreePath.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }
}
