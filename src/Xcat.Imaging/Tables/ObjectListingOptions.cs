namespace Xcat.Imaging.Tables;

/// <summary>How <see cref="ObjectListing.Write"/> shows objects: the lsdef flags (xCAT's DBobjectdefs.pm, defls).</summary>
public sealed class ObjectListingOptions
{
    /// <summary>Gets or sets whether every attribute is shown (<c>-l</c>, implied by naming objects).</summary>
    /// <value>The default is <see langword="false"/>: one <c>name  (type)</c> line per object.</value>
    public bool LongFormat { get; set; }

    /// <summary>Gets the attributes to show (<c>-i a,b</c>), printed even when empty.</summary>
    /// <value>Empty by default: all non-empty attributes.</value>
    public IList<string> Attributes { get; } = [];

    /// <summary>Gets or sets whether each attribute is one <c>name: attr=value</c> line (<c>-c</c>, needs <see cref="Attributes"/>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Compact { get; set; }

    /// <summary>Gets or sets whether objects are written as stanzas (<c>-z</c>) that mkdef <c>-z</c> reads back.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Stanza { get; set; }
}
