using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class NodelsVerb : IVerb
{
    public string Name => "nodels";

    public string Summary => "List nodes, and their attributes, from the node tables.";

    public string Usage => "nodels [noderange] [-b] [-H] [-S] [table.column | shortname | table | table.column==value ...]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("noderange", "A noderange [default: every node], then table.column, groups, a table name, or a selection " +
                                "table.column==value, !=value, =~regex, !~regex.")
        .Flag('b', "blame", "For values inherited from groups, say which group gave them.")
        .Flag('H', "with-fieldname", "Label every value with its table.column, even when one is asked for.")
        .Flag('S', "show-hidden", "List the hidden nodes (nodelist.hidden=1) too.")
        .Flag('v', "version", "Print the version and exit.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("version"))
        {
            return await CliApplication.WriteVersionAsync(context);
        }

        var noderange = options.Positional.Count > 0 ? options.Positional[0] : null;
        var selectors = options.Positional.Skip(1).ToList();
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var lines = await new TableCommands(catalog).ListNodesAsync(noderange, selectors, new NodeListOptions
        {
            WithFieldNames = options.Has("with-fieldname"),
            ShowHidden = options.Has("show-hidden"),
        }, cancellationToken);

        var blame = options.Has("blame");
        foreach (var line in lines)
        {
            var text = Show(line.Node);
            if (line.Label is { } label)
            {
                text += ": " + Show(label);
            }

            // An unset attribute still gets its ': ' (nodels sends contents "", which xCAT's Client.pm, handle_response, appends).
            if (line.Value is { } value)
            {
                text += ": " + Show(value) + (blame && value.Length > 0 && line.InheritedFrom is { } group ? $" (inherited from group {Show(group)})" : string.Empty);
            }

            await context.Out.WriteAsync(text + "\n");
        }

        return CliApplication.Success;
    }

    private static string Show(string text) => DisplayText.HasNoControlCharacters(text) ? text : DisplayText.Escape(text);
}
