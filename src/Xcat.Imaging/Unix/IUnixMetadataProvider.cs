namespace Xcat.Imaging.Unix;

/// <summary>
/// Reads the Unix metadata that <see cref="System.IO.Abstractions.IFileSystem"/> does not model: owner, inode, link
/// count, device numbers, file types beyond file/directory/link, and extended attributes. Every member has
/// <c>lstat</c> semantics: a symbolic link in the final path component is described, never followed.
/// </summary>
/// <remarks>
/// <see cref="LinuxUnixMetadataProvider"/> reads the real file system through libc;
/// <see cref="FileSystemUnixMetadataProvider"/> derives what it can from an <see cref="System.IO.Abstractions.IFileSystem"/>
/// (for mock file systems and non-Linux hosts). <see cref="UnixMetadataProvider.For"/> picks one.
/// Paths and names are strings in <see cref="UnixNameEncoding"/>: a name that is not UTF-8 on disk carries its bytes
/// as escapes, and only these members (not the .NET file APIs) reach such a name byte for byte.
/// </remarks>
public interface IUnixMetadataProvider
{
    /// <summary>Gets the metadata of <paramref name="path"/> without following a final symbolic link.</summary>
    /// <param name="path">A host path.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory in <paramref name="path"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory in <paramref name="path"/> cannot be searched.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    UnixFileStatus GetStatus(string path);

    /// <summary>
    /// Gets the metadata of <paramref name="path"/> without following a final symbolic link, or reports that nothing
    /// exists there (without the cost of an exception).
    /// </summary>
    /// <param name="path">A host path.</param>
    /// <param name="status">The metadata when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when <paramref name="path"/> or one of its directories does not exist.</returns>
    /// <exception cref="UnauthorizedAccessException">A directory in <paramref name="path"/> cannot be searched.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    bool TryGetStatus(string path, out UnixFileStatus status);

    /// <summary>Gets the target of the symbolic link <paramref name="path"/>, exactly as stored (<c>readlink</c>).</summary>
    /// <param name="path">A host path.</param>
    /// <returns>The target, or <see langword="null"/> when <paramref name="path"/> is not a symbolic link.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    string? GetSymbolicLinkTarget(string path);

    /// <summary>
    /// Gets the extended attributes of <paramref name="path"/> itself (<c>llistxattr</c>/<c>lgetxattr</c>), every
    /// namespace the process may read (<c>user.</c>, <c>security.</c>, <c>trusted.</c> as root, <c>system.</c>).
    /// </summary>
    /// <param name="path">A host path.</param>
    /// <returns>The attributes by full name, ordered ordinally; empty where the file system has none or does not support them.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    IReadOnlyDictionary<string, byte[]> GetExtendedAttributes(string path);

    /// <summary>Lists the names in a directory, in no particular order, without <c>.</c> and <c>..</c>.</summary>
    /// <param name="path">A host path of a directory.</param>
    /// <returns>The names (not paths) of the directory's entries.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> does not exist or is not a directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be read.</exception>
    /// <exception cref="IOException">Another error occurred.</exception>
    IReadOnlyList<string> GetDirectoryEntries(string path);

    /// <summary>Opens a regular file for reading, refusing a symbolic link in the final path component.</summary>
    /// <param name="path">A host path.</param>
    /// <returns>A stream at the start of the file; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a symbolic link or a directory, or another error occurred.</exception>
    Stream OpenRead(string path);
}
