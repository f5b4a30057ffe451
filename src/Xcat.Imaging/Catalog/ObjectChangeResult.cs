namespace Xcat.Imaging.Catalog;

/// <summary>What mkdef or chdef did.</summary>
/// <param name="Created">The objects created, in the order given.</param>
/// <param name="Modified">The objects that existed and were changed or rewritten, in the order given.</param>
public sealed record ObjectChangeResult(IReadOnlyList<string> Created, IReadOnlyList<string> Modified)
{
    /// <summary>
    /// Gets what was changed from what was asked, as xCAT warns of it: a node or group postscript that the
    /// <c>xcatdefaults</c> row already runs is left out, with <c>&lt;node&gt;: postscripts '&lt;name&gt;' is already included
    /// in the 'xcatdefaults'.</c> (xCAT's DBobjUtils.pm, setobjdefs). Each warning is logged too.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the number of objects created or modified.</summary>
    public int Count => Created.Count + Modified.Count;
}
