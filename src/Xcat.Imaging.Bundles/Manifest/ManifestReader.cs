using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// Reads a manifest in the nested (2.8+) or the flat (2.7) layout, with the relaxed rules of xCAT's default
/// <c>XMLin</c> (xCAT's imgport.pm, manifest_adapter) and the trimming of <c>verify_manifest</c> (xCAT's imgport.pm, verify_manifest).
/// </summary>
internal static partial class ManifestReader
{
    private static readonly string[] s_textElements =
        ["kernel", "ramdisk", "rootimg", "rootimgtree", "litefile", "media", "postscripts", "postbootscripts", "unpackedrootimg"];

    private static readonly HashSet<string> s_knownElements = new(
        [.. s_textElements, "osimage", "linuximage", "extra", "rawimagefiles", "kit", "kitrepo", "kitcomp"], StringComparer.Ordinal);

    // Unknown elements under <xcatimage> are kept with their children; xCAT's own go two levels deep.
    private const int MaxElementDepth = 32;

    // verify_manifest trims these when they hold a single token (xCAT's imgport.pm, verify_manifest).
    private static readonly string[] s_trimmedColumns = ["imagename", "provmethod", "profile", "osvers", "osarch"];

    public static bool IsKnownElement(string name) => s_knownElements.Contains(name);

    public static BundleManifest Parse(Stream source)
    {
        if (source.CanSeek)
        {
            var start = source.Position;
            using (var scan = XmlReader.Create(source, CreateSettings()))
            {
                CheckDepth(scan);
            }

            source.Position = start;
        }

        using var reader = XmlReader.Create(source, CreateSettings());
        return Parse(reader);
    }

    public static BundleManifest Parse(string xml)
    {
        using (var scan = XmlReader.Create(new StringReader(xml), CreateSettings()))
        {
            CheckDepth(scan);
        }

        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, CreateSettings());
        return Parse(reader);
    }

    // Building an XDocument of 100,000 nested elements takes minutes of CPU: too deep a document is refused by a
    // streaming pass first. Malformed XML is left to the parse, which reports it.
    private static void CheckDepth(XmlReader reader)
    {
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth > MaxElementDepth)
                {
                    throw new InvalidDataException(
                        $"The manifest element <{reader.LocalName}> is nested more than {MaxElementDepth} levels deep{At((IXmlLineInfo)reader)}.");
                }
            }
        }
        catch (XmlException)
        {
        }
    }

    private static XmlReaderSettings CreateSettings() => new()
    {
        // No DTD at all: refuses external entities (XXE) and entity expansion (billion laughs) alike.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = ManifestSerializer.MaximumSize,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    private static BundleManifest Parse(XmlReader reader)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"The manifest is not valid XML: {e.Message}", e);
        }

        var root = document.Root ?? throw new InvalidDataException("The manifest has no root element.");
        if (root.Name.LocalName != "xcatimage")
        {
            throw new InvalidDataException($"The manifest's root element is <{root.Name.LocalName}>, not <xcatimage>{At(root)}.");
        }

        var osImage = new Dictionary<string, string>(StringComparer.Ordinal);
        var linuxImage = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<XElement>();
        var elements = root.Elements().ToList();
        if (elements.Exists(static e => Name(e) is "osimage" or "linuximage"))
        {
            var rows = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in elements)
            {
                switch (Name(element))
                {
                    case "osimage" or "linuximage" when !rows.Add(Name(element)):
                        throw new InvalidDataException($"The manifest has more than one <{Name(element)}> element{At(element)}.");
                    case "osimage":
                        ReadRow(element, osImage);
                        break;
                    case "linuximage":
                        ReadRow(element, linuxImage);
                        break;
                    default:
                        rest.Add(element);
                        break;
                }
            }
        }
        else
        {
            AdaptFlatLayout(elements, osImage, linuxImage, rest);
        }

        foreach (var column in s_trimmedColumns)
        {
            if (osImage.TryGetValue(column, out var value) && SingleToken().Match(value) is { Success: true } token)
            {
                osImage[column] = token.Groups[1].Value;
            }
        }

        if (!osImage.TryGetValue("imagename", out var name) || name.Length == 0)
        {
            throw new InvalidDataException("The 'imagename' field is not defined in manifest.xml.");
        }

        return ReadTopLevel(new BundleManifest(ImageDefinition.FromColumns(osImage, linuxImage)), rest);
    }

    /// <summary>
    /// xCAT 2.7 wrote the columns straight under the root; <c>manifest_adapter</c> moves every osimage column to osimage
    /// and every linuximage column to linuximage (shared ones to both), xCAT's imgport.pm, manifest_adapter. Like xCAT, this also takes a top-level
    /// <c>postscripts</c>/<c>postbootscripts</c>, which are osimage columns.
    /// </summary>
    private static void AdaptFlatLayout(List<XElement> elements, Dictionary<string, string> osImage,
        Dictionary<string, string> linuxImage, List<XElement> rest)
    {
        var osColumns = XcatSchema.GetTable("osimage").Columns;
        var linuxColumns = XcatSchema.GetTable("linuximage").Columns;
        foreach (var element in elements)
        {
            var name = Name(element);
            var isOs = osColumns.Contains(name, StringComparer.Ordinal);
            var isLinux = linuxColumns.Contains(name, StringComparer.Ordinal);
            if (element.HasElements || !(isOs || isLinux))
            {
                rest.Add(element);
                continue;
            }

            if (isOs)
            {
                AddColumn(osImage, element, "xcatimage");
            }

            if (isLinux)
            {
                AddColumn(linuxImage, element, "xcatimage");
            }
        }
    }

    private static void ReadRow(XElement row, Dictionary<string, string> columns)
    {
        foreach (var column in row.Elements())
        {
            AddColumn(columns, column, Name(row));
        }
    }

    private static void AddColumn(Dictionary<string, string> columns, XElement column, string parent)
    {
        var value = Text(column);
        if (value is null)
        {
            return;
        }

        if (!columns.TryAdd(Name(column), value))
        {
            throw new InvalidDataException($"The column <{Name(column)}> appears more than once in <{parent}>{At(column)}.");
        }
    }

    private static BundleManifest ReadTopLevel(BundleManifest manifest, List<XElement> elements)
    {
        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        var extras = new List<BundleExtra>();
        var rawFiles = new List<string>();
        var records = new Dictionary<string, List<ManifestRecord>>(StringComparer.Ordinal) { ["kit"] = [], ["kitrepo"] = [], ["kitcomp"] = [] };
        var others = new List<ManifestElement>();
        var seenRawFiles = false;
        foreach (var element in elements)
        {
            var name = Name(element);
            if (s_textElements.Contains(name, StringComparer.Ordinal))
            {
                // Paths and script lists: surrounding whitespace never means anything here.
                if (!texts.TryAdd(name, NullIfEmpty(Text(element)?.Trim())))
                {
                    throw new InvalidDataException($"The manifest has more than one <{name}> element{At(element)}.");
                }
            }
            else if (name == "extra")
            {
                extras.Add(ReadExtra(element));
            }
            else if (name == "rawimagefiles")
            {
                if (seenRawFiles)
                {
                    throw new InvalidDataException($"The manifest has more than one <rawimagefiles> element{At(element)}.");
                }

                seenRawFiles = true;
                rawFiles.AddRange(element.Elements().Where(static e => Name(e) == "files")
                    .Select(static e => NullIfEmpty(Text(e)?.Trim())).OfType<string>());
            }
            else if (records.TryGetValue(name, out var list))
            {
                list.Add(ReadRecord(element));
            }
            else
            {
                others.Add(ToElement(element));
            }
        }

        return manifest with
        {
            Kernel = texts.GetValueOrDefault("kernel"),
            Ramdisk = texts.GetValueOrDefault("ramdisk"),
            RootImage = texts.GetValueOrDefault("rootimg"),
            RootImageTree = texts.GetValueOrDefault("rootimgtree"),
            LiteFile = texts.GetValueOrDefault("litefile"),
            Media = texts.GetValueOrDefault("media"),
            PostScripts = texts.GetValueOrDefault("postscripts"),
            PostBootScripts = texts.GetValueOrDefault("postbootscripts"),
            UnpackedRootImage = texts.GetValueOrDefault("unpackedrootimg"),
            Extras = extras,
            RawImageFiles = rawFiles,
            Kits = records["kit"],
            KitRepos = records["kitrepo"],
            KitComponents = records["kitcomp"],
            OtherElements = others,
        };
    }

    /// <summary>Reads <c>&lt;extra&gt;</c>; children other than <c>src</c> and <c>dest</c> are ignored, as moveExtra does.</summary>
    private static BundleExtra ReadExtra(XElement extra)
    {
        string? source = null, destination = null;
        foreach (var child in extra.Elements())
        {
            switch (Name(child))
            {
                case "src":
                    source = NullIfEmpty(Text(child)?.Trim());
                    break;
                case "dest":
                    destination = NullIfEmpty(Text(child)?.Trim());
                    break;
            }
        }

        return source is null || destination is null
            ? throw new InvalidDataException($"An <extra> element needs both <src> and <dest>{At(extra)}.")
            : new BundleExtra(source, destination);
    }

    /// <summary>
    /// Reads one <c>&lt;kit&gt;</c>, <c>&lt;kitrepo&gt;</c> or <c>&lt;kitcomp&gt;</c>. Unlike xCAT's XMLin, a single
    /// element works as well as several (xCAT's imgport.pm, manifest_adapter describes the single-kit bug this does not copy).
    /// </summary>
    private static ManifestRecord ReadRecord(XElement record)
    {
        string? name = null;
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in record.Elements())
        {
            if (Name(child) == "name")
            {
                name = name is null ? NullIfEmpty(Text(child)) : throw new InvalidDataException($"A <{Name(record)}> element has more than one <name>{At(child)}.");
            }
            else
            {
                AddColumn(columns, child, Name(record));
            }
        }

        return name is null
            ? throw new InvalidDataException($"A <{Name(record)}> element has no <name>{At(record)}.")
            : new ManifestRecord(name, columns);
    }

    // Kept elements nest as deep as the document: bounded here, before the recursion (and the writer's) could overflow.
    private static ManifestElement ToElement(XElement element, int depth = 1)
    {
        if (depth > MaxElementDepth)
        {
            throw new InvalidDataException(
                $"The manifest element <{Name(element)}> is nested more than {MaxElementDepth} levels deep{At(element)}.");
        }

        return element.HasElements
            ? new ManifestElement(Name(element), null, [.. element.Elements().Select(e => ToElement(e, depth + 1))])
            : new ManifestElement(Name(element), NullIfEmpty(element.Value));
    }

    private static string? Text(XElement element) => element.HasElements
        ? throw new InvalidDataException($"The element <{Name(element)}> must hold text, not child elements{At(element)}.")
        : NullIfEmpty(element.Value);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Name(XElement element) => element.Name.LocalName;

    private static string At(IXmlLineInfo node)
        => node.HasLineInfo() ? $" (line {node.LineNumber}, position {node.LinePosition})" : string.Empty;

    [GeneratedRegex(@"^\s*(\S*)\s*$")]
    private static partial Regex SingleToken();
}
