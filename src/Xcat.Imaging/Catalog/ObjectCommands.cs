using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// xCAT's object commands over a catalog: lsdef, mkdef, chdef and rmdef for the <c>osimage</c> and <c>node</c> types, and
/// lsdef, chdef and rmdef for the one <c>site</c> object, <c>clustersite</c> (xCAT's <c>DBobjectdefs.pm</c>). Every command
/// is all-or-nothing: any problem leaves the catalog unchanged.
/// </summary>
/// <remarks>
/// One deliberate difference from xCAT: an unknown attribute is an error that names it, where xCAT skips it silently.
/// </remarks>
public sealed class ObjectCommands
{
    private readonly IImageCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Initializes the commands over a catalog.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="logger">A logger; none when <see langword="null"/>.</param>
    public ObjectCommands(IImageCatalog catalog, ILogger<ObjectCommands>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the object types the commands support: <c>osimage</c>, <c>node</c> and <c>site</c>.</summary>
    public static IReadOnlyList<string> ObjectTypes { get; } = [.. ObjectTypeSpec.All.Select(static t => t.Name), SiteObject.TypeName];

    /// <summary>Returns the attribute names of an object type in xCAT's definition order.</summary>
    /// <param name="objectType">The object type.</param>
    /// <returns>The attribute names.</returns>
    /// <exception cref="ArgumentException">The type is not supported.</exception>
    /// <remarks>The site object takes any key; the names returned for <c>site</c> are the keys the library reads.</remarks>
    public static IReadOnlyList<string> GetAttributeNames(string objectType)
        => objectType == SiteObject.TypeName ? SiteObject.KnownKeys : [.. ObjectTypeSpec.Get(objectType).Attributes.Select(static a => a.Attribute)];

    /// <summary>
    /// lsdef -h: the description of each attribute of an object type, sorted by name; an attribute's description is
    /// that of the table column holding it (xCAT's DBobjectdefs.pm, processArgs, and Schema.pm, %defspec). The site
    /// object has one entry, <c>key</c>, describing its keys.
    /// </summary>
    /// <param name="objectType">The object type.</param>
    /// <returns>Attribute name and description pairs, sorted by name.</returns>
    /// <exception cref="ArgumentException">The type is not supported.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> GetAttributeDescriptions(string objectType)
    {
        if (objectType == SiteObject.TypeName)
        {
            return [new("key", XcatSchema.GetTable("site").ColumnDescriptions.GetValueOrDefault("key", string.Empty))];
        }

        return [.. ObjectTypeSpec.Get(objectType).Attributes
            .Select(static a => new KeyValuePair<string, string>(a.Attribute, XcatSchema.GetTable(a.Table).ColumnDescriptions.GetValueOrDefault(a.Column, string.Empty)))
            .OrderBy(static p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>lsdef: lists objects sorted by name, with node attributes resolved through their groups.</summary>
    /// <param name="objectType">The object type.</param>
    /// <param name="names">The objects to list; all when <see langword="null"/> or empty.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The objects, sorted by name.</returns>
    /// <exception cref="ArgumentException">The type is not supported.</exception>
    /// <exception cref="ArgumentException">The type is not supported, or a named object is not defined; the message names it.</exception>
    public async Task<IReadOnlyList<XcatObject>> ListAsync(string objectType, IReadOnlyList<string>? names = null, CancellationToken cancellationToken = default)
    {
        if (objectType == SiteObject.TypeName)
        {
            return await SiteObject.ListAsync(_catalog, names, cancellationToken).ConfigureAwait(false);
        }

        var spec = ObjectTypeSpec.Get(objectType);
        var entries = await ObjectStore.ReadAllAsync(_catalog, spec, cancellationToken).ConfigureAwait(false);
        var byName = entries.ToDictionary(static e => e.Name, StringComparer.Ordinal);
        IEnumerable<ObjectStore.Entry> selected = entries;
        if (names is { Count: > 0 })
        {
            var missing = names.Where(n => !byName.ContainsKey(n)).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException(string.Join(Environment.NewLine, missing.Select(n => NotFound(n, spec.Name))), nameof(names));
            }

            selected = names.Distinct(StringComparer.Ordinal).Select(n => byName[n]);
        }

        return [.. selected.OrderBy(static e => e.Name, StringComparer.Ordinal).Select(e => new XcatObject(spec.Name, e.Name, e.Resolved))];
    }

    /// <summary>
    /// mkdef: creates objects with the given attributes. Existing objects are an error unless <paramref name="existing"/> is
    /// <see cref="ExistingObjectHandling.Replace"/> (<c>-f</c>), which replaces them whole.
    /// </summary>
    /// <param name="objectType">The object type.</param>
    /// <param name="names">The objects to create.</param>
    /// <param name="attributes">The attributes of every new object.</param>
    /// <param name="existing">Whether existing objects refuse the command (the default) or are removed and created anew.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The objects created or replaced.</returns>
    /// <exception cref="ArgumentException">The type, a name or an attribute is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">An object exists and <paramref name="existing"/> is <see cref="ExistingObjectHandling.Refuse"/>.</exception>
    public async Task<ObjectChangeResult> MakeAsync(string objectType, IReadOnlyList<string> names, IReadOnlyDictionary<string, string> attributes,
        ExistingObjectHandling existing = ExistingObjectHandling.Refuse, CancellationToken cancellationToken = default)
    {
        if (objectType == SiteObject.TypeName)
        {
            throw new ArgumentException($"The site object '{SiteSettings.ObjectName}' always exists; change it with chdef -t site.", nameof(objectType));
        }

        var spec = ObjectTypeSpec.Get(objectType);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(attributes);
        var current = (await ObjectStore.ReadAllAsync(_catalog, spec, cancellationToken).ConfigureAwait(false))
            .ToDictionary(static e => e.Name, StringComparer.Ordinal);
        var present = names.Where(current.ContainsKey).ToList();
        if (present.Count > 0 && existing != ExistingObjectHandling.Replace)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, present.Select(n => $"A definition for '{n}' already exists."))
                + Environment.NewLine + "To remove the old definition and replace it with a new definition use the force '-f' option."
                + Environment.NewLine + "To change the existing definition use the 'chdef' command.");
        }

        var changes = new CatalogChanges();
        var problems = new List<string>();
        var warnings = new List<string>();
        var defaults = spec == ObjectTypeSpec.Node ? await _catalog.GetDefaultPostScriptsAsync(cancellationToken).ConfigureAwait(false) : null;
        var assignments = attributes.Select(static p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();
        foreach (var name in Distinct(names))
        {
            if (current.ContainsKey(name))
            {
                ObjectStore.AddRemoval(changes, spec, name);
            }

            var after = Apply(spec, name, isNew: true, new Dictionary<string, string>(StringComparer.Ordinal), assignments, AttributeChangeMode.Replace, problems);
            DropDefaultScripts(spec, name, after, assignments, defaults, warnings);
            ObjectStore.AddChanges(changes, spec, name, isNew: true, new Dictionary<string, string>(StringComparer.Ordinal), after);
        }

        ThrowIfProblems(problems);
        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.ObjectsChanged(_logger, "mkdef", names.Count, spec.Name);
        return Result([.. Distinct(names).Where(n => !current.ContainsKey(n))], [.. Distinct(names).Where(current.ContainsKey)], warnings);
    }

    /// <summary>
    /// chdef: changes attributes of objects, creating those that do not exist. <see cref="AttributeChangeMode.Replace"/>
    /// sets values (an empty value clears); <see cref="AttributeChangeMode.Plus"/> and <see cref="AttributeChangeMode.Minus"/>
    /// add or remove comma-list items. A new osimage without <c>imagetype</c> gets <c>imagetype=NIM</c>, as in xCAT.
    /// </summary>
    /// <param name="objectType">The object type.</param>
    /// <param name="names">The objects to change.</param>
    /// <param name="assignments">The <c>attr=value</c> pairs, in command-line order.</param>
    /// <param name="mode">How values are applied.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The objects created and modified.</returns>
    /// <exception cref="ArgumentException">The type, a name, an attribute or a value is invalid; the message lists every problem.</exception>
    public async Task<ObjectChangeResult> ChangeAsync(string objectType, IReadOnlyList<string> names, IReadOnlyList<KeyValuePair<string, string>> assignments,
        AttributeChangeMode mode = AttributeChangeMode.Replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Count == 0)
        {
            throw new ArgumentException("No attribute=value pairs were given.", nameof(assignments));
        }

        if (objectType == SiteObject.TypeName)
        {
            var site = await SiteObject.ChangeAsync(_catalog, names, assignments, mode, cancellationToken).ConfigureAwait(false);
            Log.ObjectsChanged(_logger, "chdef", 1, SiteObject.TypeName);
            return site;
        }

        var spec = ObjectTypeSpec.Get(objectType);

        var existing = (await ObjectStore.ReadAllAsync(_catalog, spec, cancellationToken).ConfigureAwait(false))
            .ToDictionary(static e => e.Name, StringComparer.Ordinal);
        var changes = new CatalogChanges();
        var problems = new List<string>();
        var warnings = new List<string>();
        var defaults = spec == ObjectTypeSpec.Node ? await _catalog.GetDefaultPostScriptsAsync(cancellationToken).ConfigureAwait(false) : null;
        foreach (var name in Distinct(names))
        {
            var isNew = !existing.TryGetValue(name, out var entry);
            var before = entry?.Own ?? new Dictionary<string, string>(StringComparer.Ordinal);
            var after = Apply(spec, name, isNew, before, assignments, mode, problems);
            DropDefaultScripts(spec, name, after, assignments, defaults, warnings);
            ObjectStore.AddChanges(changes, spec, name, isNew, before, after);
        }

        ThrowIfProblems(problems);
        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.ObjectsChanged(_logger, "chdef", names.Count, spec.Name);
        return Result([.. Distinct(names).Where(n => !existing.ContainsKey(n))], [.. Distinct(names).Where(existing.ContainsKey)], warnings);
    }

    /// <summary>rmdef: removes objects and every row that belongs to them.</summary>
    /// <param name="objectType">The object type.</param>
    /// <param name="names">The objects to remove.</param>
    /// <param name="cancellationToken">A token to cancel the command.</param>
    /// <returns>The number of objects removed.</returns>
    /// <exception cref="ArgumentException">The type is not supported, or an object is not defined; nothing was removed.</exception>
    public async Task<int> RemoveAsync(string objectType, IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (objectType == SiteObject.TypeName)
        {
            return await SiteObject.RemoveAsync(_catalog, names, cancellationToken).ConfigureAwait(false);
        }

        var spec = ObjectTypeSpec.Get(objectType);
        var existing = (await ObjectStore.ReadAllAsync(_catalog, spec, cancellationToken).ConfigureAwait(false))
            .Select(static e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !existing.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, missing.Select(n => NotFound(n, spec.Name))), nameof(names));
        }

        var changes = new CatalogChanges();
        var distinct = Distinct(names);
        foreach (var name in distinct)
        {
            ObjectStore.AddRemoval(changes, spec, name);
        }

        await _catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.ObjectsChanged(_logger, "rmdef", distinct.Count, spec.Name);
        return distinct.Count;
    }

    internal static string NotFound(string name, string type) => $"Could not find an object named '{name}' of type '{type}'.";

    private static Dictionary<string, string> Apply(ObjectTypeSpec spec, string name, bool isNew, IReadOnlyDictionary<string, string> before,
        IReadOnlyList<KeyValuePair<string, string>> assignments, AttributeChangeMode mode, List<string> problems)
    {
        if (ImageDefinition.NameProblem(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
            return new Dictionary<string, string>(before, StringComparer.Ordinal);
        }

        var after = new Dictionary<string, string>(before, StringComparer.Ordinal);
        var assigned = new List<string>();
        foreach (var (attribute, value) in assignments)
        {
            if (!spec.ByName.ContainsKey(attribute))
            {
                problems.Add($"'{attribute}' is not a valid attribute name for an object type of '{spec.Name}'.");
                continue;
            }

            assigned.Add(attribute);
            var result = Combine(name, attribute, after.GetValueOrDefault(attribute), value, mode, problems);
            if (string.IsNullOrEmpty(result))
            {
                after.Remove(attribute);
            }
            else
            {
                after[attribute] = result;
            }
        }

        if (spec == ObjectTypeSpec.OsImage)
        {
            // A new osimage without imagetype becomes a NIM image, as setobjdefs does (xCAT's DBobjUtils.pm, setobjdefs).
            if (isNew && !after.ContainsKey("imagetype"))
            {
                after["imagetype"] = "NIM";
            }

            var definition = ImageDefinition.FromAttributes(name, after.Select(static p => new KeyValuePair<string, string?>(p.Key, p.Value)));
            problems.AddRange(definition.Validate()
                .Where(p => assigned.Contains(p.Attribute, StringComparer.Ordinal) || p.Attribute == "imagename")
                .Select(p => p.Message.StartsWith("Cannot set", StringComparison.Ordinal) ? p.Message : $"{name}: {p}"));
        }

        return after;
    }

    /// <summary>The value of <paramref name="attribute"/> after <c>chdef</c> (<c>-p</c>, <c>-m</c> or plain) assigns <paramref name="value"/>.</summary>
    internal static string? Combine(string name, string attribute, string? current, string value, AttributeChangeMode mode, List<string> problems)
    {
        switch (mode)
        {
            case AttributeChangeMode.Plus:
                var items = CommaList.Split(current).ToList();
                items.AddRange(CommaList.Split(value).Where(item => !items.Contains(item, StringComparer.Ordinal)));
                return CommaList.Join(items);
            case AttributeChangeMode.Minus:
                var remaining = CommaList.Split(current).ToList();
                foreach (var item in CommaList.Split(value))
                {
                    if (!remaining.Remove(item))
                    {
                        problems.Add($"{item} is not in the attribute of '{attribute}' for the '{name}' definition.");
                    }
                }

                return CommaList.Join(remaining);
            default:
                return value;
        }
    }

    private ObjectChangeResult Result(IReadOnlyList<string> created, IReadOnlyList<string> modified, List<string> warnings)
    {
        foreach (var warning in warnings)
        {
            Log.ObjectWarning(_logger, warning);
        }

        return new ObjectChangeResult(created, modified) { Warnings = warnings };
    }

    /// <summary>
    /// Leaves out of a node's or group's postscripts and postbootscripts, when they are written, the scripts the
    /// <c>xcatdefaults</c> row already runs, and says so: xCAT's DBobjUtils.pm (setobjdefs) does both.
    /// </summary>
    private static void DropDefaultScripts(ObjectTypeSpec spec, string name, Dictionary<string, string> after,
        IReadOnlyList<KeyValuePair<string, string>> assignments, Nodes.NodePostScripts? defaults, List<string> warnings)
    {
        if (defaults is null || name == Nodes.NodePostScripts.DefaultsRow)
        {
            return;
        }

        foreach (var (attribute, run) in new[] { ("postscripts", defaults.PostScripts), ("postbootscripts", defaults.PostBootScripts) })
        {
            if (!assignments.Any(a => a.Key == attribute) || !after.TryGetValue(attribute, out var value))
            {
                continue;
            }

            var kept = new List<string>();
            foreach (var script in CommaList.Split(value))
            {
                if (run.Contains(script, StringComparer.Ordinal))
                {
                    warnings.Add($"{name}: {attribute} '{script}' is already included in the 'xcatdefaults'.");
                }
                else
                {
                    kept.Add(script);
                }
            }

            if (CommaList.Join(kept) is { } joined)
            {
                after[attribute] = joined;
            }
            else
            {
                after.Remove(attribute);
            }
        }
    }

    private static List<string> Distinct(IReadOnlyList<string> names) => [.. names.Distinct(StringComparer.Ordinal)];

    private static void ThrowIfProblems(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems.Distinct(StringComparer.Ordinal)));
        }
    }
}
