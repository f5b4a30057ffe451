namespace Xcat.Imaging.Catalog;

/// <summary>Options for <see cref="SqliteImageCatalog.OpenAsync"/>.</summary>
public sealed class SqliteImageCatalogOptions
{
    private TimeSpan _busyTimeout = TimeSpan.FromSeconds(30);

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
