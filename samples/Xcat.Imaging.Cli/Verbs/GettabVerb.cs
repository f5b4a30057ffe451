using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class GettabVerb : IVerb
{
    public string Name => "gettab";

    public string Summary => "Show columns of the row that key=value pairs select, in each table named.";

    public string Usage => "gettab [-H] key=value,...  table.attribute ...";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("key columns", "key=value[,key=value...] selects a row in each table, then the table.attribute columns to show.")
        .Flag('H', "with-fieldname", "Label every value with its table.attribute, even when one is asked for.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count < 2)
        {
            throw new UsageException("gettab needs key=value pairs and at least one table.attribute.");
        }

        var key = TableCommands.ParseKey(options.Positional[0]);
        var columns = options.Positional.Skip(1).ToList();
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var values = await new TableCommands(catalog).GetAsync(key, columns, cancellationToken);

        // xCAT's tabutils.pm (gettab): one column asked for prints the bare value, and an empty one prints nothing.
        var terse = columns.Count == 1 && !options.Has("with-fieldname");
        foreach (var value in values)
        {
            if (!terse)
            {
                await context.Out.WriteAsync($"{value.Table}.{value.Column}: {Show(value.Value)}\n");
            }
            else if (!string.IsNullOrEmpty(value.Value))
            {
                await context.Out.WriteAsync($"{Show(value.Value)}\n");
            }
        }

        return CliApplication.Success;
    }

    private static string Show(string? text) => DisplayText.HasNoControlCharacters(text) ? text ?? string.Empty : DisplayText.Escape(text);
}
