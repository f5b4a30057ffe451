using Xcat.Imaging.Internal;

namespace Xcat.Imaging.Compression;

/// <summary>
/// Passes reads through and remembers whether the source itself failed, so that an I/O error of the source is not
/// mistaken for corrupt data by <see cref="LibraryDecompressionStream"/>. Never disposes the source.
/// </summary>
internal sealed class SourceGuardStream(Stream source) : ReadOnlyStream(source, leaveOpen: true)
{
    public bool SourceFailed { get; private set; }

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var count = Source.Read(buffer);
            BytesRead += count;
            return count;
        }
        catch
        {
            SourceFailed = true;
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await Source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += count;
            return count;
        }
        catch
        {
            SourceFailed = true;
            throw;
        }
    }
}
