using System.Globalization;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>
/// tabprune: <c>-a</c> empties any table, as xCAT allows. The record-id, count, percentage and age options apply only
/// to xCAT's eventlog and auditlog tables, which this catalog does not keep (nothing here writes events or audit
/// records), so they are refused with xCAT's messages (xCAT's tabutils.pm, tabprune).
/// </summary>
internal sealed class TabpruneVerb : IVerb
{
    private static readonly string[] s_logTables = ["eventlog", "auditlog", "isnm_perf", "isnm_perf_sum"];
    private static readonly string[] s_exclusive = ["percent", "recid", "all", "number"];

    public string Name => "tabprune";

    public string Summary => "Delete every row of a table (-a), optionally printing them as CSV (-V).";

    public string Usage => "tabprune <tablename> [-V] -a | tabprune eventlog|auditlog [-V] [-i recid | -n number | -p percent | -d days]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("tablename", "The table to prune.")
        .Flag('a', "all", "Remove every row; works on any table.")
        .Flag('V', "verbose", "Print the removed rows as tabdump does (header first), instead of 'tabprune of <table> complete.'.")
        .Value('i', "recid", "recid", "eventlog and auditlog only: remove the records whose recid is lower.")
        .Value('n', "number", "number", "eventlog and auditlog only: remove this many records.")
        .Value('p', "percent", "percent", "eventlog and auditlog only: remove this percentage of the records.")
        .Value('d', "days", "days", "eventlog and auditlog only: remove the records at least this many days old.")
        .Flag('v', "version", "Print the version and exit.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("version"))
        {
            return await CliApplication.WriteVersionAsync(context);
        }

        foreach (var (letter, number) in (ReadOnlySpan<(char, string)>)[('n', "number"), ('p', "percent"), ('d', "days")])
        {
            // xCAT's getopt takes an integer here.
            if (options.Get(number) is { } text && !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new UsageException($"The option '-{letter}' takes a whole number, not '{text}'.");
            }
        }

        if (options.Positional.Count > 1)
        {
            throw new UsageException("tabprune takes one table name.");
        }

        // The checks and messages of xCAT's tabutils.pm (tabprune), in its order.
        if (options.Positional.Count == 0)
        {
            throw new ArgumentException("Table name required.");
        }

        var table = options.Positional[0].Replace(" ", string.Empty, StringComparison.Ordinal);
        var all = options.Has("all");
        if (!s_logTables.Contains(table) && !all)
        {
            throw new ArgumentException($"Table {table} not supported, see tabprune -h for supported tables.");
        }

        if (table is not ("eventlog" or "auditlog") && options.Has("days"))
        {
            throw new ArgumentException($"Table {table} not supported for the -d option.");
        }

        var chosen = s_exclusive.Count(options.Has);
        if (chosen == 0 && !options.Has("days"))
        {
            throw new ArgumentException("One option -p or -i or -n or -a or -d must be supplied.");
        }

        if (chosen > 1)
        {
            throw new ArgumentException("Only one option -p or -i or -n or -a maybe used at a time.");
        }

        if (!all)
        {
            // eventlog and auditlog are not tables of this catalog: xCAT's tabdump wording for a table that does not exist.
            _ = XcatSchema.GetTable(table);
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var verbose = options.Has("verbose");
        await new TableCommands(catalog, context.LoggerFactory.CreateLogger<TableCommands>())
            .PruneAllAsync(table, verbose ? context.Out : null, cancellationToken);
        if (!verbose)
        {
            await context.Out.WriteAsync($"tabprune of {table} complete.\n");
        }

        return CliApplication.Success;
    }
}
