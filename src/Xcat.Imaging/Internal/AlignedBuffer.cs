using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xcat.Imaging.Internal;

/// <summary>
/// Buffers whose first byte sits on a 64-byte boundary, carved from pinned arrays and kept in a small pool. memcpy
/// (<c>rep movsb</c>) from the page cache or another aligned buffer runs markedly faster into a cache-line aligned
/// destination; measured here, a misaligned one costs up to 60 %.
/// </summary>
internal static class AlignedBuffer
{
    internal const int Alignment = 64;

    private static readonly ConcurrentBag<Memory<byte>> s_pool = [];

    /// <summary>Allocates a fresh aligned buffer.</summary>
    internal static unsafe Memory<byte> Allocate(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + Alignment - 1, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var offset = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1));
        return array.AsMemory(offset, length);
    }

    /// <summary>Takes a pooled buffer of exactly <paramref name="length"/> bytes, or allocates one.</summary>
    internal static Memory<byte> Rent(int length)
    {
        while (s_pool.TryTake(out var buffer))
        {
            if (buffer.Length == length)
            {
                return buffer;
            }
        }

        return Allocate(length);
    }

    /// <summary>Gives a buffer back; the pool keeps a few per core and lets the rest be collected.</summary>
    internal static void Return(Memory<byte> buffer)
    {
        if (s_pool.Count < 2 * Environment.ProcessorCount)
        {
            s_pool.Add(buffer);
        }
    }
}
