using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Cli.Verbs;

/// <summary>What lsdef, mkdef, chdef and rmdef share: -t/-o, name or noderange positionals, attr=val pairs.</summary>
internal static class ObjectVerbSupport
{
    public static VerbSyntax TypeAndNames(this VerbSyntax syntax, string namesHelp) => syntax
        .Value('t', "type", "type", $"The object type: {Listing.OneOf(ObjectCommands.ObjectTypes)}.", defaultValue: "node")
        .Value('o', "objects", "names", "Object names (a comma list), or for nodes a noderange.")
        .Arguments("names", namesHelp);

    public static string GetObjectType(ParsedOptions options)
    {
        var type = options.Get("type") ?? "node";
        if (!ObjectCommands.ObjectTypes.Contains(type))
        {
            // xCAT's DBobjectdefs.pm: "Type '<t>' is not a valid xCAT object type." (exit 3 there, a usage error).
            throw new UsageException($"Type '{type}' is not a valid xCAT object type here; use {Listing.OneOf(ObjectCommands.ObjectTypes)}.");
        }

        return type;
    }

    /// <summary>Splits positionals into the object names (or noderange) before the first attr=val, and the pairs.</summary>
    public static (string? Names, List<KeyValuePair<string, string>> Assignments) SplitPositionals(ParsedOptions options)
    {
        string? names = null;
        var assignments = new List<KeyValuePair<string, string>>();
        foreach (var arg in options.Positional)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                assignments.Add(new(arg[..eq], arg[(eq + 1)..]));
            }
            else if (eq == 0)
            {
                throw new UsageException($"'{arg}' is not of the form attr=value.");
            }
            else if (assignments.Count > 0)
            {
                throw new UsageException($"'{arg}' follows the attr=value pairs; put object names first.");
            }
            else
            {
                names = names is null ? arg : names + "," + arg;
            }
        }

        if (options.Get("objects") is { } objects)
        {
            names = names is null ? objects : names + "," + objects;
        }

        return (names, assignments);
    }

    /// <summary>Object names from a comma list, or for nodes from a noderange expanded against the catalog.</summary>
    public static async Task<IReadOnlyList<string>> ResolveNamesAsync(IImageCatalog catalog, string type, string names, bool allowUndefined,
        CancellationToken cancellationToken)
    {
        if (type == "node")
        {
            // An empty selection (/regex matching nothing, a,-a) must not fall back to "every node".
            var nodes = await catalog.ExpandNodeRangeAsync(names, allowUndefined, cancellationToken);
            return nodes.Count > 0 ? nodes : throw new KeyNotFoundException("The noderange selects no nodes.");
        }

        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            throw new UsageException("No object names were given.");
        }

        return list;
    }

    public static async Task WriteChangeResultAsync(CliContext context, ObjectChangeResult result)
    {
        await context.Out.WriteAsync($"{result.Count} object definitions have been created or modified.\n");
        if (result.Created.Count > 0)
        {
            await context.Out.WriteAsync($"New object definitions '{string.Join(',', result.Created)}' have been created.\n");
        }
    }
}
