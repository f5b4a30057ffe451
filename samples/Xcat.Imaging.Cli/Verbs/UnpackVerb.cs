using Xcat.Imaging.Packing;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class UnpackVerb : IVerb
{
    public string Name => "unpack";

    public string Summary => "Extract a ramdisk archive (cpio or tar; gzip, xz, zstd, bzip2 or none) into a directory.";

    public string Usage => "unpack <archive> -C <dir>";

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

        using var bar = new ConsoleProgressBar(context.Error, context.IsTerminal);
        var result = await new RamdiskUnpacker(loggerFactory: context.LoggerFactory).ExtractAsync(archive, context.ResolvePath(directory), null, bar, cancellationToken);
        bar.Dispose();
        if (result.SkippedMembers > 0)
        {
            await context.Error.WriteAsync($"skipped {result.SkippedMembers} members of unsupported types\n");
        }

        await context.Out.WriteAsync($"{result.Entries} entries: {result.Files} files, {result.Directories} directories, {result.SymbolicLinks} symlinks, " +
            $"{result.HardLinks} hard links, {result.Devices} devices ({result.SkippedDevices} skipped), {ConsoleProgressBar.FormatBytes(result.Bytes)}\n");
        return CliApplication.Success;
    }
}
