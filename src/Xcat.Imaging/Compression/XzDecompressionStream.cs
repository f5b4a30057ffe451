using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>Reads .xz with the system liblzma: concatenated streams, stream padding and every check type.</summary>
internal sealed class XzDecompressionStream(Stream source, bool leaveOpen) : ReadOnlyStream(source, leaveOpen)
{
    private const int InputSize = 64 * 1024;

    private readonly LzmaStreamHandle _handle = LzmaStreamHandle.CreateDecoder();
    private readonly byte[] _input = new byte[InputSize];
    private int _inputOffset;
    private int _inputCount;
    private bool _sourceEnded;
    private bool _done;

    public override int Read(Span<byte> buffer)
    {
        EnsureNotDisposed();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_done)
        {
            if (_inputCount == 0 && !_sourceEnded)
            {
                Filled(Source.Read(_input));
            }

            var produced = Step(buffer);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_done)
        {
            if (_inputCount == 0 && !_sourceEnded)
            {
                Filled(await Source.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
            }

            var produced = Step(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
        }

        return 0;
    }

    protected override void ReleaseResources() => _handle.Dispose();

    private void Filled(int count)
    {
        _inputOffset = 0;
        _inputCount = count;
        _sourceEnded = count == 0;
    }

    private unsafe int Step(Span<byte> buffer)
    {
        var stream = _handle.Stream;
        int code;
        int produced;
        fixed (byte* input = _input)
        fixed (byte* output = buffer)
        {
            stream->NextIn = input + _inputOffset;
            stream->AvailIn = (nuint)_inputCount;
            stream->NextOut = output;
            stream->AvailOut = (nuint)buffer.Length;

            // With LZMA_CONCATENATED the decoder only reports the end once told that no input follows.
            code = Lzma.Code(stream, _sourceEnded ? Lzma.Finish : Lzma.Run);
            var consumed = _inputCount - (int)stream->AvailIn;
            produced = buffer.Length - (int)stream->AvailOut;
            _inputOffset += consumed;
            _inputCount -= consumed;
            stream->NextIn = null;
            stream->NextOut = null;
        }

        switch (code)
        {
            case Lzma.Ok:
                return produced;
            case Lzma.StreamEnd:
                _done = true;
                return produced;
            case Lzma.MemoryError:
                throw new InsufficientMemoryException("liblzma could not allocate memory for decoding.");
            case Lzma.BufferError when stream->TotalIn == 0:
                throw new InvalidDataException("The xz stream is empty.");
            default:
                throw new InvalidDataException($"The xz stream is corrupt: {Lzma.Describe(code)}.");
        }
    }
}
