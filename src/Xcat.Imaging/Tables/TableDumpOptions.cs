namespace Xcat.Imaging.Tables;

/// <summary>Options for <see cref="TableDump.DumpAsync"/>.</summary>
public sealed class TableDumpOptions
{
    /// <summary>
    /// Gets the row filters of <c>tabdump -w</c>, all of which a row must pass: <c>col==value</c>, <c>col!=value</c>,
    /// <c>col=~regex</c>, <c>col!~regex</c>, <c>col&gt;value</c>, <c>col&gt;=value</c>, <c>col&lt;value</c>, <c>col&lt;=value</c>.
    /// </summary>
    /// <value>Empty by default: every row is written.</value>
    public IList<string> Where { get; } = [];
}
