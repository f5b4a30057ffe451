using Xcat.Imaging.Packing;
using Xcat.Imaging.Trees;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class UnpackVerb : IVerb
{
    public string Name => "unpack";

    public string Summary => "Extract a ramdisk archive (cpio or tar; gzip, xz, zstd, bzip2 or none) into a directory.";

    public string Usage => "unpack <archive> -C <dir> [--overwrite]";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("archive", "A ramdisk archive: cpio or tar; gzip, xz, zstd, bzip2 or none.")
        .Value('C', "directory", "dir", "Where to extract; refused if it holds anything, unless --overwrite.")
        .Flag(null, "overwrite", "Extract into a directory that is not empty, replacing files of the same names.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1)
        {
            throw new UsageException("unpack takes one archive.");
        }

        var directory = options.Get("directory") ?? throw new UsageException("The destination directory (-C) is required.");
        var archive = context.ResolvePath(options.Positional[0]);
        if (Directory.Exists(archive))
        {
            throw new IOException($"The archive '{DisplayText.Escape(options.Positional[0])}' is a directory, not an archive file.");
        }

        if (!File.Exists(archive))
        {
            throw new FileNotFoundException($"The archive '{DisplayText.Escape(options.Positional[0])}' does not exist.", archive);
        }

        var destination = context.ResolvePath(directory);
        if (File.Exists(destination))
        {
            throw new IOException($"The destination '{DisplayText.Escape(directory)}' is a file, not a directory.");
        }

        var overwrite = options.Has("overwrite");
        var merge = Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any();
        if (merge && !overwrite)
        {
            throw new IOException($"The destination '{DisplayText.Escape(directory)}' is not empty; use --overwrite to extract into it.");
        }

        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var unpacker = new RamdiskUnpacker(loggerFactory: context.LoggerFactory);
        var extraction = new TreeExtractionOptions { Overwrite = overwrite };
        var result = merge
            ? await unpacker.ExtractAsync(archive, destination, extraction, bar, cancellationToken)
            : await ExtractStagedAsync(unpacker, archive, destination, extraction, bar, cancellationToken);
        bar.Dispose();
        if (result.SkippedMembers > 0)
        {
            await context.Error.WriteAsync($"skipped {result.SkippedMembers} members of unsupported types\n");
        }

        await context.Out.WriteAsync($"{result.Entries} entries: {result.Files} files, {result.Directories} directories, {result.SymbolicLinks} symlinks, " +
            $"{result.HardLinks} hard links, {result.Devices} devices ({result.SkippedDevices} skipped), {ConsoleProgressBar.FormatBytes(result.Bytes)}\n");
        return CliApplication.Success;
    }

    /// <summary>
    /// Extracts into a hidden directory beside the destination and renames it into place, so that a refused archive or
    /// Ctrl-C leaves no half-extracted tree; a refusal names the destination, not the staging directory.
    /// </summary>
    private static async Task<TreeExtractionResult> ExtractStagedAsync(RamdiskUnpacker unpacker, string archive, string destination,
        TreeExtractionOptions options, IProgress<ImagingProgress> progress, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(destination)) ?? destination;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(Path.TrimEndingDirectorySeparator(destination))}.xcatimg-unpack-{Guid.NewGuid():N}");
        try
        {
            var result = await unpacker.ExtractAsync(archive, staging, options, progress, cancellationToken);
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination);
            }

            Directory.Move(staging, destination);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex.Message.Contains(staging, StringComparison.Ordinal))
        {
            throw new IOException(ex.Message.Replace(staging, destination, StringComparison.Ordinal), ex);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                // Not Directory.Delete: it cannot remove a name that is not UTF-8.
                UnixMetadataProvider.Default.DeleteTree(staging);
            }
        }
    }
}
