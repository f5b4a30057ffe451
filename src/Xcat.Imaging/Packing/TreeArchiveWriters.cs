using Xcat.Imaging.Cpio;
using Xcat.Imaging.Tar;
using Xcat.Imaging.Trees;

namespace Xcat.Imaging.Packing;

/// <summary>One archive format as the packer sees it: tree entries in, archive bytes out.</summary>
internal interface ITreeArchiveWriter : IAsyncDisposable
{
    Task WriteAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken);

    Task FinishAsync(CancellationToken cancellationToken);
}

internal sealed class CpioTreeArchiveWriter(Stream stream, CpioWriterOptions options) : ITreeArchiveWriter
{
    private readonly CpioWriter _writer = new(stream, options, leaveOpen: true);

    public Task WriteAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken)
        => CpioTreeMapping.WriteAsync(_writer, entry, data, cancellationToken);

    public async Task FinishAsync(CancellationToken cancellationToken) => await _writer.DisposeAsync().ConfigureAwait(false);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

internal sealed class TarTreeArchiveWriter(Stream stream) : ITreeArchiveWriter
{
    private readonly PaxTreeWriter _writer = new(stream, leaveOpen: true);

    public Task WriteAsync(TreeEntry entry, Stream? data, CancellationToken cancellationToken) => _writer.WriteAsync(entry, data, cancellationToken);

    public Task FinishAsync(CancellationToken cancellationToken) => _writer.FinishAsync(cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
