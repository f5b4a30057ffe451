using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Tables;

/// <summary>
/// lsdef's output formats (spec §6.5, <c>DBobjectdefs.pm::defls</c>): short list, long listing, selected attributes
/// (sorted, shown even when empty), compact lines and stanzas.
/// </summary>
public static class ObjectListing
{
    /// <summary>Writes objects as lsdef does; lines end in <c>\n</c>.</summary>
    /// <param name="objects">The objects, already sorted by name.</param>
    /// <param name="options">The lsdef flags; <see langword="null"/> for the short list.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentException"><see cref="ObjectListingOptions.Compact"/> is set without attributes.</exception>
    public static void Write(IReadOnlyList<XcatObject> objects, ObjectListingOptions? options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new ObjectListingOptions();
        if (options.Compact && options.Attributes.Count == 0)
        {
            throw new ArgumentException("The flags '-c' and '-i' must be used together.", nameof(options));
        }

        var selected = options.Attributes.Count > 0;
        if (options.Stanza)
        {
            output.Write("# <xCAT data object stanza file>\n");
            foreach (var obj in objects)
            {
                output.Write($"\n{obj.Name}:\n    objtype={obj.Type}\n");
                WriteAttributes(obj, options, selected, "    ", output);
            }

            return;
        }

        if (options.Compact)
        {
            foreach (var obj in objects)
            {
                WriteAttributes(obj, options, selected, obj.Name + ": ", output);
            }

            return;
        }

        if (!options.LongFormat && !selected)
        {
            foreach (var obj in objects)
            {
                output.Write($"{obj.Name}  ({obj.Type})\n");
            }

            return;
        }

        foreach (var obj in objects)
        {
            output.Write($"Object name: {obj.Name}\n");
            WriteAttributes(obj, options, selected, "    ", output);
        }
    }

    private static void WriteAttributes(XcatObject obj, ObjectListingOptions options, bool selected, string prefix, TextWriter output)
    {
        if (selected)
        {
            // lsdef sorts the -i attributes too, whatever order they were given in.
            foreach (var attribute in options.Attributes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                output.Write($"{prefix}{attribute}={obj.Attributes.GetValueOrDefault(attribute, string.Empty)}\n");
            }

            return;
        }

        foreach (var (attribute, value) in obj.Attributes.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            output.Write($"{prefix}{attribute}={value}\n");
        }
    }
}
