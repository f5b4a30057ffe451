using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Xcat.Imaging.Unix.Interop;

/// <summary>The libc calls behind <see cref="LinuxUnixMetadataProvider"/>; every one sets <c>errno</c> on failure.</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const uint StatxBasicStats = 0x7ff;
    public const long UtimeOmit = (1L << 30) - 2;

    public const uint SIfMt = 0xF000;
    public const uint SIfSock = 0xC000;
    public const uint SIfLnk = 0xA000;
    public const uint SIfReg = 0x8000;
    public const uint SIfBlk = 0x6000;
    public const uint SIfDir = 0x4000;
    public const uint SIfChr = 0x2000;
    public const uint SIfIfo = 0x1000;

    public const int EPerm = 1;
    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EAcces = 13;
    public const int ENotDir = 20;
    public const int ERange = 34;
    public const int ENoData = 61;
    public const int EOpNotSupp = 95;
    public const int EExist = 17;
    public const int EIsDir = 21;
    public const int ELoop = 40;

    public const int ORdOnly = 0x0;
    public const int OWrOnly = 0x1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int OTrunc = 0x200;
    public static readonly int ODirectory = IsArm64 ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = IsArm64 ? 0x8000 : 0x20000;
    public const int OCloExec = 0x80000;
    public const int AtRemoveDir = 0x200;

    // asm-generic (arm64) numbers O_DIRECTORY and O_NOFOLLOW differently from x86-64.
    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    public static partial int Open([MarshalUsing(typeof(UnixNameMarshaller))] string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "mkdir", SetLastError = true)]
    public static partial int MkDir([MarshalUsing(typeof(UnixNameMarshaller))] string path, uint mode);

    [LibraryImport(Library, EntryPoint = "symlink", SetLastError = true)]
    public static partial int SymLink([MarshalUsing(typeof(UnixNameMarshaller))] string target, [MarshalUsing(typeof(UnixNameMarshaller))] string path);

    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int dirFd, [MarshalUsing(typeof(UnixNameMarshaller))] string path, int flags);

    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true)]
    public static partial int Rename([MarshalUsing(typeof(UnixNameMarshaller))] string oldPath, [MarshalUsing(typeof(UnixNameMarshaller))] string newPath);

    [LibraryImport(Library, EntryPoint = "opendir", SetLastError = true)]
    public static partial nint OpenDir([MarshalUsing(typeof(UnixNameMarshaller))] string path);

    /// <summary>glibc's <c>readdir</c>; on 64-bit Linux its <c>struct dirent</c> is <c>dirent64</c>: the name starts at byte 19.</summary>
    [LibraryImport(Library, EntryPoint = "readdir", SetLastError = true)]
    public static partial byte* ReadDir(nint directory);

    [LibraryImport(Library, EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDir(nint directory);

    public const int DirentNameOffset = 19;

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    public static partial int StatX(int dirFd, [MarshalUsing(typeof(UnixNameMarshaller))] string path, int flags, uint mask, out Statx buffer);

    [LibraryImport(Library, EntryPoint = "readlink", SetLastError = true)]
    public static partial nint ReadLink([MarshalUsing(typeof(UnixNameMarshaller))] string path, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint LListXattr([MarshalUsing(typeof(UnixNameMarshaller))] string path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint LGetXattr([MarshalUsing(typeof(UnixNameMarshaller))] string path, byte* name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int LSetXattr([MarshalUsing(typeof(UnixNameMarshaller))] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte* value, nuint size, int flags);

    // mknod is an exported symbol only since glibc 2.33; older glibc (RHEL 8: 2.28) exports __xmknod, whose
    // version argument is 0 on every 64-bit Linux ABI.
    [LibraryImport(Library, EntryPoint = "mknod", SetLastError = true)]
    public static partial int MkNod([MarshalUsing(typeof(UnixNameMarshaller))] string path, uint mode, ulong device);

    [LibraryImport(Library, EntryPoint = "__xmknod", SetLastError = true)]
    public static partial int XMkNod(int version, [MarshalUsing(typeof(UnixNameMarshaller))] string path, uint mode, ref ulong device);

    [LibraryImport(Library, EntryPoint = "lchown", SetLastError = true)]
    public static partial int LChown([MarshalUsing(typeof(UnixNameMarshaller))] string path, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true)]
    public static partial int Link([MarshalUsing(typeof(UnixNameMarshaller))] string existingPath, [MarshalUsing(typeof(UnixNameMarshaller))] string newPath);

    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true)]
    public static partial int UtimensAt(int dirFd, [MarshalUsing(typeof(UnixNameMarshaller))] string path, Timespec* times, int flags);

    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true)]
    public static partial int ChMod([MarshalUsing(typeof(UnixNameMarshaller))] string path, uint mode);

    /// <summary>glibc's <c>makedev</c>: the 64-bit <c>dev_t</c> encoding.</summary>
    public static ulong MakeDevice(uint major, uint minor)
        => ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
        | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
