namespace Xcat.Imaging.Bundles;

/// <summary>Limits and policies for <see cref="BundleReader"/>; the defaults suit any honest bundle.</summary>
public sealed class BundleReaderOptions
{
    private long _maximumEntries = 4_000_000;
    private long _maximumFileSize = 64L << 30;
    private long _maximumTotalSize = 1L << 40;

    /// <summary>Gets or sets the most members a bundle may have.</summary>
    /// <value>The default is 4,000,000.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaximumEntries
    {
        get => _maximumEntries;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maximumEntries = value;
        }
    }

    /// <summary>Gets or sets the largest size of one member.</summary>
    /// <value>The default is 64 GiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaximumFileSize
    {
        get => _maximumFileSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maximumFileSize = value;
        }
    }

    /// <summary>
    /// Gets or sets whether members outside the unpacked root image (<c>&lt;image&gt;/rootimg/</c>) keep their owners,
    /// set-user-ID and set-group-ID bits and extended attributes other than <c>user.*</c> (such as
    /// <c>security.capability</c>). By default they do not: they are owned by the importing process, lose both set-ID
    /// bits and keep only <c>user.*</c> attributes, as the plain copies xCAT makes of kit, list and extra files do.
    /// Inside the root image everything is kept.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool KeepPrivileges { get; set; }

    /// <summary>Gets or sets the largest total size of all members together (uncompressed).</summary>
    /// <value>The default is 1 TiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaximumTotalSize
    {
        get => _maximumTotalSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maximumTotalSize = value;
        }
    }
}
