using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Xcat.Imaging.Unix;

/// <summary>
/// The reversible mapping between Linux file names, which are bytes, and .NET strings: UTF-8, except that each byte
/// of a sequence that is not valid UTF-8 becomes the lone surrogate U+DC80..U+DCFF (<c>0xDC00 + byte</c>), the
/// "surrogateescape" scheme of Python's PEP 383. Every byte sequence decodes, and every decoded string encodes back
/// to the same bytes.
/// </summary>
/// <remarks>
/// Names that are valid UTF-8 decode exactly as <see cref="Encoding.UTF8"/> decodes them. .NET's own file APIs
/// encode a lone surrogate as U+FFFD, so a name holding an escaped byte reaches the disk only through the library's
/// native calls (<see cref="UnixMetadataProvider"/>), and a person sees it through <see cref="DisplayText.Escape"/>,
/// which shows the escaped byte as <c>\351</c>.
/// </remarks>
public static class UnixNameEncoding
{
    private const char FirstEscape = '\uDC80';
    private const char LastEscape = '\uDCFF';

    /// <summary>Decodes a file name or link target.</summary>
    /// <param name="bytes">The name's bytes, without a terminating NUL.</param>
    /// <returns>The name; escaped bytes as U+DC80..U+DCFF.</returns>
    public static string GetString(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var written = 0;
            while (!bytes.IsEmpty)
            {
                var status = Utf8.ToUtf16(bytes, chars.AsSpan(written), out var read, out var produced, replaceInvalidSequences: false);
                written += produced;
                bytes = bytes[read..];
                if (status == OperationStatus.Done)
                {
                    break;
                }

                // InvalidData or NeedMoreData (a truncated sequence at the end): escape the bytes of the maximal
                // invalid subsequence one by one, then carry on decoding.
                Rune.DecodeFromUtf8(bytes, out _, out var invalid);
                foreach (var b in bytes[..Math.Max(invalid, 1)])
                {
                    chars[written++] = (char)(0xDC00 + b);
                }

                bytes = bytes[Math.Max(invalid, 1)..];
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Encodes a name to the bytes it stands for.</summary>
    /// <param name="name">A name, possibly with escaped bytes.</param>
    /// <returns>The name's bytes, without a terminating NUL.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> holds a lone surrogate that is not an escaped byte.</exception>
    public static byte[] GetBytes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!HasEscapes(name))
        {
            return EncodeStrict(name);
        }

        var bytes = new byte[GetByteCount(name)];
        GetBytes(name, bytes);
        return bytes;
    }

    /// <summary>The number of bytes <see cref="GetBytes(string)"/> returns for <paramref name="name"/>.</summary>
    /// <param name="name">A name, possibly with escaped bytes.</param>
    /// <returns>The byte count.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> holds a lone surrogate that is not an escaped byte.</exception>
    public static int GetByteCount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var count = 0;
        foreach (var segment in new Segments(name))
        {
            count += segment.Escaped ? segment.Memory.Span.Length : CountStrict(segment.Memory.Span, name);
        }

        return count;
    }

    /// <summary>Encodes a name into <paramref name="destination"/>.</summary>
    /// <param name="name">A name, possibly with escaped bytes.</param>
    /// <param name="destination">Room for at least <see cref="GetByteCount"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> holds a lone surrogate that is not an escaped byte, or <paramref name="destination"/> is too small.
    /// </exception>
    public static int GetBytes(string name, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(name);
        var written = 0;
        foreach (var segment in new Segments(name))
        {
            if (segment.Escaped)
            {
                if (destination.Length - written < segment.Memory.Span.Length)
                {
                    throw new ArgumentException("The destination is too small for the encoded name.", nameof(destination));
                }

                foreach (var c in segment.Memory.Span)
                {
                    destination[written++] = (byte)(c - 0xDC00);
                }
            }
            else
            {
                written += EncodeStrict(segment.Memory.Span, destination[written..], name);
            }
        }

        return written;
    }

    /// <summary>Whether <paramref name="name"/> holds an escaped byte, i.e. is not valid UTF-8 on disk.</summary>
    /// <param name="name">A name.</param>
    /// <returns><see langword="true"/> when some character is U+DC80..U+DCFF outside a surrogate pair.</returns>
    public static bool HasEscapes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var span = name.AsSpan();
        var at = span.IndexOfAnyInRange(FirstEscape, LastEscape);
        while (at >= 0)
        {
            if (at == 0 || !char.IsHighSurrogate(span[at - 1]))
            {
                return true;
            }

            span = span[(at + 1)..];
            at = span.IndexOfAnyInRange(FirstEscape, LastEscape);
        }

        return false;
    }

    private static byte[] EncodeStrict(string name)
    {
        try
        {
            return StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException)
        {
            throw LoneSurrogate(name);
        }
    }

    private static int EncodeStrict(ReadOnlySpan<char> text, Span<byte> destination, string name)
    {
        try
        {
            return StrictUtf8.GetBytes(text, destination);
        }
        catch (EncoderFallbackException)
        {
            throw LoneSurrogate(name);
        }
    }

    private static int CountStrict(ReadOnlySpan<char> text, string name)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw LoneSurrogate(name);
        }
    }

    private static ArgumentException LoneSurrogate(string name)
        => new($"The name '{DisplayText.Escape(name)}' holds a lone UTF-16 surrogate that stands for no byte; it cannot be a file name.", nameof(name));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits a name into runs of escaped bytes and runs of ordinary text.</summary>
    private struct Segments(string name)
    {
        private int _next;

        public (ReadOnlyMemory<char> Memory, bool Escaped) Current { get; private set; }

        public readonly Segments GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next == name.Length)
            {
                return false;
            }

            var start = _next;
            var escaped = IsEscape(name, start);
            while (_next < name.Length && IsEscape(name, _next) == escaped)
            {
                _next++;
            }

            Current = (name.AsMemory(start, _next - start), escaped);
            return true;
        }

        private static bool IsEscape(string text, int index)
            => text[index] is >= FirstEscape and <= LastEscape && (index == 0 || !char.IsHighSurrogate(text[index - 1]));
    }
}
