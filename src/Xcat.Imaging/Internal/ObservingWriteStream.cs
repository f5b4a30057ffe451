using System.Security.Cryptography;

namespace Xcat.Imaging.Internal;

/// <summary>A write-only pass-through that counts the bytes and optionally hashes them; it never disposes the inner stream.</summary>
internal sealed class ObservingWriteStream(Stream inner, IncrementalHash? hash = null) : WriteOnlyStream(inner, leaveOpen: true)
{
    public long BytesWritten { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Destination.Write(buffer);
        hash?.AppendData(buffer);
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Destination.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        hash?.AppendData(buffer.Span);
        BytesWritten += buffer.Length;
    }

    public override void Flush() => Destination.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Destination.FlushAsync(cancellationToken);
}
