using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Reads gzip with the system zlib: every member in turn (pigz, multi-member and our single-member output alike),
/// checking each CRC-32 and ISIZE. Unlike the BCL's <c>GZipStream</c>, which returns a short read, a truncated
/// stream is an error. Zero bytes after the last member (tape or block padding) are ignored; anything else after
/// it is an error.
/// </summary>
internal sealed class GzipDecompressionStream(Stream source, bool leaveOpen) : NativeDecompressionStream(source, leaveOpen)
{
    private readonly ZStreamHandle _handle = ZStreamHandle.CreateGzipInflater();
    private bool _inMember = true;
    private bool _sawPadding;

    /// <summary>Gets the number of complete members read so far.</summary>
    public int Members { get; private set; }

    protected override void ReleaseResources() => _handle.Dispose();

    /// <summary>Inflates what input there is; returns the bytes produced (0 when more input is needed or at the end).</summary>
    protected override unsafe int Step(Span<byte> buffer)
    {
        if (!_inMember)
        {
            return BetweenMembers();
        }

        var stream = _handle.Stream;
        int code;
        int produced;
        fixed (byte* input = Input)
        fixed (byte* output = buffer)
        {
            stream->NextIn = input + InputOffset;
            stream->AvailIn = (uint)InputCount;
            stream->NextOut = output;
            stream->AvailOut = (uint)buffer.Length;
            code = ZLib.Inflate(stream, ZLib.NoFlush);
            Consumed(InputCount - (int)stream->AvailIn);
            produced = buffer.Length - (int)stream->AvailOut;
            stream->NextIn = null;
            stream->NextOut = null;
        }

        switch (code)
        {
            case ZLib.StreamEnd:
                Members++;
                _inMember = false;
                break;
            case ZLib.Ok:
                break;
            case ZLib.BufferError when produced == 0 && InputCount == 0 && SourceEnded:
                // zlib needs input it will never get: the source ended inside a member.
                throw new InvalidDataException(Members == 0 && stream->TotalIn == 0
                    ? "The gzip stream is empty."
                    : "The gzip stream is truncated: it ends inside a member.");
            case ZLib.BufferError:
                break;
            case ZLib.MemoryError:
                throw new InsufficientMemoryException("zlib could not allocate memory for inflating.");
            case ZLib.DataError when produced > 0:
                // The data before the fault first (a CRC error comes with a member's last bytes); zlib stays in its
                // error state, so the next call reports it.
                break;
            default:
                throw new InvalidDataException($"The gzip stream is corrupt: {ZLib.Describe(stream, code)}.");
        }

        return produced;
    }

    private unsafe int BetweenMembers()
    {
        while (InputCount > 0 && Input[InputOffset] == 0)
        {
            Consumed(1);
            _sawPadding = true;
        }

        if (InputCount == 0)
        {
            Done = SourceEnded;
            return 0;
        }

        if (_sawPadding || Input[InputOffset] != 0x1f)
        {
            throw new InvalidDataException($"The gzip stream has trailing data after member {Members}.");
        }

        var code = ZLib.InflateReset(_handle.Stream);
        if (code != ZLib.Ok)
        {
            throw new InvalidOperationException($"inflateReset failed: {ZLib.Describe(_handle.Stream, code)}.");
        }

        _inMember = true;
        return 0;
    }
}
