using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>The "compressor" for <see cref="CompressionMethod.None"/>: writes through and honours leaveOpen.</summary>
internal sealed class PassThroughWriteStream(Stream destination, bool leaveOpen) : WriteOnlyStream(destination, leaveOpen)
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureNotDisposed();
        Destination.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureNotDisposed();
        return Destination.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        EnsureNotDisposed();
        Destination.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        EnsureNotDisposed();
        return Destination.FlushAsync(cancellationToken);
    }
}
