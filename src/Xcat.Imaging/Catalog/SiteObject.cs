using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Catalog;

/// <summary>
/// The <c>site</c> object type: one object, <c>clustersite</c>, whose attributes are the site table's rows. Setting an
/// attribute to an empty value deletes its row, and rmdef deletes every row, as xCAT's <c>DBobjUtils.pm</c> does.
/// </summary>
internal static class SiteObject
{
    public const string TypeName = "site";

    /// <summary>The keys the library reads, sorted; any other key is kept and listed too.</summary>
    public static IReadOnlyList<string> KnownKeys { get; } = ["domain", "httpport", "installdir", "master", "tftpdir", "timezone", "tmpdir"];

    public static async Task<IReadOnlyList<XcatObject>> ListAsync(IImageCatalog catalog, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        CheckNames(names, allowNone: true);
        var values = await ReadAsync(catalog, cancellationToken).ConfigureAwait(false);
        return values.Count == 0 ? [] : [new XcatObject(TypeName, SiteSettings.ObjectName, values)];
    }

    public static async Task<ObjectChangeResult> ChangeAsync(IImageCatalog catalog, IReadOnlyList<string> names,
        IReadOnlyList<KeyValuePair<string, string>> assignments, AttributeChangeMode mode, CancellationToken cancellationToken)
    {
        CheckNames(names, allowNone: true);
        var before = await ReadAsync(catalog, cancellationToken).ConfigureAwait(false);
        var after = new SortedDictionary<string, string>(before, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (key, value) in assignments)
        {
            if (key.Length == 0 || key.Any(static c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '=' or ','))
            {
                problems.Add($"'{DisplayText.Escape(key)}' is not a valid site attribute name.");
                continue;
            }

            var result = ObjectCommands.Combine(SiteSettings.ObjectName, key, after.GetValueOrDefault(key), value, mode, problems);
            if (string.IsNullOrEmpty(result))
            {
                after.Remove(key);
            }
            else
            {
                after[key] = result;
            }
        }

        if (SiteSettings.Problem(after) is { } problem)
        {
            problems.Add("T" + problem[1..]);
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems.Distinct(StringComparer.Ordinal)));
        }

        var changes = new CatalogChanges();
        foreach (var key in before.Keys.Union(after.Keys, StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (now is null)
            {
                changes.Delete(SiteSettings.TableName, Key(key));
            }
            else if (!string.Equals(old, now, StringComparison.Ordinal))
            {
                changes.Upsert(SiteSettings.TableName, Key(key), new Dictionary<string, string?>(StringComparer.Ordinal) { ["value"] = now });
            }
        }

        await catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        return new ObjectChangeResult([], [SiteSettings.ObjectName]);
    }

    public static async Task<int> RemoveAsync(IImageCatalog catalog, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        CheckNames(names, allowNone: false);
        var changes = new CatalogChanges();
        foreach (var key in (await ReadAsync(catalog, cancellationToken).ConfigureAwait(false)).Keys)
        {
            changes.Delete(SiteSettings.TableName, Key(key));
        }

        await catalog.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        return 1;
    }

    /// <summary>The enabled rows as key to value, sorted; a disabled row is invisible and untouched.</summary>
    private static async Task<SortedDictionary<string, string>> ReadAsync(IImageCatalog catalog, CancellationToken cancellationToken)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in await catalog.ReadTableAsync(SiteSettings.TableName, cancellationToken).ConfigureAwait(false))
        {
            if (!row.IsDisabled && row["key"] is { } key && row["value"] is { } value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    private static void CheckNames(IReadOnlyList<string>? names, bool allowNone)
    {
        if ((names is null || names.Count == 0) && allowNone)
        {
            return;
        }

        if (names is null || names.Count == 0 || names.Any(static n => n != SiteSettings.ObjectName))
        {
            var wrong = names?.FirstOrDefault(static n => n != SiteSettings.ObjectName) ?? string.Empty;
            throw new ArgumentException(ObjectCommands.NotFound(wrong, TypeName) + $" The site object is '{SiteSettings.ObjectName}'.", nameof(names));
        }
    }

    private static Dictionary<string, string> Key(string key) => new(StringComparer.Ordinal) { ["key"] = key };
}
