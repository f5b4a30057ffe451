namespace Xcat.Imaging.Catalog;

/// <summary>How chdef applies <c>attr=value</c> to a comma-list attribute (xCAT's DBobjUtils.pm, setobjdefs).</summary>
public enum AttributeChangeMode
{
    /// <summary>Replace the value; an empty value clears the attribute.</summary>
    Replace,

    /// <summary><c>-p</c>: append the comma-separated items not already present.</summary>
    Plus,

    /// <summary><c>-m</c>: remove the listed items; an item that is not present is an error.</summary>
    Minus,
}
