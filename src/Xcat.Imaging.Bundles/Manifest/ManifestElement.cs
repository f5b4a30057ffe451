namespace Xcat.Imaging.Bundles.Manifest;

/// <summary>
/// A manifest element this version does not know, kept so that a round trip through the library loses no xCAT data.
/// </summary>
/// <param name="Name">The element name.</param>
/// <param name="Value">The text of a leaf element; <see langword="null"/> for an empty element or one with children.</param>
/// <param name="Children">The child elements, in document order; empty for a leaf.</param>
public sealed record ManifestElement(string Name, string? Value, IReadOnlyList<ManifestElement> Children)
{
    /// <summary>Initializes a leaf element.</summary>
    /// <param name="name">The element name.</param>
    /// <param name="value">The element text.</param>
    public ManifestElement(string name, string? value)
        : this(name, value, [])
    {
    }
}
