using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>liblzma's <c>lzma_mt</c> (5.4 layout; the reserved tail must be zero).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaMt
{
    public uint Flags;
    public uint Threads;
    public ulong BlockSize;
    public uint Timeout;
    public uint Preset;
    public void* Filters;
    public int Check;
    public int ReservedEnum1;
    public int ReservedEnum2;
    public int ReservedEnum3;
    public uint ReservedInt1;
    public uint ReservedInt2;
    public uint ReservedInt3;
    public uint ReservedInt4;
    public ulong MemoryLimitThreading;
    public ulong MemoryLimitStop;
    public ulong ReservedInt7;
    public ulong ReservedInt8;
    public void* ReservedPtr1;
    public void* ReservedPtr2;
    public void* ReservedPtr3;
    public void* ReservedPtr4;
}
