namespace Xcat.Imaging.Catalog;

/// <summary>What mkdef or chdef did.</summary>
/// <param name="Created">The objects created, in the order given.</param>
/// <param name="Modified">The objects that existed and were changed or rewritten, in the order given.</param>
public sealed record ObjectChangeResult(IReadOnlyList<string> Created, IReadOnlyList<string> Modified)
{
    /// <summary>Gets the number of objects created or modified.</summary>
    public int Count => Created.Count + Modified.Count;
}
