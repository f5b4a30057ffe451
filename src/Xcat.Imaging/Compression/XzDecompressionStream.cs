using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>Reads .xz with the system liblzma: concatenated streams, stream padding and every check type.</summary>
internal sealed class XzDecompressionStream(Stream source, bool leaveOpen) : NativeDecompressionStream(source, leaveOpen)
{
    private readonly LzmaStreamHandle _handle = LzmaStreamHandle.CreateDecoder();

    protected override void ReleaseResources() => _handle.Dispose();

    protected override unsafe int Step(Span<byte> buffer)
    {
        var stream = _handle.Stream;
        int code;
        int produced;
        fixed (byte* input = Input)
        fixed (byte* output = buffer)
        {
            stream->NextIn = input + InputOffset;
            stream->AvailIn = (nuint)InputCount;
            stream->NextOut = output;
            stream->AvailOut = (nuint)buffer.Length;

            // With LZMA_CONCATENATED the decoder only reports the end once told that no input follows.
            code = Lzma.Code(stream, SourceEnded ? Lzma.Finish : Lzma.Run);
            Consumed(InputCount - (int)stream->AvailIn);
            produced = buffer.Length - (int)stream->AvailOut;
            stream->NextIn = null;
            stream->NextOut = null;
        }

        switch (code)
        {
            case Lzma.Ok:
                return produced;
            case Lzma.StreamEnd:
                Done = true;
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
