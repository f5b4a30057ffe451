namespace Xcat.Imaging.Catalog;

/// <summary>Options for <see cref="SqliteImageCatalog.OpenAsync"/>.</summary>
public sealed class SqliteImageCatalogOptions
{
    private TimeSpan _busyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets whether the catalog is opened read-only: an existing file that this user may not write (a shared
    /// catalog) is read, and no table is created, no column added and no initial row written. A change then fails with
    /// the SQLite "readonly database" error.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

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
