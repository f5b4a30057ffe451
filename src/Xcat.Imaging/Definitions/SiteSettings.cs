using System.Globalization;

namespace Xcat.Imaging.Definitions;

/// <summary>
/// xCAT's <c>site</c> table as the image commands read it: the one object <c>clustersite</c>, whose attributes are the
/// table's <c>key</c>/<c>value</c> rows (xCAT's <c>DBobjUtils.pm</c>), with xCAT's defaults for the keys left unset.
/// Every orchestrator that needs a site-wide path or setting takes one of these, read once from the catalog.
/// </summary>
/// <remarks>
/// Disabled rows are not read, as xCAT's <c>getAllEntries</c> skips them. Keys other than the typed ones stay readable
/// through <see cref="Values"/>.
/// </remarks>
public sealed class SiteSettings
{
    /// <summary>The name of the site object in <c>lsdef -t site</c> and <c>chdef -t site</c>.</summary>
    public const string ObjectName = "clustersite";

    /// <summary>The install directory when <c>site.installdir</c> is not set (xCAT's <c>getInstallDir</c>).</summary>
    public const string DefaultInstallDirectory = "/install";

    /// <summary>The TFTP directory when <c>site.tftpdir</c> is not set (xCAT's <c>getTftpDir</c>).</summary>
    public const string DefaultTftpDirectory = "/tftpboot";

    /// <summary>The HTTP port nodes fetch from when <c>site.httpport</c> is not set.</summary>
    public const int DefaultHttpPort = 80;

    private readonly Dictionary<string, string> _values;

    /// <summary>Initializes the settings of a site with no rows: every value is xCAT's default.</summary>
    public SiteSettings()
        : this(new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    private SiteSettings(Dictionary<string, string> values)
    {
        _values = values;
        InstallDirectory = Directory(values, "installdir") ?? DefaultInstallDirectory;
        TftpDirectory = Directory(values, "tftpdir") ?? DefaultTftpDirectory;
        TemporaryDirectory = Directory(values, "tmpdir");
        Master = values.GetValueOrDefault("master");
        Domain = values.GetValueOrDefault("domain");
        Timezone = values.GetValueOrDefault("timezone");
        HttpPort = values.TryGetValue("httpport", out var port)
            ? int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture)
            : DefaultHttpPort;
    }

    /// <summary>Gets the settings of a site with no rows.</summary>
    public static SiteSettings Default { get; } = new();

    /// <summary>Gets the install directory (<c>site.installdir</c>): where images, list files and postscripts live.</summary>
    /// <value>An absolute POSIX path without a trailing slash; <see cref="DefaultInstallDirectory"/> when unset.</value>
    public string InstallDirectory { get; }

    /// <summary>Gets the TFTP directory (<c>site.tftpdir</c>) that network-boot files are written under.</summary>
    /// <value>An absolute POSIX path without a trailing slash; <see cref="DefaultTftpDirectory"/> when unset.</value>
    public string TftpDirectory { get; }

    /// <summary>Gets the management node's address as the nodes know it (<c>site.master</c>), or <see langword="null"/>.</summary>
    public string? Master { get; }

    /// <summary>Gets the port nodes use to reach the management node's HTTP server (<c>site.httpport</c>).</summary>
    /// <value><see cref="DefaultHttpPort"/> when unset.</value>
    public int HttpPort { get; }

    /// <summary>Gets the cluster's time zone (<c>site.timezone</c>, for example <c>America/New_York</c>), or <see langword="null"/>.</summary>
    public string? Timezone { get; }

    /// <summary>Gets the cluster's DNS domain (<c>site.domain</c>), or <see langword="null"/>.</summary>
    public string? Domain { get; }

    /// <summary>Gets the work directory for staging (<c>site.tmpdir</c>), or <see langword="null"/> when unset.</summary>
    public string? TemporaryDirectory { get; }

    /// <summary>Gets every attribute that is set, typed or not, by key.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Creates settings from <c>key</c>/<c>value</c> pairs; empty values count as unset, as in xCAT.</summary>
    /// <param name="values">The attributes.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">A directory is not an absolute path, or <c>httpport</c> is not a port number.</exception>
    public static SiteSettings FromValues(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(value))
            {
                map[key] = value;
            }
        }

        return Problem(map) is { } problem ? throw new ArgumentException("T" + problem[1..], nameof(values)) : new SiteSettings(map);
    }

    /// <summary>Creates settings from the site table's enabled <c>key</c>/<c>value</c> rows (for catalog readers).</summary>
    /// <exception cref="InvalidDataException">A value in the table is not usable; the message names the key.</exception>
    internal static SiteSettings FromTable(IReadOnlyDictionary<string, string> values) =>
        Problem(values) is { } problem
            ? throw new InvalidDataException($"The catalog's site table cannot be used: {problem}")
            : new SiteSettings(new Dictionary<string, string>(values, StringComparer.Ordinal));

    /// <summary>Returns a copy whose install directory is <paramref name="installDirectory"/>, as a command-line override.</summary>
    /// <param name="installDirectory">An absolute POSIX path.</param>
    /// <returns>The new settings.</returns>
    /// <exception cref="ArgumentException">The path is empty or not absolute.</exception>
    public SiteSettings WithInstallDirectory(string installDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(installDirectory);
        var map = new Dictionary<string, string>(_values, StringComparer.Ordinal) { ["installdir"] = installDirectory };
        return Problem(map) is { } problem ? throw new ArgumentException("T" + problem[1..], nameof(installDirectory)) : new SiteSettings(map);
    }

    internal const string TableName = "site";

    /// <summary>What makes <paramref name="values"/> unusable, starting in lower case, or <see langword="null"/>.</summary>
    internal static string? Problem(IReadOnlyDictionary<string, string> values)
    {
        foreach (var key in (ReadOnlySpan<string>)["installdir", "tftpdir", "tmpdir"])
        {
            if (values.TryGetValue(key, out var path) && !path.StartsWith('/'))
            {
                return $"the site attribute {key} is '{DisplayText.Escape(path)}', which is not an absolute path.";
            }
        }

        if (values.TryGetValue("httpport", out var port)
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            return $"the site attribute httpport is '{DisplayText.Escape(port)}', which is not a TCP port number (1 to 65535).";
        }

        return null;
    }

    private static string? Directory(Dictionary<string, string> values, string key)
    {
        if (!values.TryGetValue(key, out var value))
        {
            return null;
        }

        var trimmed = value.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
