namespace Xcat.Imaging.Unix;

/// <summary>
/// The metadata of one file system object as <c>lstat</c> reports it: the object itself, never the target of a
/// symbolic link.
/// </summary>
/// <param name="Type">The file type.</param>
/// <param name="Mode">The permission bits, including set-user-ID, set-group-ID and sticky; never the type bits.</param>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Gid">The owner's group id.</param>
/// <param name="Inode">The inode number, unique within one file system.</param>
/// <param name="LinkCount">The number of hard links (<c>st_nlink</c>).</param>
/// <param name="DeviceMajor">The major number of the device a device node stands for (<c>st_rdev</c>); 0 for other types.</param>
/// <param name="DeviceMinor">The minor number of the device a device node stands for (<c>st_rdev</c>); 0 for other types.</param>
/// <param name="FileSystemMajor">
/// The major number of the device that holds the object (<c>st_dev</c>). Together with <see cref="FileSystemMinor"/>
/// it tells file systems apart (<c>find -xdev</c>), and with <see cref="Inode"/> it identifies hard links.
/// </param>
/// <param name="FileSystemMinor">The minor number of the device that holds the object (<c>st_dev</c>).</param>
/// <param name="Length">The size in bytes (<c>st_size</c>): the data of a regular file, the target length of a symbolic link.</param>
/// <param name="ModificationTime">The last modification time (<c>st_mtime</c>), to the nanosecond truncated to 100 ns.</param>
public readonly record struct UnixFileStatus(
    UnixFileType Type,
    UnixFileMode Mode,
    uint Uid,
    uint Gid,
    ulong Inode,
    uint LinkCount,
    uint DeviceMajor,
    uint DeviceMinor,
    uint FileSystemMajor,
    uint FileSystemMinor,
    long Length,
    DateTimeOffset ModificationTime);
