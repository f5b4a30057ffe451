namespace Xcat.Imaging.Building.Initrd;

/// <summary>Which of genimage's two initial ramdisks is asked for.</summary>
public enum InitrdKind
{
    /// <summary><c>initrd-stateless.gz</c>: fetches the packed image (<c>imgurl=</c>) into RAM.</summary>
    Stateless,

    /// <summary><c>initrd-statelite.gz</c>: an NFS root with a litefile overlay. Not built by this library.</summary>
    Statelite,
}
