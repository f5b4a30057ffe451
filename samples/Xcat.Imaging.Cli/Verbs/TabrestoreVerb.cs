using System.Text;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class TabrestoreVerb : IVerb
{
    public string Name => "tabrestore";

    public string Summary => "Replace (or with -a add to) a table's rows from a tabdump CSV file.";

    public string Usage => "tabrestore [-a] <table>.csv";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("table.csv", "A tabdump file; its name names the table.")
        .Flag('a', "addrows", "Add the rows instead of replacing the table's rows.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1)
        {
            throw new UsageException("tabrestore takes one CSV file.");
        }

        var path = context.ResolvePath(options.Positional[0]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file '{options.Positional[0]}' does not exist.", path);
        }

        var table = TableDump.TableNameFromFileName(path);
        var catalog = await context.GetCatalogAsync(cancellationToken);
        using var reader = new StreamReader(path, new UTF8Encoding(false));
        try
        {
            await new TableDump(catalog).RestoreAsync(table, reader,
                options.Has("addrows") ? TableRestoreMode.Add : TableRestoreMode.Replace, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{options.Positional[0]}: {ex.Message}", ex);
        }

        return CliApplication.Success;
    }
}
