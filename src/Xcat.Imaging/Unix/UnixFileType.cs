namespace Xcat.Imaging.Unix;

/// <summary>The type of a file system object, as encoded in the <c>S_IFMT</c> bits of <c>st_mode</c>.</summary>
public enum UnixFileType
{
    /// <summary>A regular file (<c>S_IFREG</c>).</summary>
    RegularFile,

    /// <summary>A directory (<c>S_IFDIR</c>).</summary>
    Directory,

    /// <summary>A symbolic link (<c>S_IFLNK</c>).</summary>
    SymbolicLink,

    /// <summary>A character device node (<c>S_IFCHR</c>).</summary>
    CharacterDevice,

    /// <summary>A block device node (<c>S_IFBLK</c>).</summary>
    BlockDevice,

    /// <summary>A named pipe (<c>S_IFIFO</c>).</summary>
    Fifo,

    /// <summary>A Unix domain socket (<c>S_IFSOCK</c>).</summary>
    Socket,
}
