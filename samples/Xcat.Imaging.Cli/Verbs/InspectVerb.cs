using System.Globalization;
using Xcat.Imaging.Compression;
using Xcat.Imaging.Packing;
using Xcat.Imaging.Unix;

namespace Xcat.Imaging.Cli.Verbs;

internal sealed class InspectVerb : IVerb
{
    public string Name => "inspect";

    public string Summary => "List a ramdisk archive's entries with sizes and totals, like lsinitrd.";

    public string Usage => "inspect <archive>";

    public void Define(VerbSyntax syntax) => syntax
        .Arguments("archive", "A ramdisk archive: cpio or tar; gzip, xz, zstd, bzip2 or none.")
        .Flag('v', "verbose", "Log what is done on stderr.");

    public async Task<int> RunAsync(ParsedOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Positional.Count != 1)
        {
            throw new UsageException("inspect takes one archive.");
        }

        var path = context.ResolvePath(options.Positional[0]);
        if (Directory.Exists(path))
        {
            throw new IOException($"The archive '{DisplayText.Escape(options.Positional[0])}' is a directory, not an archive file.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The archive '{DisplayText.Escape(options.Positional[0])}' does not exist.", path);
        }

        await using var stream = File.OpenRead(path);
        var header = new byte[8];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        await context.Out.WriteAsync($"Image: {DisplayText.Escape(options.Positional[0])}: {ConsoleProgressBar.FormatBytes(stream.Length)}, compression {CompressionDetector.Detect(header.AsSpan(0, read)).ToString().ToLowerInvariant()}\n");
        long entries = 0, files = 0, directories = 0, links = 0, others = 0, bytes = 0;
        await foreach (var entry in new RamdiskInspector().EnumerateEntriesAsync(stream, cancellationToken))
        {
            entries++;
            bytes += entry.Length;
            switch (entry.Type)
            {
                case UnixFileType.RegularFile:
                    files++;
                    break;
                case UnixFileType.Directory:
                    directories++;
                    break;
                case UnixFileType.SymbolicLink:
                    links++;
                    break;
                default:
                    others++;
                    break;
            }

            // Names and targets escaped as GNU tar lists them: a newline or an escape sequence in a name cannot forge a line.
            var target = entry.LinkTarget is { } link ? " -> " + DisplayText.Escape(link)
                : entry.HardLinkTarget is { } hard ? " link to " + DisplayText.Escape(hard) : string.Empty;
            await context.Out.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"{ModeString(entry)} {entry.LinkCount,3} {entry.Uid,-8} {entry.Gid,-8} {SizeOrDevice(entry),12} {entry.ModificationTime.UtcDateTime:yyyy-MM-dd HH:mm} {DisplayText.Escape(entry.Name)}{target}\n"));
        }

        await context.Out.WriteAsync($"Total: {entries} entries ({files} files, {directories} directories, {links} symlinks, {others} other), {ConsoleProgressBar.FormatBytes(bytes)} of file content\n");
        return CliApplication.Success;
    }

    private static string SizeOrDevice(Trees.TreeEntry entry)
        => entry.Type is UnixFileType.CharacterDevice or UnixFileType.BlockDevice
            ? string.Create(CultureInfo.InvariantCulture, $"{entry.DeviceMajor}, {entry.DeviceMinor}")
            : entry.Length.ToString(CultureInfo.InvariantCulture);

    private static string ModeString(Trees.TreeEntry entry)
    {
        var type = entry.Type switch
        {
            UnixFileType.Directory => 'd',
            UnixFileType.SymbolicLink => 'l',
            UnixFileType.CharacterDevice => 'c',
            UnixFileType.BlockDevice => 'b',
            UnixFileType.Fifo => 'p',
            UnixFileType.Socket => 's',
            _ => '-',
        };
        var m = (int)entry.Mode;
        char Bit(int mask, char c) => (m & mask) != 0 ? c : '-';
        char Exec(int exec, int special, char set, char setNoExec) => (m & special) != 0 ? ((m & exec) != 0 ? set : setNoExec) : Bit(exec, 'x');
        return string.Concat(type, Bit(0x100, 'r'), Bit(0x80, 'w'), Exec(0x40, 0x800, 's', 'S'), Bit(0x20, 'r'), Bit(0x10, 'w'),
            Exec(0x8, 0x400, 's', 'S'), Bit(0x4, 'r'), Bit(0x2, 'w'), Exec(0x1, 0x200, 't', 'T'));
    }
}
