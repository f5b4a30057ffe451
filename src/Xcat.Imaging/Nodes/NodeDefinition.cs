using Xcat.Imaging.Schema;

namespace Xcat.Imaging.Nodes;

/// <summary>
/// A node as far as images need it: its groups, its <c>nodetype</c> (os, arch, profile, provmethod) and its
/// postscripts. Attributes this type does not model are kept in <see cref="OtherAttributes"/>.
/// </summary>
/// <param name="Name">The node name.</param>
public sealed record NodeDefinition(string Name)
{
    /// <summary>Gets the groups of the node (<c>nodelist.groups</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets the OS version the node runs (<c>nodetype.os</c>).</summary>
    public string? Os { get; init; }

    /// <summary>Gets the architecture (<c>nodetype.arch</c>).</summary>
    public string? Arch { get; init; }

    /// <summary>Gets the profile (<c>nodetype.profile</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>Gets the provisioning method or, since nodeset, the osimage name (<c>nodetype.provmethod</c>, xCAT's destiny.pm, setdestiny).</summary>
    public string? ProvMethod { get; init; }

    /// <summary>Gets the node's postscripts (<c>postscripts.postscripts</c>).</summary>
    public IReadOnlyList<string> PostScripts { get; init; } = [];

    /// <summary>Gets the node's postbootscripts (<c>postscripts.postbootscripts</c>).</summary>
    public IReadOnlyList<string> PostBootScripts { get; init; } = [];

    /// <summary>Gets the other node attributes (status, usercomment, …), by attribute name.</summary>
    public IReadOnlyDictionary<string, string> OtherAttributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Creates a node from object attributes as lsdef shows them.</summary>
    /// <param name="name">The node name.</param>
    /// <param name="attributes">Attribute name to value.</param>
    /// <returns>The node.</returns>
    public static NodeDefinition FromAttributes(string name, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(attributes);
        string[] modelled = ["groups", "os", "arch", "profile", "provmethod", "postscripts", "postbootscripts"];
        return new NodeDefinition(name)
        {
            Groups = CommaList.Split(attributes.GetValueOrDefault("groups")),
            Os = attributes.GetValueOrDefault("os"),
            Arch = attributes.GetValueOrDefault("arch"),
            Profile = attributes.GetValueOrDefault("profile"),
            ProvMethod = attributes.GetValueOrDefault("provmethod"),
            PostScripts = CommaList.Split(attributes.GetValueOrDefault("postscripts")),
            PostBootScripts = CommaList.Split(attributes.GetValueOrDefault("postbootscripts")),
            OtherAttributes = attributes.Where(p => !modelled.Contains(p.Key)).ToDictionary(static p => p.Key, static p => p.Value, StringComparer.Ordinal),
        };
    }
}
