namespace Xcat.Imaging.Bundles;

/// <summary>Options for <see cref="ImageImporter"/>: imgimport's <c>-f</c>, <c>-p</c> and our safety switches.</summary>
public sealed class ImageImportOptions
{
    private BundleReaderOptions _reader = new();
    private string _xcatShareDirectory = "/opt/xcat/share/xcat";

    /// <summary>Gets or sets the new profile (<c>-f</c>, xCAT's imgport.pm, change_profile): the image is renamed and its files relocated.</summary>
    /// <value>The default is <see langword="null"/>: keep the bundle's profile.</value>
    public string? NewProfile { get; set; }

    /// <summary>Gets or sets the nodes whose postscripts are set from the manifest (<c>-p</c>, xCAT's imgport.pm, set_postscripts).</summary>
    /// <value>The default is <see langword="null"/>: no node is changed.</value>
    public string? PostScriptsNodeRange { get; set; }

    /// <summary>
    /// Gets or sets whether an image that already exists is replaced. xCAT overwrites it silently column by column
    /// (xCAT's imgport.pm, set_config); here it is refused unless forced, and when forced the definition becomes exactly the manifest's.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Force { get; set; }

    /// <summary>
    /// Gets the directories outside the install directory that the bundle may place files in (such as an extra's
    /// destination). Anything else outside the install directory is refused; xCAT writes wherever the manifest says.
    /// </summary>
    public IList<string> AllowedDestinations { get; } = [];

    /// <summary>
    /// Gets or sets the limits and policies for reading the bundle, among them
    /// <see cref="BundleReaderOptions.KeepPrivileges"/> (owners, set-ID bits and security attributes outside
    /// <c>rootimg/</c>, dropped by default).
    /// </summary>
    /// <value>The default is <see cref="BundleReaderOptions"/>' defaults.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public BundleReaderOptions Reader
    {
        get => _reader;
        set => _reader = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Gets or sets xCAT's shipped template directory. List files the manifest places under it are relocated into
    /// <c>&lt;installdir&gt;/custom/&lt;install|netboot&gt;/&lt;platform&gt;/</c> and the definition rewritten to match.
    /// </summary>
    /// <value>The default is <c>/opt/xcat/share/xcat</c>.</value>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public string XcatShareDirectory
    {
        get => _xcatShareDirectory;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _xcatShareDirectory = value;
        }
    }
}
