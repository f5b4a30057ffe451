using Microsoft.Extensions.Logging;
using Xcat.Imaging.Compression.Interop;
using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Writes .xz with liblzma's multi-threaded encoder and a CRC32 check (xCAT's packimage.pm, file list). The encoder cuts blocks at a size
/// set by the preset, so the output does not depend on the number of threads.
/// </summary>
internal sealed class XzCompressionStream : WriteOnlyStream
{
    private const int OutputSize = 64 * 1024;

    private readonly ILogger _logger;
    private readonly LzmaStreamHandle _handle;
    private readonly byte[] _output = new byte[OutputSize];
    private long _outputLength;
    private Exception? _failure;

    public XzCompressionStream(Stream destination, int preset, int threads, ILogger logger, bool leaveOpen)
        : base(destination, leaveOpen)
    {
        _logger = logger;
        _handle = LzmaStreamHandle.CreateEncoder(preset, threads);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureUsable();
        try
        {
            while (!buffer.IsEmpty)
            {
                var produced = Code(buffer, Lzma.Run, out var consumed);
                buffer = buffer[consumed..];
                Destination.Write(_output, 0, produced);
            }
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureUsable();
        return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : WriteCoreAsync(buffer, cancellationToken);
    }

    /// <summary>Ends the current block (LZMA_FULL_FLUSH) so that everything written so far can be decoded, then flushes the destination.</summary>
    public override void Flush()
    {
        EnsureUsable();
        SyncOverAsync.Wait(FlushCoreAsync(useAsync: false, CancellationToken.None));
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        EnsureUsable();
        await FlushCoreAsync(useAsync: true, cancellationToken).ConfigureAwait(false);
    }

    protected override void Complete() => SyncOverAsync.Wait(CompleteCoreAsync(useAsync: false));

    protected override ValueTask CompleteAsync() => CompleteCoreAsync(useAsync: true);

    protected override void ReleaseResources() => _handle.Dispose();

    private async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var produced = Code(buffer.Span, Lzma.Run, out var consumed);
                buffer = buffer[consumed..];
                await Destination.WriteAsync(_output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <summary>Runs a flush or finish action until liblzma reports it done, writing all output.</summary>
    private async ValueTask DrainAsync(bool useAsync, int action, CancellationToken cancellationToken)
    {
        bool done;
        do
        {
            var produced = Code([], action, out _, out done);
            await SyncOverAsync.WriteAsync(Destination, useAsync, _output.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
        while (!done);
    }

    private async ValueTask FlushCoreAsync(bool useAsync, CancellationToken cancellationToken)
    {
        try
        {
            await DrainAsync(useAsync, Lzma.FullFlush, cancellationToken).ConfigureAwait(false);
            await SyncOverAsync.FlushAsync(Destination, useAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    private async ValueTask CompleteCoreAsync(bool useAsync)
    {
        if (_failure is null)
        {
            await DrainAsync(useAsync, Lzma.Finish, CancellationToken.None).ConfigureAwait(false);
            await SyncOverAsync.FlushAsync(Destination, useAsync, CancellationToken.None).ConfigureAwait(false);
            Finished();
        }
        else
        {
            Log.CompressorAbandoned(_logger, CompressionMethod.Xz, _failure);
        }
    }

    private int Code(ReadOnlySpan<byte> input, int action, out int consumed) => Code(input, action, out consumed, out _);

    private unsafe int Code(ReadOnlySpan<byte> input, int action, out int consumed, out bool streamEnd)
    {
        var stream = _handle.Stream;
        int code;
        int produced;
        fixed (byte* source = input)
        fixed (byte* output = _output)
        {
            stream->NextIn = source;
            stream->AvailIn = (nuint)input.Length;
            stream->NextOut = output;
            stream->AvailOut = OutputSize;
            code = Lzma.Code(stream, action);
            consumed = input.Length - (int)stream->AvailIn;
            produced = OutputSize - (int)stream->AvailOut;
            stream->NextIn = null;
            stream->NextOut = null;
        }

        _outputLength += produced;
        streamEnd = code == Lzma.StreamEnd;
        if (code is not (Lzma.Ok or Lzma.StreamEnd))
        {
            if (code == Lzma.MemoryError)
            {
                throw new InsufficientMemoryException("liblzma could not allocate memory for encoding.");
            }

            throw new InvalidOperationException($"xz encoding failed: {Lzma.Describe(code)}.");
        }

        return produced;
    }

    private unsafe void Finished() =>
        Log.CompressorFinished(_logger, CompressionMethod.Xz, (long)_handle.Stream->TotalIn, _outputLength);

    private void EnsureUsable()
    {
        EnsureNotDisposed();
        if (_failure is not null)
        {
            throw new InvalidOperationException("The xz stream failed earlier and accepts no more data.", _failure);
        }
    }
}
