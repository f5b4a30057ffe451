using System.IO.Abstractions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Packing;

/// <summary>
/// Unpacks a ramdisk archive into a directory: the compression (gzip, xz, zstd, bzip2, none) and the format (cpio,
/// tar) are detected by their magic numbers; extraction is confined to the destination and restores full metadata.
/// </summary>
public sealed class RamdiskUnpacker
{
    private readonly IFileSystem _fileSystem;
    private readonly IUnixMetadataWriter _metadata;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Initializes an unpacker.</summary>
    /// <param name="fileSystem">The file system; the real one when <see langword="null"/>.</param>
    /// <param name="metadata">The metadata writer; derived from <paramref name="fileSystem"/> when <see langword="null"/> (the Linux one for the real one).</param>
    /// <param name="loggerFactory">Loggers; none when <see langword="null"/>.</param>
    public RamdiskUnpacker(IFileSystem? fileSystem = null, IUnixMetadataWriter? metadata = null, ILoggerFactory? loggerFactory = null)
    {
        _fileSystem = fileSystem ?? new FileSystem();
        _metadata = metadata ?? UnixMetadataProvider.For(_fileSystem);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<RamdiskUnpacker>();
    }

    /// <summary>Extracts <paramref name="archive"/> (left open) into <paramref name="destinationDirectory"/>.</summary>
    /// <param name="archive">The compressed or plain archive.</param>
    /// <param name="destinationDirectory">Where to extract; created when missing.</param>
    /// <param name="options">Extraction options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives entries and bytes.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>What was extracted.</returns>
    /// <exception cref="InvalidDataException">The archive is corrupt, truncated or in no known format.</exception>
    /// <exception cref="IOException">An entry would land outside the destination.</exception>
    public async Task<TreeExtractionResult> ExtractAsync(Stream archive, string destinationDirectory, TreeExtractionOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var throttle = new ProgressThrottle(progress);
        var extractor = new TreeExtractor(destinationDirectory, options, _fileSystem, _metadata, _loggerFactory.CreateLogger<TreeExtractor>());
        long entries = 0, bytes = 0;
        var skipped = new StrongBox<long>();
        await foreach (var (entry, data) in RamdiskEntries.ReadAsync(archive, _logger, cancellationToken, skipped).ConfigureAwait(false))
        {
            await extractor.ExtractAsync(entry, data, cancellationToken).ConfigureAwait(false);
            entries++;
            bytes += entry.Length;
            throttle.Report(new ImagingProgress(ImagingStages.Extract, entry.Name, entries, null, bytes, null));
        }

        throttle.ReportNow(new ImagingProgress(ImagingStages.Extract, null, entries, entries, bytes, bytes));
        return extractor.Complete() with { SkippedMembers = skipped.Value };
    }

    /// <summary>Extracts the archive file <paramref name="archivePath"/> into <paramref name="destinationDirectory"/>.</summary>
    /// <param name="archivePath">The archive file.</param>
    /// <param name="destinationDirectory">Where to extract.</param>
    /// <param name="options">Extraction options.</param>
    /// <param name="progress">Receives entries and bytes.</param>
    /// <param name="cancellationToken">A token to cancel.</param>
    /// <returns>What was extracted.</returns>
    public async Task<TreeExtractionResult> ExtractAsync(string archivePath, string destinationDirectory, TreeExtractionOptions? options = null,
        IProgress<ImagingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archivePath);
        var stream = _fileSystem.FileStream.New(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await ExtractAsync(stream, destinationDirectory, options, progress, cancellationToken).ConfigureAwait(false);
        }
    }
}
