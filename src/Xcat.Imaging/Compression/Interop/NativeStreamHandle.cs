using System.Runtime.InteropServices;

namespace Xcat.Imaging.Compression.Interop;

/// <summary>
/// Owns a library's stream structure (<see cref="ZStream"/>, <see cref="LzmaStream"/>) in native memory: zlib and
/// liblzma keep a pointer back to it while coding, so it must not move. Ends the library's state, if it was
/// initialised, before freeing the memory.
/// </summary>
/// <typeparam name="TStream">The library's stream structure.</typeparam>
internal abstract unsafe class NativeStreamHandle<TStream> : SafeHandle
    where TStream : unmanaged
{
    private bool _initialized;

    protected NativeStreamHandle()
        : base(0, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(TStream)));
    }

    public override bool IsInvalid => handle == 0;

    public TStream* Stream => (TStream*)handle;

    protected override bool ReleaseHandle()
    {
        if (_initialized)
        {
            End((TStream*)handle);
        }

        NativeMemory.Free((void*)handle);
        return true;
    }

    /// <summary>Ends the library's state for the stream (<c>inflateEnd</c>, <c>lzma_end</c>).</summary>
    protected abstract void End(TStream* stream);

    /// <summary>
    /// Marks the state initialised when the library's init call returned <paramref name="ok"/>; otherwise frees the
    /// handle and throws.
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The call returned <paramref name="memoryError"/>.</exception>
    /// <exception cref="InvalidOperationException">The call failed otherwise.</exception>
    protected void CheckInitialized(int code, int ok, int memoryError, string library, string reason)
    {
        if (code == ok)
        {
            _initialized = true;
            return;
        }

        Dispose();
        if (code == memoryError)
        {
            throw new InsufficientMemoryException($"{library} could not allocate its state.");
        }

        throw new InvalidOperationException($"{library} refused to initialise{reason}.");
    }
}
