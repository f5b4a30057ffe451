using Xcat.Imaging.Catalog;

namespace Xcat.Imaging.Tables;

/// <summary>
/// lsdef's output formats (xCAT's DBobjectdefs.pm, defls, <c>DBobjectdefs.pm::defls</c>): short list, long listing, selected attributes
/// (sorted, shown even when empty), compact lines and stanzas.
/// </summary>
/// <remarks>
/// Names and values are printed as xCAT prints them, except that one holding a control character (a newline, an
/// escape sequence) is escaped as GNU tar escapes names (<c>\n</c>, <c>\033</c>, <c>\\</c>): a value can neither forge a
/// listing line nor reach the terminal as a command. Values without control characters keep their backslashes, so
/// xCAT's regular-expression values such as <c>|\D+(\d+)|</c> print byte for byte as xCAT prints them.
/// </remarks>
public static class ObjectListing
{
    /// <summary>
    /// lsdef -t type -h [-i attr,...]: writes the attribute descriptions as xCAT does (xCAT's DBobjectdefs.pm,
    /// processArgs): a heading (left out with <paramref name="attributes"/>), <c>Attribute          Description</c>, a
    /// blank line, then <c>attr:</c>, two tabs when the name is shorter than 7 characters (else one) and the description,
    /// a blank line between attributes. The site object is described as a whole; <paramref name="attributes"/> does not
    /// apply to it.
    /// </summary>
    /// <param name="objectType">The object type.</param>
    /// <param name="attributes">The attributes to describe (<c>-i</c>); all when <see langword="null"/> or empty.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentException">The type is not supported, or an attribute is not one of the type's.</exception>
    public static void WriteAttributeHelp(string objectType, IReadOnlyCollection<string>? attributes, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var descriptions = ObjectCommands.GetAttributeDescriptions(objectType);
        if (objectType == SiteObject.TypeName)
        {
            // xCAT's text, its trailing spaces included.
            output.Write("\nThere can only be one xCAT site definition. This definition consists \nof an unlimited list of user-defined attributes and values that represent \n" +
                         "global settings for the whole cluster. The following is a list \nof the attributes currently supported by xCAT.\n");
            output.Write($"{descriptions[0].Value}\n");
            return;
        }

        var selected = attributes is { Count: > 0 };
        foreach (var attribute in attributes ?? [])
        {
            if (!descriptions.Any(d => d.Key == attribute))
            {
                throw new ArgumentException($"'{attribute}' is not a valid attribute name for an object type of '{objectType}'.", nameof(attributes));
            }
        }

        if (!selected)
        {
            output.Write($"The valid attribute names for object type '{objectType}' are:\n");
        }

        output.Write("Attribute          Description\n\n");
        var entries = descriptions.Where(d => !selected || attributes!.Contains(d.Key))
            .Select(static d => $"{d.Key}:{(d.Key.Length < 7 ? "\t\t" : "\t")}{d.Value}")
            .Order(StringComparer.Ordinal);
        output.Write(string.Join("\n\n", entries) + "\n");
    }

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
                output.Write($"\n{Show(obj.Name)}:\n    objtype={Show(obj.Type)}\n");
                WriteAttributes(obj, options, selected, "    ", output);
            }

            return;
        }

        if (options.Compact)
        {
            foreach (var obj in objects)
            {
                WriteAttributes(obj, options, selected, Show(obj.Name) + ": ", output);
            }

            return;
        }

        if (!options.LongFormat && !selected)
        {
            foreach (var obj in objects)
            {
                output.Write($"{Show(obj.Name)}  ({Show(obj.Type)})\n");
            }

            return;
        }

        foreach (var obj in objects)
        {
            output.Write($"Object name: {Show(obj.Name)}\n");
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
                output.Write($"{prefix}{Show(attribute)}={Show(obj.Attributes.GetValueOrDefault(attribute, string.Empty))}\n");
            }

            return;
        }

        foreach (var (attribute, value) in obj.Attributes.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            output.Write($"{prefix}{Show(attribute)}={Show(value)}\n");
        }
    }

    private static string Show(string text) => DisplayText.HasNoControlCharacters(text) ? text : DisplayText.Escape(text);
}
