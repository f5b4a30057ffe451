using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>zlib's <c>z_stream</c> on Linux (<c>uLong</c> is pointer-sized on LP64 and ILP32).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public nuint TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public nuint TotalOut;
    public byte* Message;
    public void* State;
    public void* ZAlloc;
    public void* ZFree;
    public void* Opaque;
    public int DataType;
    public nuint Adler;
    public nuint Reserved;
}
