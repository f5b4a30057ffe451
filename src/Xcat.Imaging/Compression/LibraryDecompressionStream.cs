using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Wraps a managed library's decompressor (ZstdSharp, SharpCompress) so that its many exception types for corrupt or
/// truncated input become <see cref="InvalidDataException"/>, while the source's own errors and cancellation pass
/// through unchanged. The library stream is created on the first read, because SharpCompress reads its header in
/// the constructor.
/// </summary>
internal sealed class LibraryDecompressionStream(Stream source, bool leaveOpen, string format, Func<Stream, Stream> createDecompressor)
    : ReadOnlyStream(source, leaveOpen)
{
    private readonly SourceGuardStream _guard = new(source);
    private Stream? _inner;

    public override int Read(Span<byte> buffer)
    {
        EnsureNotDisposed();
        try
        {
            _inner ??= createDecompressor(_guard);
            return CheckEnd(_inner.Read(buffer), buffer.Length);
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw Corrupt(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        try
        {
            _inner ??= createDecompressor(_guard);
            return CheckEnd(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw Corrupt(e);
        }
    }

    protected override void ReleaseResources()
    {
        _inner?.Dispose();
        _guard.Dispose();
    }

    /// <summary>ZstdSharp reports an empty source as an empty stream; it is not a valid compressed stream.</summary>
    private int CheckEnd(int count, int requested)
    {
        if (count == 0 && requested > 0 && _guard.BytesRead == 0)
        {
            throw new InvalidDataException($"The {format} stream is empty.");
        }

        return count;
    }

    private bool IsDataError(Exception e) =>
        !_guard.SourceFailed && e is not (OperationCanceledException or ObjectDisposedException or OutOfMemoryException
            or InvalidDataException);

    private InvalidDataException Corrupt(Exception e) => new($"The {format} stream is corrupt or truncated: {e.Message}", e);
}
