using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>
/// chtab and tabch: the same syntax and behaviour (xCAT's chtab and tabch man pages); xCAT's tabch runs under xcatd
/// and chtab beside it, a difference that has no meaning here.
/// </summary>
internal sealed partial class TableChangeVerb(string name) : IVerb
{
    public string Name => name;

    public string Summary => name == "chtab"
        ? "Add, change or delete table rows by key: key=value[,...] table.column=value ..."
        : "The same as chtab (xCAT runs tabch under xcatd, chtab beside it).";

    public string Usage => $"{name} keycolname=keyvalue[,...] tablename.colname[+]=newvalue [...] | {name} -d keycolname=keyvalue[,...] tablename [...]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("key changes", "keycolname=keyvalue[,keycolname=keyvalue...] selects the rows, then tablename.colname=newvalue " +
                                  "(or +=newvalue to append to a comma list); with -d, the tables to delete the rows from.")
        .Flag('d', "delete", "Delete the rows the key selects from the tables named.")
        .Flag('v', "version", "Print the version and exit.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("version"))
        {
            return await CliApplication.WriteVersionAsync(context);
        }

        if (options.Positional.Count == 0)
        {
            throw new UsageException($"{name} needs keycolname=keyvalue and tablename.colname=newvalue arguments.");
        }

        // xCAT's chtab: a first argument that is already table.column=value means no key was given.
        var words = options.Positional;
        var key = AssignmentShape().IsMatch(words[0].Split(',')[0])
            ? new Dictionary<string, string>()
            : TableCommands.ParseKey(words[0]);
        var rest = key.Count == 0 ? words : words.Skip(1).ToList();
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var commands = new TableCommands(catalog, context.LoggerFactory.CreateLogger<TableCommands>());
        if (options.Has("delete"))
        {
            await commands.DeleteAsync(key, rest, cancellationToken);
        }
        else
        {
            await commands.SetAsync(key, [.. rest.Select(TableAssignment.Parse)], cancellationToken);
        }

        // As xCAT's chtab, nothing is printed on success.
        return CliApplication.Success;
    }

    [GeneratedRegex(@"([^.=]+)\.([^.=]+)=(.+)")]
    private static partial Regex AssignmentShape();
}
