using System.Runtime.InteropServices;

namespace Xcat.Imaging.Unix.Interop;

/// <summary>
/// <c>struct statx</c> from <c>linux/stat.h</c>: unlike <c>struct stat</c> it has one layout on every architecture,
/// 256 bytes, and carries the device numbers already split into major and minor.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct Statx
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint LinkCount;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(112)] public long ModificationSeconds;
    [FieldOffset(120)] public uint ModificationNanoseconds;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;
}

/// <summary><c>struct timespec</c> on a 64-bit Linux ABI.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}
