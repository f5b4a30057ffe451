using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Xcat.Imaging.Unix.Interop;

/// <summary>
/// Marshals a path to libc as the bytes <see cref="UnixNameEncoding"/> says it stands for, NUL-terminated, so that a
/// name that is not UTF-8 reaches the kernel byte for byte (the built-in UTF-8 marshalling writes U+FFFD instead).
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(ManagedToUnmanagedIn))]
internal static unsafe class UnixNameMarshaller
{
    /// <summary>The stateful marshaller: a stack buffer for short paths, native memory for long ones.</summary>
    public ref struct ManagedToUnmanagedIn
    {
        private byte* _pointer;
        private bool _allocated;

        /// <summary>Gets the size of the stack buffer the generated code passes to <see cref="FromManaged"/>.</summary>
        public static int BufferSize => 512;

        /// <summary>Encodes <paramref name="managed"/> into <paramref name="buffer"/> or, when too long, native memory.</summary>
        public void FromManaged(string? managed, Span<byte> buffer)
        {
            if (managed is null)
            {
                _pointer = null;
                return;
            }

            var length = UnixNameEncoding.GetByteCount(managed);
            if (length + 1 > buffer.Length)
            {
                _pointer = (byte*)NativeMemory.Alloc((nuint)length + 1);
                _allocated = true;
                buffer = new Span<byte>(_pointer, length + 1);
            }
            else
            {
                // The generated code passes stack memory, which does not move.
                _pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
            }

            UnixNameEncoding.GetBytes(managed, buffer);
            buffer[length] = 0;
        }

        /// <summary>Returns the pointer to the encoded bytes.</summary>
        public readonly byte* ToUnmanaged() => _pointer;

        /// <summary>Frees native memory, if any was taken.</summary>
        public void Free()
        {
            if (_allocated)
            {
                NativeMemory.Free(_pointer);
                _allocated = false;
            }
        }
    }
}
