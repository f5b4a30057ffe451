namespace Xcat.Imaging.Nodes;

/// <summary>The scripts a node runs: the <c>xcatdefaults</c> lists first, then the node's own.</summary>
/// <param name="PostScripts">The postscripts.</param>
/// <param name="PostBootScripts">The postbootscripts.</param>
public sealed record NodePostScripts(IReadOnlyList<string> PostScripts, IReadOnlyList<string> PostBootScripts)
{
    /// <summary>The key of the postscripts row that applies to every node.</summary>
    public const string DefaultsRow = "xcatdefaults";
}
