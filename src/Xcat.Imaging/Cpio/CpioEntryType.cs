namespace Xcat.Imaging.Cpio;

/// <summary>
/// The file type of a <see cref="CpioEntry"/>: the <c>S_IFMT</c> bits of the header's <c>c_mode</c> field. These are
/// the seven types the Linux kernel unpacks from an initramfs (xCAT's packimage.pm).
/// </summary>
public enum CpioEntryType
{
    /// <summary>A regular file (<c>S_IFREG</c>, 0100000); its data follows the header.</summary>
    RegularFile,

    /// <summary>A directory (<c>S_IFDIR</c>, 0040000).</summary>
    Directory,

    /// <summary>A symbolic link (<c>S_IFLNK</c>, 0120000); its target is stored as the data.</summary>
    SymbolicLink,

    /// <summary>A character device (<c>S_IFCHR</c>, 0020000).</summary>
    CharacterDevice,

    /// <summary>A block device (<c>S_IFBLK</c>, 0060000).</summary>
    BlockDevice,

    /// <summary>A named pipe (<c>S_IFIFO</c>, 0010000).</summary>
    Fifo,

    /// <summary>A Unix domain socket (<c>S_IFSOCK</c>, 0140000).</summary>
    Socket,
}
