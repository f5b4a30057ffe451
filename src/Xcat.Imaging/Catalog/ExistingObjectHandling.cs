namespace Xcat.Imaging.Catalog;

/// <summary>What mkdef does when an object it is asked to create exists already (xCAT's <c>mkdef</c> man page, <c>-f</c>).</summary>
public enum ExistingObjectHandling
{
    /// <summary>Refuse the whole command, naming every existing object; nothing changes. mkdef without <c>-f</c>.</summary>
    Refuse,

    /// <summary>Remove the existing definition and create the new one in its place. mkdef <c>-f</c>.</summary>
    Replace,
}
