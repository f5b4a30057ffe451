namespace Xcat.Imaging.Packing;

/// <summary>The archive formats packimage writes (xCAT's packimage.pm, archive and compression).</summary>
public enum ArchiveFormat
{
    /// <summary>SVR4 <c>newc</c> cpio, the default: what the kernel unpacks as an initramfs. No xattrs; 4 GiB per file.</summary>
    Cpio,

    /// <summary>POSIX/PAX tar carrying every xattr as <c>SCHILY.xattr.*</c> records (<c>packimage -m tar</c>).</summary>
    Tar,
}
