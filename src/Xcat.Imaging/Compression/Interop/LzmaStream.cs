using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>liblzma's <c>lzma_stream</c> (5.x layout; <c>LZMA_STREAM_INIT</c> is all zeros).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaStream
{
    public byte* NextIn;
    public nuint AvailIn;
    public ulong TotalIn;
    public byte* NextOut;
    public nuint AvailOut;
    public ulong TotalOut;
    public void* Allocator;
    public void* Internal;
    public void* ReservedPtr1;
    public void* ReservedPtr2;
    public void* ReservedPtr3;
    public void* ReservedPtr4;
    public ulong SeekPosition;
    public ulong ReservedInt2;
    public nuint ReservedInt3;
    public nuint ReservedInt4;
    public int ReservedEnum1;
    public int ReservedEnum2;
}
