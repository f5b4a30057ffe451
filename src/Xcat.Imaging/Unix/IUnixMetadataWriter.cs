namespace Xcat.Imaging.Unix;

/// <summary>
/// Creates the file system objects and sets the metadata that <see cref="System.IO.Abstractions.IFileSystem"/> cannot:
/// device nodes, FIFOs, sockets, hard links, owners, full modes, modification times of symbolic links and extended
/// attributes. No member follows a symbolic link in the final path component, except <see cref="SetMode"/>, because
/// Linux has no mode on a link.
/// </summary>
public interface IUnixMetadataWriter : IUnixMetadataProvider
{
    /// <summary>Creates a character or block device node (<c>mknod</c>). The process umask applies to <paramref name="mode"/>.</summary>
    /// <param name="path">The node to create; it must not exist.</param>
    /// <param name="type"><see cref="UnixFileType.CharacterDevice"/> or <see cref="UnixFileType.BlockDevice"/>.</param>
    /// <param name="mode">The permission bits.</param>
    /// <param name="major">The device major number.</param>
    /// <param name="minor">The device minor number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a device type.</exception>
    /// <exception cref="UnauthorizedAccessException">The process lacks the privilege (<c>CAP_MKNOD</c>).</exception>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot create device nodes.</exception>
    /// <exception cref="IOException"><paramref name="path"/> exists, or another error occurred.</exception>
    void CreateDevice(string path, UnixFileType type, UnixFileMode mode, uint major, uint minor);

    /// <summary>Creates a named pipe (<c>mknod S_IFIFO</c>). The process umask applies to <paramref name="mode"/>.</summary>
    /// <param name="path">The FIFO to create; it must not exist.</param>
    /// <param name="mode">The permission bits.</param>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot create FIFOs.</exception>
    /// <exception cref="IOException"><paramref name="path"/> exists, or another error occurred.</exception>
    void CreateFifo(string path, UnixFileMode mode);

    /// <summary>
    /// Creates a socket node that no process listens on (<c>mknod S_IFSOCK</c>), as archivers restore one. The
    /// process umask applies to <paramref name="mode"/>.
    /// </summary>
    /// <param name="path">The node to create; it must not exist.</param>
    /// <param name="mode">The permission bits.</param>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot create sockets.</exception>
    /// <exception cref="IOException"><paramref name="path"/> exists, or another error occurred.</exception>
    void CreateSocket(string path, UnixFileMode mode);

    /// <summary>
    /// Creates <paramref name="newPath"/> as another name of <paramref name="existingPath"/> (<c>link</c>). A symbolic
    /// link is linked itself, not its target.
    /// </summary>
    /// <param name="existingPath">An existing file that is not a directory.</param>
    /// <param name="newPath">The new name; it must not exist.</param>
    /// <exception cref="FileNotFoundException"><paramref name="existingPath"/> does not exist.</exception>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot create hard links.</exception>
    /// <exception cref="IOException"><paramref name="newPath"/> exists, or another error occurred.</exception>
    void CreateHardLink(string existingPath, string newPath);

    /// <summary>Sets the owner of <paramref name="path"/> itself (<c>lchown</c>). The kernel clears set-user-ID and set-group-ID bits of a file on a change of owner.</summary>
    /// <param name="path">A host path.</param>
    /// <param name="uid">The user id.</param>
    /// <param name="gid">The group id.</param>
    /// <exception cref="UnauthorizedAccessException">The process lacks the privilege (<c>CAP_CHOWN</c>).</exception>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot set owners.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    void SetOwner(string path, uint uid, uint gid);

    /// <summary>Sets every permission bit of <paramref name="path"/> exactly, including set-user-ID, set-group-ID and sticky (<c>chmod</c>; follows a symbolic link).</summary>
    /// <param name="path">A host path.</param>
    /// <param name="mode">The permission bits.</param>
    /// <exception cref="UnauthorizedAccessException">The process does not own <paramref name="path"/>.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    void SetMode(string path, UnixFileMode mode);

    /// <summary>
    /// Sets the modification time of <paramref name="path"/> itself, also of a symbolic link
    /// (<c>utimensat(AT_SYMLINK_NOFOLLOW)</c>); the access time is left as it is.
    /// </summary>
    /// <param name="path">A host path.</param>
    /// <param name="time">The new modification time.</param>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot set the time of a symbolic link.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    void SetModificationTime(string path, DateTimeOffset time);

    /// <summary>Creates or replaces an extended attribute of <paramref name="path"/> itself (<c>lsetxattr</c>).</summary>
    /// <param name="path">A host path.</param>
    /// <param name="name">The full attribute name, such as <c>user.comment</c> or <c>security.capability</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not write that namespace.</exception>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot write extended attributes.</exception>
    /// <exception cref="IOException">The file system does not support the attribute, or another error occurred.</exception>
    void SetExtendedAttribute(string path, string name, ReadOnlySpan<byte> value);

    /// <summary>Creates a directory (<c>mkdir</c>); its mode is <paramref name="mode"/> less the umask.</summary>
    /// <param name="path">A host path whose parent exists.</param>
    /// <param name="mode">The permission bits.</param>
    /// <exception cref="IOException">Something exists at <paramref name="path"/>, or another error occurred.</exception>
    /// <exception cref="DirectoryNotFoundException">The parent does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The parent cannot be written.</exception>
    void CreateDirectory(string path, UnixFileMode mode);

    /// <summary>Creates a symbolic link at <paramref name="path"/> whose text is <paramref name="target"/> (<c>symlink</c>).</summary>
    /// <param name="path">A host path whose parent exists.</param>
    /// <param name="target">The link's text, stored as it is; it need not exist.</param>
    /// <exception cref="IOException">Something exists at <paramref name="path"/>, or another error occurred.</exception>
    /// <exception cref="DirectoryNotFoundException">The parent does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The parent cannot be written.</exception>
    void CreateSymbolicLink(string path, string target);

    /// <summary>Opens a regular file for writing, never through a symbolic link in the final path component.</summary>
    /// <param name="path">A host path.</param>
    /// <param name="mode">
    /// <see cref="FileMode.CreateNew"/> (fails if anything exists), <see cref="FileMode.Create"/>,
    /// <see cref="FileMode.Truncate"/>, <see cref="FileMode.Open"/> or <see cref="FileMode.OpenOrCreate"/>.
    /// </param>
    /// <param name="createMode">The permission bits of a file it creates, less the umask.</param>
    /// <returns>A seekable stream; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is <see cref="FileMode.Append"/> or not a mode.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist and <paramref name="mode"/> does not create it.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory cannot be written.</exception>
    /// <exception cref="IOException">The file exists for <see cref="FileMode.CreateNew"/>, is a link or directory, or another error occurred.</exception>
    Stream OpenWrite(string path, FileMode mode, UnixFileMode createMode);

    /// <summary>Removes a non-directory (<c>unlink</c>) or an empty directory (<c>rmdir</c>), never following a link.</summary>
    /// <param name="path">A host path.</param>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The parent cannot be written.</exception>
    /// <exception cref="IOException">A directory is not empty, or another error occurred.</exception>
    void Delete(string path);
}
