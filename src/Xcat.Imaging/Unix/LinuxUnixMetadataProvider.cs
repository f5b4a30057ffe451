using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Xcat.Imaging.Unix.Interop;

namespace Xcat.Imaging.Unix;

/// <summary>
/// Reads and writes Unix metadata of the real file system through libc: <c>statx</c> (with
/// <c>AT_SYMLINK_NOFOLLOW</c>), <c>readlink</c>, <c>llistxattr</c>/<c>lgetxattr</c>/<c>lsetxattr</c>, <c>mknod</c>,
/// <c>lchown</c>, <c>link</c>, <c>utimensat</c>, <c>chmod</c>, <c>opendir</c>/<c>readdir</c>, <c>open</c>,
/// <c>mkdir</c>, <c>symlink</c> and <c>unlinkat</c>, with every path passed as the bytes <see cref="UnixNameEncoding"/>
/// says it stands for. Errors become the BCL exceptions the .NET file APIs
/// throw: <c>ENOENT</c> a <see cref="FileNotFoundException"/> (or <see cref="DirectoryNotFoundException"/> when the
/// directory is missing too), <c>EACCES</c>/<c>EPERM</c> an <see cref="UnauthorizedAccessException"/>, anything else an
/// <see cref="IOException"/> with the <c>errno</c> text; every message names the path.
/// </summary>
/// <remarks>Needs glibc 2.28 or later (for <c>statx</c>) on a 64-bit Linux. The type holds no state and is thread-safe.</remarks>
[SupportedOSPlatform("linux")]
public sealed class LinuxUnixMetadataProvider : IUnixMetadataWriter
{
    private static bool s_useXmknod;

    /// <summary>Gets the shared instance.</summary>
    public static LinuxUnixMetadataProvider Instance { get; } = new();

    /// <inheritdoc />
    public UnixFileStatus GetStatus(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.StatX(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, out var buffer) != 0)
        {
            throw Error("statx", path);
        }

        return ToStatus(buffer);
    }

    /// <inheritdoc />
    public bool TryGetStatus(string path, out UnixFileStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.StatX(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is LibC.ENoEnt or LibC.ENotDir)
            {
                status = default;
                return false;
            }

            throw UnixErrors.Create(errno, "statx", path);
        }

        status = ToStatus(buffer);
        return true;
    }

    /// <inheritdoc />
    public unsafe string? GetSymbolicLinkTarget(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        for (var size = 256; ; size *= 2)
        {
            var buffer = new byte[size];
            nint length;
            fixed (byte* pointer = buffer)
            {
                length = LibC.ReadLink(path, pointer, (nuint)size);
            }

            if (length < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 22) // EINVAL: not a symbolic link
                {
                    return null;
                }

                throw Error("readlink", path, errno);
            }

            if (length < size)
            {
                return UnixNameEncoding.GetString(buffer.AsSpan(0, (int)length));
            }
        }
    }

    /// <inheritdoc />
    public unsafe IReadOnlyDictionary<string, byte[]> GetExtendedAttributes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var names = ReadSized(path, "llistxattr", (buffer, size) => LibC.LListXattr(path, buffer, size));
        if (names is null)
        {
            return result;
        }

        var start = 0;
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] != 0)
            {
                continue;
            }

            if (i > start)
            {
                var name = names.AsSpan(start, i - start + 1).ToArray(); // with its NUL
                var value = ReadSized(path, "lgetxattr", (buffer, size) =>
                {
                    fixed (byte* namePointer = name)
                    {
                        return LibC.LGetXattr(path, namePointer, buffer, size);
                    }
                });
                if (value is not null)
                {
                    result[Encoding.UTF8.GetString(name, 0, name.Length - 1)] = value;
                }
            }

            start = i + 1;
        }

        return result;
    }

    /// <inheritdoc />
    public void CreateDevice(string path, UnixFileType type, UnixFileMode mode, uint major, uint minor)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var typeBits = type switch
        {
            UnixFileType.CharacterDevice => LibC.SIfChr,
            UnixFileType.BlockDevice => LibC.SIfBlk,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only character and block devices are device nodes."),
        };
        MakeNode(path, typeBits | (uint)mode, LibC.MakeDevice(major, minor));
    }

    /// <inheritdoc />
    public void CreateFifo(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MakeNode(path, LibC.SIfIfo | (uint)mode, 0);
    }

    /// <inheritdoc />
    public void CreateSocket(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MakeNode(path, LibC.SIfSock | (uint)mode, 0);
    }

    /// <inheritdoc />
    public void CreateHardLink(string existingPath, string newPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(existingPath);
        ArgumentException.ThrowIfNullOrEmpty(newPath);
        if (LibC.Link(existingPath, newPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var missing = errno == LibC.ENoEnt && !TryGetStatus(existingPath, out _);
            throw Error("link", missing ? existingPath : newPath, errno);
        }
    }

    /// <inheritdoc />
    public void SetOwner(string path, uint uid, uint gid)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.LChown(path, uid, gid) != 0)
        {
            throw Error("lchown", path);
        }
    }

    /// <inheritdoc />
    public void SetMode(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.ChMod(path, (uint)mode & 0xFFF) != 0)
        {
            throw Error("chmod", path);
        }
    }

    /// <inheritdoc />
    public unsafe void SetModificationTime(string path, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        var times = stackalloc Timespec[2];
        times[0] = new Timespec { Seconds = 0, Nanoseconds = LibC.UtimeOmit };
        times[1] = new Timespec { Seconds = seconds, Nanoseconds = remainder * 100 };
        if (LibC.UtimensAt(LibC.AtFdCwd, path, times, LibC.AtSymlinkNoFollow) != 0)
        {
            throw Error("utimensat", path);
        }
    }

    /// <inheritdoc />
    public unsafe void SetExtendedAttribute(string path, string name, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        int rc;
        fixed (byte* pointer = value)
        {
            rc = LibC.LSetXattr(path, name, pointer, (nuint)value.Length, 0);
        }

        if (rc != 0)
        {
            throw Error($"lsetxattr {name}", path);
        }
    }

    /// <inheritdoc />
    public unsafe IReadOnlyList<string> GetDirectoryEntries(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = LibC.OpenDir(path);
        if (directory == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno is LibC.ENoEnt or LibC.ENotDir
                ? new DirectoryNotFoundException($"Could not find the directory '{DisplayText.Escape(path)}' (opendir: {Marshal.GetPInvokeErrorMessage(errno)}).")
                : Error("opendir", path, errno);
        }

        try
        {
            var names = new List<string>();
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                var entry = LibC.ReadDir(directory);
                if (entry is null)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? names : throw Error("readdir", path, errno);
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + LibC.DirentNameOffset);
                if (name is not [(byte)'.'] and not [(byte)'.', (byte)'.'])
                {
                    names.Add(UnixNameEncoding.GetString(name));
                }
            }
        }
        finally
        {
            _ = LibC.CloseDir(directory);
        }
    }

    /// <inheritdoc />
    public Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenStream(path, LibC.ORdOnly, 0, FileAccess.Read, "open");
    }

    /// <inheritdoc />
    public void CreateDirectory(string path, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.MkDir(path, (uint)mode & 0xFFF) != 0)
        {
            throw Error("mkdir", path);
        }
    }

    /// <inheritdoc />
    public void CreateSymbolicLink(string path, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (LibC.SymLink(target, path) != 0)
        {
            throw Error("symlink", path);
        }
    }

    /// <inheritdoc />
    public Stream OpenWrite(string path, FileMode mode, UnixFileMode createMode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var flags = LibC.OWrOnly | mode switch
        {
            FileMode.CreateNew => LibC.OCreat | LibC.OExcl,
            FileMode.Create => LibC.OCreat | LibC.OTrunc,
            FileMode.Truncate => LibC.OTrunc,
            FileMode.Open => 0,
            FileMode.OpenOrCreate => LibC.OCreat,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only CreateNew, Create, Truncate, Open and OpenOrCreate open a file for writing."),
        };
        return OpenStream(path, flags, (uint)createMode & 0xFFF, FileAccess.Write, "open");
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LibC.UnlinkAt(LibC.AtFdCwd, path, 0) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.EIsDir && LibC.UnlinkAt(LibC.AtFdCwd, path, LibC.AtRemoveDir) == 0)
        {
            return;
        }

        throw Error(errno == LibC.EIsDir ? "rmdir" : "unlink", path, errno == LibC.EIsDir ? Marshal.GetLastPInvokeError() : errno);
    }

    private static FileStream OpenStream(string path, int flags, uint createMode, FileAccess access, string operation)
    {
        int descriptor;
        do
        {
            descriptor = LibC.Open(path, flags | LibC.ONoFollow | LibC.OCloExec, createMode);
        }
        while (descriptor < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);

        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == LibC.ELoop
                ? new IOException($"'{DisplayText.Escape(path)}' is a symbolic link; it is not opened through.", errno)
                : Error(operation, path, errno);
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            return new FileStream(handle, access, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static UnixFileStatus ToStatus(in Statx buffer)
    {
        var type = (buffer.Mode & LibC.SIfMt) switch
        {
            LibC.SIfReg => UnixFileType.RegularFile,
            LibC.SIfDir => UnixFileType.Directory,
            LibC.SIfLnk => UnixFileType.SymbolicLink,
            LibC.SIfChr => UnixFileType.CharacterDevice,
            LibC.SIfBlk => UnixFileType.BlockDevice,
            LibC.SIfIfo => UnixFileType.Fifo,
            LibC.SIfSock => UnixFileType.Socket,
            var other => throw new IOException($"Unknown file type 0x{other:x} in st_mode."),
        };
        var isDevice = type is UnixFileType.CharacterDevice or UnixFileType.BlockDevice;
        return new UnixFileStatus(
            type,
            (UnixFileMode)(buffer.Mode & 0xFFF),
            buffer.Uid,
            buffer.Gid,
            buffer.Inode,
            buffer.LinkCount,
            isDevice ? buffer.RdevMajor : 0,
            isDevice ? buffer.RdevMinor : 0,
            buffer.DevMajor,
            buffer.DevMinor,
            (long)buffer.Size,
            UnixTime.FromSeconds(buffer.ModificationSeconds, buffer.ModificationNanoseconds));
    }

    private static void MakeNode(string path, uint mode, ulong device)
    {
        int rc;
        if (!s_useXmknod)
        {
            try
            {
                rc = LibC.MkNod(path, mode, device);
            }
            catch (EntryPointNotFoundException)
            {
                s_useXmknod = true;
                rc = LibC.XMkNod(0, path, mode, ref device);
            }
        }
        else
        {
            rc = LibC.XMkNod(0, path, mode, ref device);
        }

        if (rc != 0)
        {
            throw Error("mknod", path);
        }
    }

    /// <summary>Calls a size-query-then-fill function (<c>llistxattr</c>, <c>lgetxattr</c>) until the value fits.</summary>
    /// <returns>The bytes, or <see langword="null"/> when the file system has no such data.</returns>
    private static unsafe byte[]? ReadSized(string path, string operation, ReadSizedCall call)
    {
        while (true)
        {
            var size = call(null, 0);
            if (size >= 0)
            {
                var buffer = new byte[size];
                fixed (byte* pointer = buffer)
                {
                    size = size == 0 ? 0 : call(pointer, (nuint)buffer.Length);
                }

                if (size >= 0)
                {
                    return size == buffer.Length ? buffer : buffer[..(int)size];
                }
            }

            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case LibC.ERange:
                    continue; // grew between the two calls
                case LibC.ENoData or LibC.EOpNotSupp:
                    return null;
                default:
                    throw Error(operation, path, errno);
            }
        }
    }

    private static Exception Error(string operation, string path) => Error(operation, path, Marshal.GetLastPInvokeError());

    private static Exception Error(string operation, string path, int errno)
    {
        var parentExists = true;
        if (errno == LibC.ENoEnt)
        {
            var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path));
            parentExists = string.IsNullOrEmpty(parent)
                || LibC.StatX(LibC.AtFdCwd, parent, 0, LibC.StatxBasicStats, out var status) == 0 && (status.Mode & LibC.SIfMt) == LibC.SIfDir;
        }

        return UnixErrors.Create(errno, operation, path, parentExists);
    }

    private unsafe delegate nint ReadSizedCall(byte* buffer, nuint size);
}
