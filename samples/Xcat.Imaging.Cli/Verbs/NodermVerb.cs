using Microsoft.Extensions.Logging;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class NodermVerb : IVerb
{
    public string Name => "noderm";

    public string Summary => "Remove the nodes of a noderange from every table.";

    public string Usage => "noderm noderange";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("noderange", "The nodes to remove.")
        .Flag('v', "version", "Print the version and exit.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("version"))
        {
            return await CliApplication.WriteVersionAsync(context);
        }

        if (options.Positional.Count != 1)
        {
            throw new UsageException(options.Positional.Count == 0 ? "noderm needs a noderange." : "noderm takes one noderange.");
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        // As xCAT's noderm, nothing is printed on success.
        await new TableCommands(catalog, context.LoggerFactory.CreateLogger<TableCommands>()).RemoveNodesAsync(options.Positional[0], cancellationToken);
        return CliApplication.Success;
    }
}
