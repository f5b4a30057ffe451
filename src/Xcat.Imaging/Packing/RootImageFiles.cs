using Xcat.Imaging.Compression;

namespace Xcat.Imaging.Packing;

/// <summary>
/// The names of a diskless image's root under its <c>rootimgdir</c>: the <c>rootimg</c> tree that genimage builds and the
/// <c>rootimg.*</c> archives that packimage writes and nodeset, imgexport and imgimport look for. The one list of them.
/// </summary>
public static class RootImageFiles
{
    /// <summary>The directory under <c>rootimgdir</c> that holds the image's root tree (xCAT's genimage and packimage).</summary>
    public const string TreeDirectoryName = "rootimg";

    private static readonly string[] s_archiveNames =
        ["rootimg.cpio.gz", "rootimg.cpio.xz", "rootimg.tar.gz", "rootimg.tar.xz", "rootimg.cpio.zst", "rootimg.tar.zst", "rootimg.sfs", "rootimg.gz"];

    /// <summary>
    /// Gets every archive name a <c>rootimgdir</c> may hold, in the precedence xCAT's imgexport searches them
    /// (<c>searchcompressedrootimg</c> in xCAT's imgport.pm, get_files), with the zstd archives xCAT's packimage does not
    /// write placed after its compressed ones, then squashfs and the legacy <c>rootimg.gz</c>.
    /// </summary>
    public static IReadOnlyList<string> ArchiveNames => s_archiveNames;

    /// <summary>Returns packimage's archive file name: <c>rootimg.cpio.gz</c>, <c>rootimg.tar.xz</c>, <c>rootimg.cpio.zst</c>, ...</summary>
    /// <param name="format">The archive format.</param>
    /// <param name="compression">The compression.</param>
    /// <returns>The file name, without a directory.</returns>
    /// <exception cref="ArgumentOutOfRangeException">packimage writes no archive with <paramref name="compression"/> (bzip2).</exception>
    public static string ArchiveName(ArchiveFormat format, CompressionMethod compression)
    {
        var method = format == ArchiveFormat.Tar ? "tar" : "cpio";
        return compression switch
        {
            CompressionMethod.Gzip => $"{TreeDirectoryName}.{method}.gz",
            CompressionMethod.Xz => $"{TreeDirectoryName}.{method}.xz",
            CompressionMethod.Zstd => $"{TreeDirectoryName}.{method}.zst",
            CompressionMethod.None => $"{TreeDirectoryName}.{method}",
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "packimage cannot write this compression."),
        };
    }
}
