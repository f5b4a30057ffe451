namespace Xcat.Imaging.Catalog;

/// <summary>Options for <see cref="SqliteImageCatalog.OpenAsync"/>.</summary>
public sealed class SqliteImageCatalogOptions
{
    private string _installDirectory = "/install";
    private TimeSpan _busyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets whether a new catalog is filled with the embedded default definitions.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SeedDefaults { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the catalog is opened read-only: an existing file that this user may not write (a shared
    /// catalog) is read, and no table is created, no column added and nothing seeded. A change then fails with the
    /// SQLite "readonly database" error.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Gets or sets the install directory (xCAT's <c>site.installdir</c>, spec §0). The default definitions' paths
    /// under <c>/install/</c> are moved under it when a new catalog is seeded.
    /// </summary>
    /// <value>The default is <c>/install</c>.</value>
    /// <exception cref="ArgumentException">The value is empty or not an absolute POSIX path.</exception>
    public string InstallDirectory
    {
        get => _installDirectory;
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            if (!value.StartsWith('/'))
            {
                throw new ArgumentException($"The install directory '{value}' is not an absolute path.", nameof(value));
            }

            _installDirectory = value.Length > 1 ? value.TrimEnd('/') : value;
        }
    }

    /// <summary>Gets or sets how long a write waits for another process's transaction before failing.</summary>
    /// <value>The default is 30 seconds.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan BusyTimeout
    {
        get => _busyTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _busyTimeout = value;
        }
    }
}
