using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xcat.Imaging.Internal;

/// <summary>
/// A buffer whose first byte sits on a 64-byte boundary, carved from a pinned array. memcpy (<c>rep movsb</c>) from
/// the page cache or another aligned buffer runs markedly faster into a cache-line aligned destination.
/// </summary>
internal static class AlignedBuffer
{
    private const int Alignment = 64;

    internal static unsafe Memory<byte> Allocate(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + Alignment - 1, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var offset = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1));
        return array.AsMemory(offset, length);
    }
}
