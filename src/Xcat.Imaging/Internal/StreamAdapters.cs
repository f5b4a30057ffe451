namespace Xcat.Imaging.Internal;

/// <summary>
/// Lets one generic <c>async</c> core serve both the synchronous and the asynchronous public methods: the sync path
/// passes <see cref="SyncStreamAdapter"/>, whose value tasks are always complete (System.Formats.Tar's
/// <c>IReadWriteAdapter</c> idea, as System.Net's SslStream has).
/// </summary>
internal interface IStreamAdapter
{
    static abstract ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken);

    static abstract ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>Blocking calls wrapped in completed value tasks.</summary>
internal readonly struct SyncStreamAdapter : IStreamAdapter
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        new(stream.Read(buffer.Span));

    public static ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        stream.Write(buffer.Span);
        return default;
    }
}

/// <summary>The stream's own asynchronous calls.</summary>
internal readonly struct AsyncStreamAdapter : IStreamAdapter
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken) =>
        stream.ReadAsync(buffer, cancellationToken);

    public static ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        stream.WriteAsync(buffer, cancellationToken);
}
