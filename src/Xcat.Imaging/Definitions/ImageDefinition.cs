using System.Collections.ObjectModel;
using System.Text.RegularExpressions;
using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Definitions;

/// <summary>
/// An xCAT osimage definition: the <c>osimage</c> row and, for Linux images, the <c>linuximage</c> row of the same name.
/// </summary>
/// <remarks>Record equality compares list members by reference; compare <see cref="ToAttributes"/> instead.</remarks>
/// <param name="OsImage">The <c>osimage</c> row.</param>
/// <param name="LinuxImage">The <c>linuximage</c> row; <see cref="LinuxImage.Empty"/> when there is none.</param>
public sealed partial record ImageDefinition(OsImage OsImage, LinuxImage LinuxImage)
{
    private static readonly string[] s_imageTypes = ["linux", "windows", "NIM"];
    private static readonly string[] s_architectures = ["x86_64", "x86", "i386", "i686", "ppc64", "ppc64le", "ppc64el", "aarch64", "armv7l", "armhf", "s390x"];
    private static readonly string[] s_absolutePathAttributes = ["template", "pkglist", "otherpkglist", "exlist", "postinstall", "synclists", "rootimgdir", "kerneldir", "cfmdir"];

    /// <summary>Initializes a definition with only an <c>osimage</c> row.</summary>
    /// <param name="osImage">The <c>osimage</c> row.</param>
    public ImageDefinition(OsImage osImage)
        : this(osImage, LinuxImage.Empty)
    {
    }

    /// <summary>Gets the image name.</summary>
    public string Name => OsImage.ImageName;

    /// <summary>Gets whether the image is a Linux image (<c>imagetype</c> is exactly <c>linux</c>, as xCAT tests it).</summary>
    public bool IsLinux => string.Equals(OsImage.ImageType, "linux", StringComparison.Ordinal);

    /// <summary>
    /// Returns the root image directory: <c>rootimgdir</c> when set, otherwise xCAT's standard
    /// <c>&lt;installdir&gt;/netboot/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c> (xCAT's Table.pm, destiny.pm, setdestiny).
    /// </summary>
    /// <param name="site">The site, whose <see cref="SiteSettings.InstallDirectory"/> the standard directory is under.</param>
    /// <returns>The directory that holds <c>rootimg/</c> and the packed archives.</returns>
    /// <exception cref="InvalidOperationException"><c>rootimgdir</c> is empty and osvers, osarch or profile is missing.</exception>
    public string GetRootImageDirectory(SiteSettings site)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!string.IsNullOrEmpty(LinuxImage.RootImageDirectory))
        {
            return LinuxImage.RootImageDirectory;
        }

        if (string.IsNullOrEmpty(OsImage.OsVersion) || string.IsNullOrEmpty(OsImage.OsArch) || string.IsNullOrEmpty(OsImage.Profile))
        {
            throw new InvalidOperationException($"The image '{Name}' has no rootimgdir, and osvers, osarch and profile are needed to derive it.");
        }

        return ImageNaming.StandardRootImageDirectory(site.InstallDirectory, OsImage.OsVersion, OsImage.OsArch, OsImage.Profile);
    }

    /// <summary>
    /// Returns the object attributes that <c>lsdef -t osimage -l</c> shows, sorted by name (xCAT's Schema.pm, %defspec, DBobjectdefs.pm, defls): the osimage
    /// columns, the linuximage columns when the image is a Linux image, and <see cref="OsImage.OtherAttributes"/>.
    /// Empty attributes are left out.
    /// </summary>
    /// <returns>Attribute name to value, in ordinal order.</returns>
    public IReadOnlyDictionary<string, string> ToAttributes()
    {
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in ObjectTypeSpec.OsImage.Attributes)
        {
            if (binding.LinuxOnly && !IsLinux)
            {
                continue;
            }

            if (GetColumn(binding.Table, binding.Column) is { Length: > 0 } value)
            {
                attributes[binding.Attribute] = value;
            }
        }

        foreach (var (name, value) in OsImage.OtherAttributes)
        {
            if (!string.IsNullOrEmpty(value))
            {
                attributes.TryAdd(name, value);
            }
        }

        return attributes;
    }

    /// <summary>
    /// Creates a definition from object attributes as lsdef shows them and mkdef takes them. Attributes this version
    /// does not know are kept in <see cref="OsImage.OtherAttributes"/>; empty values are treated as unset.
    /// </summary>
    /// <param name="name">The image name.</param>
    /// <param name="attributes">Attribute name to value.</param>
    /// <returns>The definition.</returns>
    public static ImageDefinition FromAttributes(string name, IEnumerable<KeyValuePair<string, string?>> attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(attributes);
        var definition = new ImageDefinition(new OsImage(name));
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, value) in attributes)
        {
            if (ObjectTypeSpec.OsImage.ByName.TryGetValue(attribute, out var binding))
            {
                definition = definition.WithColumn(binding.Table, binding.Column, value);
            }
            else if (!string.IsNullOrEmpty(value))
            {
                other[attribute] = value;
            }
        }

        return other.Count == 0 ? definition : definition with { OsImage = definition.OsImage with { OtherAttributes = other } };
    }

    /// <summary>
    /// Returns the non-empty columns of one of the definition's table rows, <c>imagename</c> included, in ordinal order:
    /// the schema's columns and then any column this version does not know (kept in <c>OtherAttributes</c>).
    /// </summary>
    /// <param name="table"><c>osimage</c> or <c>linuximage</c>.</param>
    /// <returns>Column name to value.</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> is neither table.</exception>
    public IReadOnlyDictionary<string, string> GetColumns(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var other = table switch
        {
            "osimage" => OsImage.OtherAttributes,
            "linuximage" => LinuxImage.OtherAttributes,
            _ => throw new ArgumentException($"Table '{table}' is not part of an osimage definition.", nameof(table)),
        };
        var columns = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in XcatSchema.GetTable(table).Columns)
        {
            if (GetColumn(table, column) is { Length: > 0 } value)
            {
                columns[column] = value;
            }
        }

        foreach (var (column, value) in other)
        {
            if (!string.IsNullOrEmpty(value))
            {
                columns.TryAdd(column, value);
            }
        }

        return columns;
    }

    /// <summary>
    /// Creates a definition from table rows as xCAT stores them (and as a bundle manifest carries them). Columns this
    /// version does not know are kept in <c>OtherAttributes</c>; empty values are treated as unset.
    /// </summary>
    /// <param name="osImageColumns">The <c>osimage</c> columns; must hold a non-empty <c>imagename</c>.</param>
    /// <param name="linuxImageColumns">The <c>linuximage</c> columns, or <see langword="null"/> for none. Its
    /// <c>imagename</c>, if any, is ignored: both rows take the osimage name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException"><c>imagename</c> is missing from <paramref name="osImageColumns"/>.</exception>
    public static ImageDefinition FromColumns(IReadOnlyDictionary<string, string> osImageColumns,
        IReadOnlyDictionary<string, string>? linuxImageColumns = null)
    {
        ArgumentNullException.ThrowIfNull(osImageColumns);
        if (!osImageColumns.TryGetValue("imagename", out var name) || string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("The osimage columns have no imagename.", nameof(osImageColumns));
        }

        var definition = new ImageDefinition(new OsImage(name));
        foreach (var (column, value) in osImageColumns)
        {
            if (column != "imagename")
            {
                definition = definition.WithColumn("osimage", column, value);
            }
        }

        foreach (var (column, value) in linuxImageColumns ?? ReadOnlyDictionary<string, string>.Empty)
        {
            if (column != "imagename")
            {
                definition = definition.WithColumn("linuximage", column, value);
            }
        }

        return definition;
    }

    /// <summary>
    /// Checks the definition and returns every problem at once, each naming its attribute: the image name, values
    /// outside xCAT's sets (imagetype, provmethod, rootfstype, osarch), relative paths where xCAT needs absolute ones,
    /// a malformed permission or environvar, Linux-only attributes on a non-Linux image, and unknown attributes.
    /// </summary>
    /// <returns>The problems; empty when the definition is valid.</returns>
    public IReadOnlyList<DefinitionProblem> Validate()
    {
        var problems = new List<DefinitionProblem>();
        if (NameProblem(Name) is { } nameProblem)
        {
            problems.Add(new("imagename", nameProblem));
        }

        var os = OsImage;
        if (os.ImageType is { } type && !s_imageTypes.Contains(type, StringComparer.Ordinal))
        {
            problems.Add(new("imagetype", $"'{type}' is not an image type; use one of {string.Join(", ", s_imageTypes)} (case-sensitive, as xCAT compares it)."));
        }

        if (os.ProvMethod is { } method && os.Method is null)
        {
            problems.Add(new("provmethod", $"'{method}' is not a provisioning method; use one of {string.Join(", ", ProvisioningMethodNames.All)}."));
        }

        // They name directories (<installdir>/netboot/<osvers>/<osarch>/<profile>): one path component each.
        foreach (var (attribute, value) in new[] { ("profile", os.Profile), ("osvers", os.OsVersion), ("osarch", os.OsArch) })
        {
            if (value is not null && ImageNaming.PathComponentProblem(value) is { } componentProblem)
            {
                problems.Add(new(attribute, $"'{DisplayText.Escape(value)}' {componentProblem}; it must be a single path component."));
            }
        }

        if (os.RootFsType is { } rootFsType && rootFsType is not ("nfs" or "ramdisk"))
        {
            problems.Add(new("rootfstype", $"'{rootFsType}' is not a root file system type; use nfs or ramdisk."));
        }

        if (os.OsArch is { } arch && !s_architectures.Contains(arch, StringComparer.Ordinal))
        {
            problems.Add(new("osarch", $"'{arch}' is not a known architecture; use one of {string.Join(", ", s_architectures)}."));
        }

        foreach (var item in os.EnvironmentVariables.Where(static item => !EnvironmentItem().IsMatch(item)))
        {
            problems.Add(new("environvar", $"'{item}' is not of the form NAME=value."));
        }

        if (LinuxImage.Permission is { } permission && !OctalMode().IsMatch(permission))
        {
            problems.Add(new("permission", $"'{permission}' is not an octal file mode such as 644 or 0755."));
        }

        var attributes = ToAttributesIgnoringType();
        foreach (var attribute in s_absolutePathAttributes)
        {
            if (!attributes.TryGetValue(attribute, out var value))
            {
                continue;
            }

            foreach (var path in CommaList.Split(value).Where(static p => !p.StartsWith('/')))
            {
                problems.Add(new(attribute, $"'{path}' is not an absolute path."));
            }
        }

        if (!IsLinux)
        {
            foreach (var binding in ObjectTypeSpec.OsImage.Attributes.Where(b => b.LinuxOnly && attributes.ContainsKey(b.Attribute)))
            {
                problems.Add(new(binding.Attribute, $"Cannot set the attr='{binding.Attribute}' attribute unless imagetype value is linux."));
            }
        }

        foreach (var unknown in os.OtherAttributes.Keys.Concat(LinuxImage.OtherAttributes.Keys).Order(StringComparer.Ordinal))
        {
            problems.Add(new(unknown, $"'{unknown}' is not an attribute of an osimage definition."));
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems, listing all of them.</summary>
    /// <exception cref="ArgumentException">The definition is invalid; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"The osimage definition '{Name}' is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    /// <summary>Returns why <paramref name="name"/> cannot be an image or node name, or null when it can.</summary>
    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The name is empty.";
        }

        if (ImageNaming.PathComponentProblem(name) is { } componentProblem)
        {
            return $"The name '{DisplayText.Escape(name)}' {componentProblem}; it must be a single path component.";
        }

        return SafeName().IsMatch(name)
            ? null
            : $"'{name}' contains characters that xCAT names cannot hold; use letters, digits and . _ - + @ only.";
    }

    internal string? GetColumn(string table, string column) => table switch
    {
        "osimage" when column == "imagename" => Name,
        "osimage" => OsImageColumns.Find(column)?.Get(OsImage) ?? OsImage.OtherAttributes.GetValueOrDefault(column),
        "linuximage" when column == "imagename" => Name,
        "linuximage" => LinuxImageColumns.Find(column)?.Get(LinuxImage) ?? LinuxImage.OtherAttributes.GetValueOrDefault(column),
        _ => throw new ArgumentException($"Table '{table}' is not part of an osimage definition.", nameof(table)),
    };

    /// <summary>Returns a copy whose <paramref name="table"/>.<paramref name="column"/> is <paramref name="value"/>, as a catalog row would hold it.</summary>
    /// <param name="table"><c>osimage</c> or <c>linuximage</c>.</param>
    /// <param name="column">A column of that table other than <c>imagename</c>.</param>
    /// <param name="value">The value; <see langword="null"/> or empty clears the column.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not part of an osimage definition.</exception>
    public ImageDefinition WithColumn(string table, string column, string? value)
    {
        switch (table)
        {
            case "osimage" when OsImageColumns.Find(column) is { } binding:
                return this with { OsImage = binding.Set(OsImage, value) };
            case "linuximage" when LinuxImageColumns.Find(column) is { } binding:
                return this with { LinuxImage = binding.Set(LinuxImage, value) };
            case "osimage":
                return this with { OsImage = OsImage with { OtherAttributes = WithOther(OsImage.OtherAttributes, column, value) } };
            case "linuximage":
                return this with { LinuxImage = LinuxImage with { OtherAttributes = WithOther(LinuxImage.OtherAttributes, column, value) } };
            default:
                throw new ArgumentException($"Table '{table}' is not part of an osimage definition.", nameof(table));
        }
    }

    private static Dictionary<string, string> WithOther(IReadOnlyDictionary<string, string> other, string column, string? value)
    {
        var copy = new Dictionary<string, string>(other, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(value))
        {
            copy.Remove(column);
        }
        else
        {
            copy[column] = value;
        }

        return copy;
    }

    private Dictionary<string, string> ToAttributesIgnoringType()
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in ObjectTypeSpec.OsImage.Attributes)
        {
            if (GetColumn(binding.Table, binding.Column) is { Length: > 0 } value)
            {
                attributes[binding.Attribute] = value;
            }
        }

        return attributes;
    }

    [GeneratedRegex("^[A-Za-z0-9._+@-]+$")]
    private static partial Regex SafeName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex EnvironmentItem();

    [GeneratedRegex("^0?[0-7]{3,4}$")]
    private static partial Regex OctalMode();
}
