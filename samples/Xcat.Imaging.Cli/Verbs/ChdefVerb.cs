using Microsoft.Extensions.Logging;
using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class ChdefVerb : IVerb
{
    public string Name => "chdef";

    public string Summary => "Change (or create) osimage or node definitions.";

    public string Usage => "chdef [-t osimage|node|site] [-o names] [-p|-m] [names|noderange] attr=value [attr=value ...]";

    public void Define(VerbSyntax syntax) => syntax
        .TypeAndNames("Object names or a noderange, then attr=value pairs.")
        .Flag('p', "plus", "Add the values to a list attribute instead of replacing it.")
        .Flag('m', "minus", "Remove the values from a list attribute.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Has("plus") && options.Has("minus"))
        {
            throw new UsageException("The flags '-p' and '-m' cannot be used together.");
        }

        var type = ObjectVerbSupport.GetObjectType(options);
        var (names, assignments) = ObjectVerbSupport.SplitPositionals(options);
        if (type == "site")
        {
            // xCAT's DBobjectdefs.pm: the site object is clustersite, named or not.
            names ??= SiteSettings.ObjectName;
        }

        if (names is null)
        {
            throw new UsageException("No object names were given.");
        }

        if (assignments.Count == 0)
        {
            throw new UsageException("No attr=value pairs were given.");
        }

        var mode = options.Has("plus") ? AttributeChangeMode.Plus : options.Has("minus") ? AttributeChangeMode.Minus : AttributeChangeMode.Replace;
        var catalog = await context.GetCatalogAsync(cancellationToken);
        var list = await ObjectVerbSupport.ResolveNamesAsync(catalog, type, names, allowUndefined: true, cancellationToken);
        var result = await new ObjectCommands(catalog, context.LoggerFactory.CreateLogger<ObjectCommands>()).ChangeAsync(type, list, assignments, mode, cancellationToken);
        await ObjectVerbSupport.WriteChangeResultAsync(context, result);
        return CliApplication.Success;
    }
}
