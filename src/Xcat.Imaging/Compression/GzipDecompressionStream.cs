using Xcat.Imaging.Compression.Interop;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Reads gzip with the system zlib: every member in turn (pigz, multi-member and our single-member output alike),
/// checking each CRC-32 and ISIZE. Unlike the BCL's <c>GZipStream</c>, which returns a short read, a truncated
/// stream is an error. Zero bytes after the last member (tape or block padding) are ignored; anything else after
/// it is an error.
/// </summary>
internal sealed class GzipDecompressionStream(Stream source, bool leaveOpen) : ReadOnlyStream(source, leaveOpen)
{
    private const int InputSize = 64 * 1024;

    private readonly ZStreamHandle _handle = ZStreamHandle.CreateGzipInflater();
    private readonly byte[] _input = new byte[InputSize];
    private int _inputOffset;
    private int _inputCount;
    private bool _sourceEnded;
    private bool _inMember = true;
    private bool _done;
    private bool _sawPadding;

    /// <summary>Gets the number of complete members read so far.</summary>
    public int Members { get; private set; }

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

    /// <summary>Inflates what input there is; returns the bytes produced (0 when more input is needed or at the end).</summary>
    private unsafe int Step(Span<byte> buffer)
    {
        if (!_inMember)
        {
            return BetweenMembers();
        }

        var stream = _handle.Stream;
        int code;
        int produced;
        fixed (byte* input = _input)
        fixed (byte* output = buffer)
        {
            stream->NextIn = input + _inputOffset;
            stream->AvailIn = (uint)_inputCount;
            stream->NextOut = output;
            stream->AvailOut = (uint)buffer.Length;
            code = ZLib.Inflate(stream, ZLib.NoFlush);
            var consumed = _inputCount - (int)stream->AvailIn;
            produced = buffer.Length - (int)stream->AvailOut;
            _inputOffset += consumed;
            _inputCount -= consumed;
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
            case ZLib.BufferError when produced == 0 && _inputCount == 0 && _sourceEnded:
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
        while (_inputCount > 0 && _input[_inputOffset] == 0)
        {
            _inputOffset++;
            _inputCount--;
            _sawPadding = true;
        }

        if (_inputCount == 0)
        {
            _done = _sourceEnded;
            return 0;
        }

        if (_sawPadding || _input[_inputOffset] != 0x1f)
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
