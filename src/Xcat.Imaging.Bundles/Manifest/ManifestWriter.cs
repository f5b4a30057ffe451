using System.Text;
using System.Xml;

namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// Writes a manifest byte for byte as xCAT's <c>XML::Simple-&gt;XMLout(noattr =&gt; 1, RootName =&gt; 'xcatimage')</c> does
/// (xCAT's imgport.pm, make_bundle). XmlWriter cannot reproduce that layout, so the text is built by hand.
/// </summary>
internal static class ManifestWriter
{
    private const string Declaration = "<?xml version=\"1.0\"?>";
    private const string RootName = "xcatimage";

    // XML::Simple's sorted_keys: the first of its default key attributes present goes first, the rest in ASCII order.
    private static readonly string[] s_keyAttributes = ["name", "key", "id"];

    // Every check here is about the public methods' manifest argument; the helpers do not have that parameter.
    private static readonly string s_manifestParameter = "manifest";

    public static string Write(BundleManifest manifest)
    {
        var builder = new StringBuilder(4096).Append(Declaration).Append('\n');
        WriteElement(builder, new ManifestElement(RootName, null, ToElements(manifest)), 0);
        return builder.ToString();
    }

    private static List<ManifestElement> ToElements(BundleManifest manifest)
    {
        var image = manifest.Image;
        var elements = new List<ManifestElement> { Row("osimage", image.GetColumns("osimage")) };

        // imgexport reads the linuximage row of every Linux image, so the element is there even when only imagename is set.
        var linux = image.GetColumns("linuximage");
        if (image.IsLinux || linux.Count > 1)
        {
            elements.Add(Row("linuximage", linux));
        }

        AddText(elements, "kernel", manifest.Kernel);
        AddText(elements, "ramdisk", manifest.Ramdisk);
        AddText(elements, "rootimg", manifest.RootImage);
        AddText(elements, "rootimgtree", manifest.RootImageTree);
        AddText(elements, "litefile", manifest.LiteFile);
        AddText(elements, "media", manifest.Media);
        AddText(elements, "postscripts", manifest.PostScripts);
        AddText(elements, "postbootscripts", manifest.PostBootScripts);
        AddText(elements, "unpackedrootimg", manifest.UnpackedRootImage);

        foreach (var extra in Items(manifest.Extras, nameof(BundleManifest.Extras)))
        {
            if (string.IsNullOrEmpty(extra.Source) || string.IsNullOrEmpty(extra.Destination))
            {
                throw Invalid("An extra has no source or no destination.");
            }

            elements.Add(new ManifestElement("extra", null, [new("dest", extra.Destination), new("src", extra.Source)]));
        }

        var rawFiles = Items(manifest.RawImageFiles, nameof(BundleManifest.RawImageFiles)).Select(static f => new ManifestElement("files", f)).ToList();
        if (rawFiles.Count > 0)
        {
            elements.Add(new ManifestElement("rawimagefiles", null, rawFiles));
        }

        AddRecords(elements, "kit", manifest.Kits, nameof(BundleManifest.Kits));
        AddRecords(elements, "kitrepo", manifest.KitRepos, nameof(BundleManifest.KitRepos));
        AddRecords(elements, "kitcomp", manifest.KitComponents, nameof(BundleManifest.KitComponents));

        foreach (var other in Items(manifest.OtherElements, nameof(BundleManifest.OtherElements)))
        {
            if (ManifestReader.IsKnownElement(other.Name))
            {
                throw Invalid($"The other element <{other.Name}> clashes with a manifest element of that name; set the matching property instead.");
            }

            elements.Add(other);
        }

        return elements;
    }

    private static ManifestElement Row(string name, IReadOnlyDictionary<string, string> columns)
        => new(name, null, [.. columns.Select(static c => new ManifestElement(c.Key, c.Value))]);

    private static void AddText(List<ManifestElement> elements, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            elements.Add(new ManifestElement(name, value));
        }
    }

    private static void AddRecords(List<ManifestElement> elements, string name, IReadOnlyList<ManifestRecord> records, string property)
    {
        foreach (var record in Items(records, property))
        {
            if (string.IsNullOrEmpty(record.Name) || record.Columns is null)
            {
                throw Invalid($"A <{name}> record has no name or no columns.");
            }

            // A column called "name" would be a second <name> child that xCAT folds by; the key wins.
            var children = new List<ManifestElement> { new("name", record.Name) };
            children.AddRange(record.Columns
                .Where(static c => c.Key != "name" && !string.IsNullOrEmpty(c.Value))
                .Select(static c => new ManifestElement(c.Key, c.Value)));
            elements.Add(new ManifestElement(name, null, children));
        }
    }

    private static IReadOnlyList<T> Items<T>(IReadOnlyList<T> items, string property)
        where T : class
        => items is null || items.Any(static i => i is null)
            ? throw Invalid($"{property} is null or holds a null item.")
            : items;

    private static void WriteElement(StringBuilder builder, ManifestElement element, int depth)
    {
        var name = VerifyName(element.Name);
        var children = element.Children ?? throw Invalid($"The element <{name}> has null children.");
        builder.Append(' ', depth * 2).Append('<').Append(name).Append('>');
        if (children.Count == 0)
        {
            AppendEscaped(builder, element.Value, name);
            builder.Append("</").Append(name).Append(">\n");
            return;
        }

        if (!string.IsNullOrEmpty(element.Value))
        {
            throw Invalid($"The element <{name}> has both text and child elements, which the manifest cannot hold.");
        }

        builder.Append('\n');
        foreach (var child in Sort(children))
        {
            WriteElement(builder, child, depth + 1);
        }

        builder.Append(' ', depth * 2).Append("</").Append(name).Append(">\n");
    }

    /// <summary>Orders siblings as XML::Simple does; a stable sort, so repeated elements keep their order.</summary>
    private static IEnumerable<ManifestElement> Sort(IReadOnlyList<ManifestElement> children)
    {
        if (children.Any(static c => c is null))
        {
            throw Invalid("A manifest element has a null child.");
        }

        var key = s_keyAttributes.FirstOrDefault(k => children.Any(c => c.Name == k));
        return children.OrderBy(c => c.Name == key ? 0 : 1).ThenBy(static c => c.Name, StringComparer.Ordinal);
    }

    private static string VerifyName(string name)
    {
        try
        {
            return XmlConvert.VerifyNCName(name);
        }
        catch (Exception e) when (e is XmlException or ArgumentException)
        {
            throw Invalid($"'{name}' is not a valid manifest element name.", e);
        }
    }

    private static void AppendEscaped(StringBuilder builder, string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        try
        {
            XmlConvert.VerifyXmlChars(value);
        }
        catch (XmlException e)
        {
            throw Invalid($"The value of <{name}> holds characters XML cannot carry.", e);
        }

        // XML::Simple's escape_value: these four only; apostrophes and non-ASCII text pass through.
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                _ => builder.Append(c),
            };
        }
    }

    private static ArgumentException Invalid(string message, Exception? innerException = null)
        => new(message, s_manifestParameter, innerException);
}
