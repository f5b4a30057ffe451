using Xcat.Imaging.Catalog;
using Xcat.Imaging.Tables;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class LsdefVerb : IVerb
{
    public string Name => "lsdef";

    public string Summary => "List osimage or node definitions.";

    public string Usage => "lsdef [-t osimage|node|site] [-o names] [-l|-s] [-i attr,...] [-c] [-z] [names|noderange]";

    public void Define(VerbSyntax syntax) => syntax
        .TypeAndNames("Object names or a noderange. [default: every object of the type]")
        .Flag('l', "long", "List every attribute (the default when names are given).")
        .Flag('s', "short", "List the names only (the default without names).")
        .Value('i', "attributes", "attr,...", "List only these attributes.")
        .Flag('c', "compress", "One 'name: attr=value' line per attribute; needs -i.")
        .Flag('z', "stanza", "Write an xCAT stanza file.")
        .Flag('v', "verbose", "Log what is done on stderr.")
        .HelpWith("type", "describe", "Describe the type's attributes (what 'lsdef -t <type> -h' prints); -i limits them.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var type = ObjectVerbSupport.GetObjectType(options);
        var (names, assignments) = ObjectVerbSupport.SplitPositionals(options);
        if (assignments.Count > 0)
        {
            throw new UsageException("lsdef takes no attr=value pairs.");
        }

        if (options.Has("compress") && !options.Has("attributes"))
        {
            throw new UsageException("The flags '-c' and '-i' must be used together.");
        }

        var listing = new ObjectListingOptions
        {
            LongFormat = (options.Has("long") || names is not null) && !options.Has("short"),
            Compact = options.Has("compress"),
            Stanza = options.Has("stanza"),
        };
        foreach (var attribute in (options.Get("attributes") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (type != "site" && !ObjectCommands.GetAttributeNames(type).Contains(attribute))
            {
                throw new ArgumentException($"'{attribute}' is not a valid attribute name for an object type of '{type}'.");
            }

            listing.Attributes.Add(attribute);
        }

        if (options.Has("describe"))
        {
            if (names is not null)
            {
                throw new UsageException("lsdef -h describes a type's attributes; it takes no object names.");
            }

            if (type == "site" && listing.Attributes.Count > 0)
            {
                // xCAT's DBobjectdefs.pm (processArgs) warns and describes the whole site object.
                await context.Error.WriteAsync("Warning: It is not supported to list the description of some specific site attributes, " +
                                               "displaying the description for all site attributes instead.\n");
            }

            ObjectListing.WriteAttributeHelp(type, [.. listing.Attributes], context.Out);
            return CliApplication.Success;
        }

        var catalog = await context.GetCatalogAsync(cancellationToken);
        var selected = names is null ? null : await ObjectVerbSupport.ResolveNamesAsync(catalog, type, names, allowUndefined: false, cancellationToken);
        var objects = await new ObjectCommands(catalog).ListAsync(type, selected, cancellationToken);
        if (objects.Count == 0)
        {
            // xCAT's DBobjectdefs.pm (processArgs): an error, and lsdef exits 1.
            throw new KeyNotFoundException($"Could not get objects of type '{type}'.");
        }

        ObjectListing.Write(objects, listing, context.Out);
        return CliApplication.Success;
    }
}
