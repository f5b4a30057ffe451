using System.Text;
using Xcat.Imaging.Schema;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class TabdumpVerb : IVerb
{
    public string Name => "tabdump";

    public string Summary => "Dump an xCAT table as CSV, or its column descriptions.";

    public string Usage => "tabdump [-?|-h|-v] [-d] [-f file] [-w attr==val [-w attr=~val] ...] [table]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("table", "The table to dump. [default: list the tables]")
        .Flag('d', "description", "Describe the table's columns, or without a table each table.")
        .Value('f', "file", "file", "Write the dump to this file (atomically) instead of stdout.")
        .Value('w', "where", "attr==val", "Select rows: attr==val, attr!=val, attr=~val (SQL LIKE), attr!~val, <, <=, >, >=; repeatable, all must hold.")
        .Flag('v', "version", "Print the version and exit, as xCAT's tabdump -v does.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count > 1)
        {
            throw new UsageException("tabdump takes one table name.");
        }

        if (options.Has("version"))
        {
            return await CliApplication.WriteVersionAsync(context);
        }

        var table = options.Positional.Count == 1 ? options.Positional[0] : null;
        if (table is null)
        {
            if (options.Has("file") || options.Has("where"))
            {
                throw new ArgumentException("table name missing from the command input.");
            }

            // Without a table: the table names, or with -d each table's description.
            if (options.Has("description"))
            {
                TableDump.WriteTableDescriptions(context.Out);
                return CliApplication.Success;
            }

            foreach (var schema in XcatSchema.Tables.OrderBy(static t => t.Name, StringComparer.Ordinal))
            {
                await context.Out.WriteAsync($"{schema.Name}\n");
            }

            return CliApplication.Success;
        }

        if (options.Has("description"))
        {
            TableDump.WriteDescriptions(table, context.Out);
            return CliApplication.Success;
        }

        var dumpOptions = new TableDumpOptions();
        foreach (var where in options.GetAll("where"))
        {
            dumpOptions.Where.Add(where);
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var dump = new TableDump(catalog);
        if (options.Get("file") is not { } file)
        {
            // On a terminal a value's escape sequences are shown, not run; a redirected dump stays xCAT's bytes.
            dumpOptions.EscapeControlCharacters = context.IsOutputTerminal;
            await dump.DumpAsync(table, context.Out, dumpOptions, cancellationToken);
            return CliApplication.Success;
        }

        // Temp file beside the target, then rename: a failed dump never leaves a half-written file.
        var target = context.ResolvePath(file);
        if (Directory.Exists(target))
        {
            throw new IOException($"The dump file '{file}' is a directory.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            throw new DirectoryNotFoundException($"The directory of the dump file '{file}' does not exist.");
        }

        var temp = target + ".tmp-" + Environment.ProcessId;
        try
        {
            await using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
            {
                await dump.DumpAsync(table, writer, dumpOptions, cancellationToken);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UnauthorizedAccessException($"Cannot write the dump file '{file}': writing in its directory is not permitted.", ex);
        }
        catch (IOException ex)
        {
            // The temp name is ours; the user asked for the target.
            throw new IOException($"Cannot write the dump file '{file}': {ex.Message.Replace(temp, target, StringComparison.Ordinal)}", ex);
        }
        finally
        {
            File.Delete(temp);
        }

        return CliApplication.Success;
    }
}
