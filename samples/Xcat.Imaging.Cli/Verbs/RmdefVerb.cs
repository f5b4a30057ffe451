using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class RmdefVerb : IVerb
{
    public string Name => "rmdef";

    public string Summary => "Remove osimage or node definitions.";

    public string Usage => "rmdef [-t osimage|node] [-o names] [names|noderange]";

    public void Define(VerbSyntax syntax) => syntax
        .TypeAndNames("Object names or a noderange.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var type = ObjectVerbSupport.GetObjectType(options);
        var (names, assignments) = ObjectVerbSupport.SplitPositionals(options);
        if (assignments.Count > 0)
        {
            throw new UsageException("rmdef takes no attr=value pairs.");
        }

        if (names is null)
        {
            throw new UsageException("No object names were given.");
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var list = await ObjectVerbSupport.ResolveNamesAsync(catalog, type, names, allowUndefined: false, cancellationToken);
        var removed = await new ObjectCommands(catalog).RemoveAsync(type, list, cancellationToken);
        await context.Out.WriteAsync($"{removed} object definitions have been removed.\n");
        return CliApplication.Success;
    }
}
