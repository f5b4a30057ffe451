using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cpio;

/// <summary>
/// Whole-tree operations, as <c>TarFile</c> is to <c>TarWriter</c>: a directory into a newc archive (deterministic,
/// GNU cpio's hard-link layout) and an archive into a directory (confined, metadata applied, directories last).
/// </summary>
public static class CpioArchive
{
    /// <summary>Writes every entry of <paramref name="sourceDirectory"/> to <paramref name="destination"/>.</summary>
    /// <param name="sourceDirectory">The root of the tree.</param>
    /// <param name="destination">The archive stream; left open.</param>
    /// <param name="walkOptions">Walk options (stay on one file system, filter); hard-link data goes on the last member.</param>
    /// <param name="writerOptions">Format and mtime clamp; <see langword="null"/> for newc.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The metadata provider; statx on Linux when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The number of entries written.</returns>
    /// <exception cref="DirectoryNotFoundException">The source directory does not exist.</exception>
    public static async Task<long> CreateFromDirectoryAsync(string sourceDirectory, Stream destination, TreeWalkOptions? walkOptions = null,
        CpioWriterOptions? writerOptions = null, IFileSystem? fileSystem = null, IUnixMetadataProvider? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        ArgumentNullException.ThrowIfNull(destination);
        var walker = new TreeWalker(fileSystem, metadata);
        // GNU cpio's layout, without changing the caller's options.
        var options = new TreeWalkOptions
        {
            StayOnFileSystem = walkOptions?.StayOnFileSystem ?? false,
            IncludeRoot = walkOptions?.IncludeRoot ?? true,
            Filter = walkOptions?.Filter,
            ReadExtendedAttributes = walkOptions?.ReadExtendedAttributes ?? false,
            HardLinkData = HardLinkDataPlacement.Last,
        };
        long count = 0;
        var writer = new CpioWriter(destination, writerOptions, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var entry in walker.Walk(sourceDirectory, options, cancellationToken))
            {
                if (entry.Type == UnixFileType.RegularFile && entry.Length > 0)
                {
                    var data = walker.OpenRead(entry);
                    await using (data.ConfigureAwait(false))
                    {
                        await CpioTreeMapping.WriteAsync(writer, entry, data, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await CpioTreeMapping.WriteAsync(writer, entry, null, cancellationToken).ConfigureAwait(false);
                }

                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Extracts a cpio archive into <paramref name="destinationDirectory"/>: names that are absolute, contain <c>..</c>,
    /// pass through a symlink or hard-link outside are refused with <see cref="IOException"/>; devices are created only
    /// when privileged (otherwise skipped, logged and counted).
    /// </summary>
    /// <param name="source">The uncompressed archive stream; left open.</param>
    /// <param name="destinationDirectory">Where to extract; created when missing.</param>
    /// <param name="options">Extraction options; <see langword="null"/> for the defaults.</param>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The metadata writer; the Linux one when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Loggers; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What was extracted.</returns>
    /// <exception cref="InvalidDataException">The archive is corrupt.</exception>
    /// <exception cref="IOException">An entry would land outside the destination.</exception>
    public static async Task<TreeExtractionResult> ExtractToDirectoryAsync(Stream source, string destinationDirectory,
        TreeExtractionOptions? options = null, IFileSystem? fileSystem = null, IUnixMetadataWriter? metadata = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var extractor = new TreeExtractor(destinationDirectory, options, fileSystem, metadata, loggerFactory?.CreateLogger<TreeExtractor>());
        var reader = new CpioReader(source, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var entries = new CpioTreeReader(reader);
            while (await entries.ReadAsync(cancellationToken).ConfigureAwait(false) is { } item)
            {
                await extractor.ExtractAsync(item.Entry, item.Data, cancellationToken).ConfigureAwait(false);
            }
        }

        return extractor.Complete();
    }
}
