using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Base of the decompressors that drive a native library (zlib, liblzma): owns the input buffer and the read loop,
/// sync and async alike, so that a derived stream only says what one step of its library does.
/// </summary>
internal abstract class NativeDecompressionStream(Stream source, bool leaveOpen) : ReadOnlyStream(source, leaveOpen)
{
    private const int InputSize = 64 * 1024;

    /// <summary>Gets the input buffer; the unconsumed bytes are <see cref="InputCount"/> bytes from <see cref="InputOffset"/>.</summary>
    protected byte[] Input { get; } = new byte[InputSize];

    /// <summary>Gets where the unconsumed input starts in <see cref="Input"/>.</summary>
    protected int InputOffset { get; private set; }

    /// <summary>Gets how many bytes of <see cref="Input"/> are not consumed yet.</summary>
    protected int InputCount { get; private set; }

    /// <summary>Gets a value indicating whether the source has ended: no input follows what is in <see cref="Input"/>.</summary>
    protected bool SourceEnded { get; private set; }

    /// <summary>Gets or sets a value indicating whether the compressed data has ended and reads return 0.</summary>
    protected bool Done { get; set; }

    public sealed override int Read(Span<byte> buffer)
    {
        EnsureNotDisposed();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!Done)
        {
            if (InputCount == 0 && !SourceEnded)
            {
                Filled(Source.Read(Input));
            }

            var produced = Step(buffer);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    public sealed override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!Done)
        {
            if (InputCount == 0 && !SourceEnded)
            {
                Filled(await Source.ReadAsync(Input, cancellationToken).ConfigureAwait(false));
            }

            var produced = Step(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    /// <summary>
    /// Decodes what input there is into <paramref name="buffer"/>, advancing <see cref="InputOffset"/> and
    /// <see cref="InputCount"/> by what it consumed and setting <see cref="Done"/> at the end.
    /// </summary>
    /// <returns>The bytes produced: 0 when more input is needed or at the end.</returns>
    protected abstract int Step(Span<byte> buffer);

    /// <summary>Marks <paramref name="consumed"/> bytes of the input as consumed.</summary>
    protected void Consumed(int consumed)
    {
        InputOffset += consumed;
        InputCount -= consumed;
    }

    private void Filled(int count)
    {
        InputOffset = 0;
        InputCount = count;
        SourceEnded = count == 0;
    }
}
