using Xcat.Imaging.Bundles.Manifest;

namespace Xcat.Imaging.Bundles;

/// <summary>Options for <see cref="ImageExporter"/>: imgexport's <c>-e</c>, <c>-p</c> and our additions.</summary>
public sealed class ImageExportOptions
{
    private BundleWriterOptions _writer = new();
    private string _xcatShareDirectory = "/opt/xcat/share/xcat";

    /// <summary>
    /// Gets the extra files and directories to ship (<c>-e src[:dest]</c>, xCAT's imgport.pm, get_files): the source is read now, the
    /// destination is where imgimport puts it. An empty destination means the source itself for a directory and its
    /// parent for a file, as xCAT does.
    /// </summary>
    public IList<BundleExtra> Extras { get; } = [];

    /// <summary>Gets or sets the node whose postscripts (after the <c>xcatdefaults</c> ones) go into the manifest (<c>-p</c>).</summary>
    /// <value>The default is <see langword="null"/>: no postscripts.</value>
    public string? PostScriptsNode { get; set; }

    /// <summary>
    /// Gets or sets whether the unpacked <c>rootimg/</c> tree is shipped too, with full metadata, so that the imported
    /// image can be changed and packed again (xCAT ships only the packed archive, xCAT's imgport.pm, extract_bundle).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool IncludeRootImageTree { get; set; }

    /// <summary>Gets or sets the compression and checksum settings of the bundle.</summary>
    /// <value>The default is <see cref="BundleWriterOptions"/>' defaults.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public BundleWriterOptions Writer
    {
        get => _writer;
        set => _writer = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Gets or sets xCAT's shipped template directory, searched after <c>&lt;installdir&gt;/custom</c> for an install
    /// template or a pkglist that the definition does not name (xCAT's imgport.pm, get_files; xCAT hard-codes the path).
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
