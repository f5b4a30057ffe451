namespace Xcat.Imaging.Tables;

/// <summary>The nodels flags that change what is selected and labelled (xCAT's <c>nodels</c> man page).</summary>
public sealed class NodeListOptions
{
    /// <summary>Gets or sets whether each value is labelled with its <c>table.column</c> even when one attribute is asked for (<c>-H</c>).</summary>
    /// <value>The default is <see langword="false"/>: a lone attribute is printed as <c>node: value</c>.</value>
    public bool WithFieldNames { get; set; }

    /// <summary>Gets or sets whether nodes whose <c>nodelist.hidden</c> is <c>1</c> are listed too (<c>-S</c>).</summary>
    /// <value>The default is <see langword="false"/>, as in xCAT.</value>
    public bool ShowHidden { get; set; }
}
