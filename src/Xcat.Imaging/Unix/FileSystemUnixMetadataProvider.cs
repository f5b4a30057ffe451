using System.IO.Abstractions;

namespace Xcat.Imaging.Unix;

/// <summary>
/// The portable <see cref="IUnixMetadataWriter"/>: derives what it can from an <see cref="IFileSystem"/>, for mock
/// file systems and hosts without libc. The type comes from the attributes and <c>LinkTarget</c> (a directory node
/// with a link target, which is how <c>MockDirectory.CreateSymbolicLink</c> stores one, is a symbolic link); the mode
/// from <see cref="IFile.GetUnixFileMode(string)"/> (0777 for links; 0755/0644 on Windows); the owner is the
/// constructor's default; the inode is a stable hash of the full path; the link count is 1; file system and device
/// numbers are 0; there are no extended attributes, FIFOs, sockets or devices.
/// </summary>
/// <remarks>
/// The write side does what <see cref="IFileSystem"/> can: <see cref="SetMode"/> through
/// <see cref="IFile.SetUnixFileMode(string, UnixFileMode)"/>, <see cref="SetModificationTime"/> through
/// <c>SetLastWriteTimeUtc</c> (not on symbolic links, which it would follow), and <see cref="SetOwner"/> only to the
/// default owner, which changes nothing. Everything else (<see cref="CreateDevice"/>, <see cref="CreateFifo"/>,
/// <see cref="CreateSocket"/>, <see cref="CreateHardLink"/>, <see cref="SetExtendedAttribute"/>, another owner)
/// throws <see cref="PlatformNotSupportedException"/>, which <see cref="Trees.TreeExtractor"/> logs and skips.
/// </remarks>
public sealed class FileSystemUnixMetadataProvider : IUnixMetadataWriter
{
    private static readonly IReadOnlyDictionary<string, byte[]> s_noAttributes = new Dictionary<string, byte[]>();
    private readonly IFileSystem _fileSystem;
    private readonly uint _defaultUid;
    private readonly uint _defaultGid;

    /// <summary>Initializes a new instance over <paramref name="fileSystem"/>.</summary>
    /// <param name="fileSystem">The file system to describe.</param>
    /// <param name="defaultUid">The user id reported as every object's owner.</param>
    /// <param name="defaultGid">The group id reported as every object's group.</param>
    public FileSystemUnixMetadataProvider(IFileSystem fileSystem, uint defaultUid = 0, uint defaultGid = 0)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        _fileSystem = fileSystem;
        _defaultUid = defaultUid;
        _defaultGid = defaultGid;
    }

    /// <inheritdoc />
    public UnixFileStatus GetStatus(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return TryGetStatus(path, out var status)
            ? status
            : throw new FileNotFoundException($"Could not find file '{path}'.", path);
    }

    /// <inheritdoc />
    public bool TryGetStatus(string path, out UnixFileStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        status = default;
        var info = Describe(path);
        if (info is null)
        {
            return false;
        }

        var fullPath = _fileSystem.Path.GetFullPath(path);
        var linkTarget = info.LinkTarget;
        UnixFileType type;
        UnixFileMode mode;
        long length;
        if (linkTarget is not null)
        {
            type = UnixFileType.SymbolicLink;
            mode = (UnixFileMode)0x1FF;
            length = UnixNameEncoding.GetByteCount(linkTarget);
        }
        else if (info is IDirectoryInfo)
        {
            type = UnixFileType.Directory;
            mode = ReadMode(fullPath, (UnixFileMode)0x1ED);
            length = 0;
        }
        else
        {
            type = UnixFileType.RegularFile;
            mode = ReadMode(fullPath, (UnixFileMode)0x1A4);
            length = ((IFileInfo)info).Length;
        }

        status = new UnixFileStatus(type, mode, _defaultUid, _defaultGid, SyntheticInode(fullPath), 1, 0, 0, 0, 0, length,
            new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        return true;
    }

    /// <inheritdoc />
    public string? GetSymbolicLinkTarget(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        return info.LinkTarget;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, byte[]> GetExtendedAttributes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        return s_noAttributes;
    }

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">Always.</exception>
    public void CreateDevice(string path, UnixFileType type, UnixFileMode mode, uint major, uint minor)
        => throw NotSupported("create device nodes");

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">Always.</exception>
    public void CreateFifo(string path, UnixFileMode mode) => throw NotSupported("create FIFOs");

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">Always.</exception>
    public void CreateSocket(string path, UnixFileMode mode) => throw NotSupported("create sockets");

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">Always.</exception>
    public void CreateHardLink(string existingPath, string newPath) => throw NotSupported("create hard links");

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">The owner differs from the default owner.</exception>
    public void SetOwner(string path, uint uid, uint gid)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        if (uid != _defaultUid || gid != _defaultGid)
        {
            throw NotSupported($"set owners other than {_defaultUid}:{_defaultGid}");
        }
    }

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">The host is Windows.</exception>
    public void SetMode(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            throw NotSupported("set Unix modes on Windows");
        }

        _fileSystem.File.SetUnixFileMode(path, mode);
    }

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException"><paramref name="path"/> is a symbolic link.</exception>
    public void SetModificationTime(string path, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        if (info.LinkTarget is not null)
        {
            throw NotSupported("set the time of a symbolic link");
        }

        if (info is IDirectoryInfo)
        {
            _fileSystem.Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
        }
        else
        {
            _fileSystem.File.SetLastWriteTimeUtc(path, time.UtcDateTime);
        }
    }

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">Always.</exception>
    public void SetExtendedAttribute(string path, string name, ReadOnlySpan<byte> value)
        => throw NotSupported("write extended attributes");

    /// <inheritdoc />
    public IReadOnlyList<string> GetDirectoryEntries(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return [.. _fileSystem.Directory.EnumerateFileSystemEntries(path).Select(entry => _fileSystem.Path.GetFileName(entry))];
    }

    /// <inheritdoc />
    public Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        if (info.LinkTarget is not null || info is IDirectoryInfo)
        {
            throw new IOException($"'{DisplayText.Escape(path)}' is a {(info.LinkTarget is not null ? "symbolic link" : "directory")}, not a regular file.");
        }

        return _fileSystem.File.OpenRead(path);
    }

    /// <inheritdoc />
    public void CreateDirectory(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfExists(path);
        var parent = _fileSystem.Path.GetDirectoryName(_fileSystem.Path.GetFullPath(path));
        if (parent is not null && !_fileSystem.Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{DisplayText.Escape(path)}'.");
        }

        // Two calls because MockFileSystem lacks the mode overload.
        _fileSystem.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            _fileSystem.File.SetUnixFileMode(path, mode);
        }
    }

    /// <inheritdoc />
    public void CreateSymbolicLink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(target);
        ThrowIfExists(path);
        _fileSystem.File.CreateSymbolicLink(path, target);
    }

    /// <inheritdoc />
    public Stream OpenWrite(string path, FileMode mode, UnixFileMode createMode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (mode is not (FileMode.CreateNew or FileMode.Create or FileMode.Truncate or FileMode.Open or FileMode.OpenOrCreate))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only CreateNew, Create, Truncate, Open and OpenOrCreate open a file for writing.");
        }

        if (Describe(path) is { } existing && (existing.LinkTarget is not null || existing is IDirectoryInfo))
        {
            throw new IOException($"'{DisplayText.Escape(path)}' is a {(existing.LinkTarget is not null ? "symbolic link" : "directory")}; it is not opened for writing.");
        }

        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.Create or FileMode.OpenOrCreate)
        {
            options.UnixCreateMode = createMode;
        }

        return _fileSystem.FileStream.New(path, options);
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = Describe(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);
        if (info is IDirectoryInfo && info.LinkTarget is null)
        {
            _fileSystem.Directory.Delete(path, recursive: false);
        }
        else
        {
            _fileSystem.File.Delete(path);
        }
    }

    private void ThrowIfExists(string path)
    {
        if (Describe(path) is not null)
        {
            throw new IOException($"'{DisplayText.Escape(path)}' already exists.");
        }
    }

    /// <summary>FNV-1a over the full path's bytes: stable across runs, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong SyntheticInode(string fullPath)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in UnixNameEncoding.GetBytes(fullPath))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash == 0 ? 1 : hash;
    }

    private static PlatformNotSupportedException NotSupported(string what)
        => new($"{nameof(FileSystemUnixMetadataProvider)} cannot {what}; use {nameof(LinuxUnixMetadataProvider)} on the real file system.");

    /// <summary>Describes the object itself: a link is found even when dangling, and a directory link is not entered.</summary>
    private IFileSystemInfo? Describe(string path)
    {
        IFileSystemInfo file = _fileSystem.FileInfo.New(path);
        if (file.Exists || file.LinkTarget is not null)
        {
            return file;
        }

        IFileSystemInfo directory = _fileSystem.DirectoryInfo.New(path);
        return directory.Exists || directory.LinkTarget is not null ? directory : null;
    }

    private UnixFileMode ReadMode(string fullPath, UnixFileMode fallback)
        => OperatingSystem.IsWindows() ? fallback : _fileSystem.File.GetUnixFileMode(fullPath);
}
