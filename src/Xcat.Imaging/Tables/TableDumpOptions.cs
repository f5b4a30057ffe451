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

    /// <summary>
    /// Gets or sets whether control characters in values are escaped as GNU tar escapes names (<c>\n</c>, <c>\033</c>,
    /// <c>\\</c>), for a dump shown on a terminal. Off, the dump is xCAT's byte for byte: a newline stays raw inside its
    /// quotes, where xCAT's tabrestore reads it back as part of the value, so a file dump round-trips.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EscapeControlCharacters { get; set; }
}
