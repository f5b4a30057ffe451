using Microsoft.Extensions.Logging;
using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class MkdefVerb : IVerb
{
    public string Name => "mkdef";

    public string Summary => "Create osimage or node definitions.";

    public string Usage => "mkdef [-t osimage|node] [-o names] [-f] [names|noderange] attr=value [attr=value ...]";

    public void Define(VerbSyntax syntax) => syntax
        .TypeAndNames("Object names or a noderange, then attr=value pairs.")
        .Flag('f', "force", "Replace a definition that already exists.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var type = ObjectVerbSupport.GetObjectType(options);
        var (names, assignments) = ObjectVerbSupport.SplitPositionals(options);
        if (names is null)
        {
            throw new UsageException("No object names were given.");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, value) in assignments)
        {
            attributes[attribute] = value;
        }

        // xCAT's mkdef (DBobjectdefs.pm) words both refusals; a node needs groups, or its nodelist row is never written.
        if (attributes.Count == 0)
        {
            throw new InvalidOperationException("No object definitions have been created or modified: no attributes were specified." +
                (type == "node" ? " The 'groups' attribute is required when creating node definitions." : string.Empty));
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var list = await ObjectVerbSupport.ResolveNamesAsync(catalog, type, names, allowUndefined: true, cancellationToken);
        if (type == "node" && string.IsNullOrEmpty(attributes.GetValueOrDefault("groups")))
        {
            throw new InvalidOperationException(list.Count == 1
                ? $"Attribute 'groups' is not specified for node '{list[0]}', skipping to the next node."
                : $"Attribute 'groups' is not specified for the nodes '{string.Join(',', list)}'; no node definitions were created.");
        }

        var result = await new ObjectCommands(catalog, context.LoggerFactory.CreateLogger<ObjectCommands>()).MakeAsync(type, list, attributes,
            options.Has("force") ? ExistingObjectHandling.Replace : ExistingObjectHandling.Refuse, cancellationToken);
        await context.Out.WriteAsync($"{result.Count} object definitions have been created or modified.\n");
        return CliApplication.Success;
    }
}
