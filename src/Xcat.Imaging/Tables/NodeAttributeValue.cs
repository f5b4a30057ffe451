namespace Xcat.Imaging.Tables;

/// <summary>
/// One line of nodels: a node and, when attributes were asked for, one of them (xCAT's tabutils.pm, nodels).
/// </summary>
public sealed class NodeAttributeValue
{
    /// <summary>Initializes a line.</summary>
    /// <param name="node">The node name.</param>
    /// <param name="label">The attribute as the user named it (<c>nodetype.os</c>, <c>groups</c>), or <see langword="null"/> when nodels prints none.</param>
    /// <param name="value">The value, or <see langword="null"/> when it is not set or no attribute was asked for.</param>
    /// <param name="inheritedFrom">The group whose row gave the value, or <see langword="null"/> when it is the node's own.</param>
    public NodeAttributeValue(string node, string? label, string? value, string? inheritedFrom)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        Node = node;
        Label = label;
        Value = value;
        InheritedFrom = inheritedFrom;
    }

    /// <summary>Gets the node name.</summary>
    public string Node { get; }

    /// <summary>
    /// Gets the attribute as the user named it, or <see langword="null"/> when nodels leaves it out: one attribute was
    /// asked for without <see cref="NodeListOptions.WithFieldNames"/> (or none at all).
    /// </summary>
    public string? Label { get; }

    /// <summary>
    /// Gets the value: empty when the attribute is not set, <see langword="null"/> on a line that only names the node
    /// (no attribute was asked for).
    /// </summary>
    public string? Value { get; }

    /// <summary>Gets the group whose row gave the value (nodels <c>-b</c>), or <see langword="null"/>.</summary>
    public string? InheritedFrom { get; }
}
