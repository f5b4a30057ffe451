using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Cpio;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Tar;

namespace Xcat.Imaging.Packing;

/// <summary>Reads any ramdisk archive as tree entries: decompress by magic, then cpio or tar by magic.</summary>
internal static class RamdiskEntries
{
    /// <param name="archive">The archive.</param>
    /// <param name="logger">Receives the readers' warnings.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <param name="skippedMembers">When given, receives the number of members skipped for their (vendor) type.</param>
    public static async IAsyncEnumerable<(TreeEntry Entry, Stream? Data)> ReadAsync(Stream archive, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken, StrongBox<long>? skippedMembers = null)
    {
        var decompressed = await CompressionStreams.OpenDecompressorAsync(archive, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await using (decompressed.ConfigureAwait(false))
        {
            var peeked = await CompressionDetector.PeekAsync(decompressed, 512, leaveOpen: true, cancellationToken).ConfigureAwait(false);
            await using (peeked.ConfigureAwait(false))
            {
                var format = DetectFormat(peeked.Header.Span);
                if (format == ArchiveFormat.Cpio)
                {
                    var reader = new CpioReader(peeked, leaveOpen: true);
                    await using (reader.ConfigureAwait(false))
                    {
                        var entries = new CpioTreeReader(reader);
                        while (await entries.ReadAsync(cancellationToken).ConfigureAwait(false) is { } item)
                        {
                            yield return item;
                        }
                    }
                }
                else
                {
                    var reader = new PaxTreeReader(peeked, leaveOpen: true, logger);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } item)
                    {
                        yield return item;
                    }

                    skippedMembers?.Value = reader.SkippedMembers;
                }
            }
        }
    }

    public static ArchiveFormat DetectFormat(ReadOnlySpan<byte> header)
    {
        if (CpioHeader.HasAnyMagic(header))
        {
            return ArchiveFormat.Cpio; // the old binary formats too: CpioReader names them in its error
        }

        if (TarMagic.HasUstar(header) || PaxTreeReader.IsHeader(header))
        {
            return ArchiveFormat.Tar;
        }

        throw new InvalidDataException("The archive is neither cpio (070701/070702) nor tar (ustar, GNU or v7).");
    }
}
