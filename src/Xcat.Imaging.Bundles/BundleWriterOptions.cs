using Xcat.Imaging.Compression;

namespace Xcat.Imaging.Bundles;

/// <summary>Options for <see cref="BundleWriter"/>.</summary>
public sealed class BundleWriterOptions
{
    private CompressionOptions _compression = new();

    /// <summary>Gets or sets the gzip settings (level, threads, chunk size).</summary>
    /// <value>The default is gzip level 6 on every processor, the level xCAT's <c>tar czf</c> uses.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value is not for gzip: a bundle is a <c>.tgz</c> (xCAT's imgport.pm, make_bundle step 11).</exception>
    public CompressionOptions Compression
    {
        get => _compression;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Method != CompressionMethod.Gzip)
            {
                throw new ArgumentException($"A bundle is gzip-compressed; {value.Method} is not accepted.", nameof(value));
            }

            _compression = value;
        }
    }

    /// <summary>
    /// Gets or sets whether members that are already compressed (gzip, xz, zstd, bzip2, squashfs, found by their magic
    /// bytes) are stored in the gzip stream without deflating them again, which is many times faster and costs a few
    /// bytes per 64 KiB.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool StoreCompressedMembers { get; set; } = true;

    /// <summary>
    /// Gets or sets whether each image directory ends with a <c>SHA256SUMS</c> file (sha256sum format) covering every
    /// regular file under it. xCAT's imgimport ignores files it does not know, so it still imports such bundles.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool WriteChecksums { get; set; } = true;

    /// <summary>Gets or sets the modification time given to the directories the writer creates itself.</summary>
    /// <value>The default is <see langword="null"/>: the time the writer was created.</value>
    public DateTimeOffset? DirectoryTime { get; set; }
}
